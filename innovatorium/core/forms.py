"""Form helpers that give Django widgets the NHS.UK frontend classes and accessible descriptions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

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
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{name}-hint"

    def full_clean(self) -> None:
        # Mark fields in error only once the form is cleaned. Reading `self.errors` in __init__ would clean the
        # form before a subclass's __init__ has set its querysets, and cache "not a valid choice" for good.
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:  # type: ignore[attr-defined]
            field = self.fields.get(name)  # type: ignore[attr-defined]
            if field is None:
                continue
            described = field.widget.attrs.get("aria-describedby", "").split()
            if f"id_{name}-error" not in described:
                described.append(f"id_{name}-error")
            field.widget.attrs["aria-describedby"] = " ".join(described)
            classes = field.widget.attrs.get("class", "").split()
            if "nhsuk-input--error" not in classes:
                field.widget.attrs["class"] = " ".join([*classes, "nhsuk-input--error"])


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's refusal on the form: on the field it names, or above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
