from __future__ import annotations

from typing import Any

from django import forms

from innovatorium.audit.models import EventKind
from innovatorium.core.forms import NHSFormMixin


class AuditFilterForm(NHSFormMixin, forms.Form):
    kind = forms.ChoiceField(label="What happened", required=False, choices=[("", "Anything"), *EventKind.choices])
    network = forms.ChoiceField(label="Network", required=False)
    person = forms.CharField(
        label="Member pseudonym", required=False, max_length=40, help_text="For example, Member ABCD2345.",
    )
    since = forms.DateField(label="From (UTC day)", required=False, help_text="For example, 2026-11-01.",
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="To (UTC day)", required=False, help_text="Includes the whole day.",
                            widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, networks: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["network"].choices = [("", "Every network you may see"), *networks]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", "The end date must be the same as or after the start date.")
        return data
