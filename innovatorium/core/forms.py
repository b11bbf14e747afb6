"""Form helpers that give Django widgets the NHS.UK frontend classes and accessible descriptions."""

from __future__ import annotations

from typing import Any

from django import forms

_WIDGET_CLASSES = {
    forms.TextInput: "nhsuk-input",
    forms.EmailInput: "nhsuk-input",
    forms.URLInput: "nhsuk-input",
    forms.NumberInput: "nhsuk-input",
    forms.PasswordInput: "nhsuk-input",
    forms.DateInput: "nhsuk-input",
    forms.Textarea: "nhsuk-textarea",
    forms.Select: "nhsuk-select",
}


class NHSFormMixin:
    """Adds design-system classes, and points aria-describedby at the hint and error text."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            for widget_type, css in _WIDGET_CLASSES.items():
                if isinstance(field.widget, widget_type):
                    field.widget.attrs["class"] = (field.widget.attrs.get("class", "") + " " + css).strip()
                    break
            described = []
            if field.help_text:
                described.append(f"id_{name}-hint")
            if self.is_bound and name in self.errors:  # type: ignore[attr-defined]
                described.append(f"id_{name}-error")
                field.widget.attrs["class"] = field.widget.attrs.get("class", "") + " nhsuk-input--error"
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)
