"""Forms for the Atlas's facilitator pages."""

from __future__ import annotations

from django import forms

from innovatorium.atlas import taxonomy
from innovatorium.core.forms import NHSFormMixin


class StageForm(NHSFormMixin, forms.Form):
    stage = forms.ChoiceField(label="Stage", choices=list(taxonomy.STAGES.items()))
    reason = forms.CharField(
        label="Why the stage changed", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown on the public record beside the change (no personal details).",
    )


class ImportForm(NHSFormMixin, forms.Form):
    file = forms.FileField(
        label="CSV file", help_text="Innovations or case studies, UTF-8, with the Atlas's column headings."
    )
    publish = forms.BooleanField(label="Publish what is imported", required=False, initial=True)
