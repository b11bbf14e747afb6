"""Render django-allauth's form widgets with NHS.UK frontend classes.

allauth builds its own forms (sign-in, sign-up, password reset, MFA codes), so we cannot give their widgets
our classes with `NHSFormMixin`. Instead the allauth element templates render each bound field through
`nhsuk_widget`, which adds the design-system classes, points `aria-describedby` at the hint and error
text, and drops allauth's placeholders (the NHS design system uses visible labels and hints instead).
"""

from __future__ import annotations

import copy

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()

_INPUT_CLASSES = {
    "text": "nhsuk-input",
    "email": "nhsuk-input",
    "password": "nhsuk-input nhsuk-password-input__input nhsuk-js-password-input-input",
    "number": "nhsuk-input",
    "tel": "nhsuk-input",
    "url": "nhsuk-input",
    "checkbox": "nhsuk-checkboxes__input",
    "radio": "nhsuk-radios__input",
    "select": "nhsuk-select",
}


def _is_code(field: BoundField) -> bool:
    return field.field.widget.attrs.get("autocomplete") == "one-time-code"


@register.filter
def nhsuk_input_type(field: BoundField) -> str:
    """The widget's input type ("textarea" and "select" for those widgets)."""
    widget = field.field.widget
    if widget.__class__.__name__.endswith("Textarea"):
        return "textarea"
    if widget.__class__.__name__.endswith("Select"):
        return "select"
    return str(getattr(widget, "input_type", "text") or "text")


@register.simple_tag
def nhsuk_widget(field: BoundField) -> SafeString:
    """The field's widget with NHS.UK classes, accessible descriptions and no placeholder."""
    widget = copy.copy(field.field.widget)
    widget.attrs = {k: v for k, v in widget.attrs.items() if k != "placeholder"}
    input_type = nhsuk_input_type(field)
    css = "nhsuk-textarea" if input_type == "textarea" else _INPUT_CLASSES.get(input_type, "nhsuk-input")
    if _is_code(field):
        # Six-digit codes: a short box, numeric keyboard on phones, no spell-checking.
        css += " nhsuk-input--width-10 nhsuk-input--code"
        widget.attrs.setdefault("inputmode", "numeric")
    if input_type in {"email", "password"} or _is_code(field):
        widget.attrs.setdefault("spellcheck", "false")
        widget.attrs.setdefault("autocapitalize", "none")
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
        if input_type not in {"checkbox", "radio"}:
            css += " nhsuk-textarea--error" if input_type == "textarea" else (
                " nhsuk-select--error" if input_type == "select" else " nhsuk-input--error"
            )
    attrs = {"class": css}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(widget=widget, attrs=attrs)


@register.filter
def squash(value: str) -> str:
    """Collapse runs of whitespace (allauth's titles arrive wrapped in template indentation)."""
    return " ".join(str(value).split())
