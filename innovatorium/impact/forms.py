"""Forms for proposing a measure, weighting it, entering a value, importing a file and answering the survey."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from innovatorium.core.forms import NHSFormMixin
from innovatorium.impact.csvimport import parse_period
from innovatorium.impact.models import WEIGHT_MAX, WEIGHT_MIN, Direction, Measure, SurveyScale

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


class MeasureForm(NHSFormMixin, forms.Form):
    name = forms.CharField(
        max_length=200, label="Name of the measure",
        help_text="Short and plain, for example “I felt listened to” or “Bed days saved”.",
    )
    definition = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), label="What is counted, and how",
        help_text="So anyone can check the numbers: who is counted, over what period, and how.",
    )
    unit = forms.CharField(max_length=60, help_text="For example: % of patients, bed days, score out of 5.")
    direction = forms.ChoiceField(choices=Direction.choices, widget=forms.RadioSelect,
                                  label="Which way is better?")
    data_source = forms.CharField(max_length=300, label="Where the numbers come from",
                                  help_text="For example: the trust's bed management system, or our own survey.")
    target = forms.DecimalField(
        required=False, max_digits=14, decimal_places=4, label="Target (optional)",
        help_text="If there is one. The chart then says whether the target will be met.",
    )
    subject = forms.ChoiceField(
        label="What is it measuring?",
        help_text="The whole network, one of its projects, or an innovation in its Atlas.",
    )
    survey_scale = forms.ChoiceField(
        choices=SurveyScale.choices, required=False, widget=forms.RadioSelect, label="Collect it with a short survey?",
        help_text="For patient-reported experience or outcome measures: each month's answers become its value.",
    )
    survey_question = forms.CharField(
        max_length=300, required=False, label="The survey question (if there is a survey)",
        help_text="One question, for example “How well did the staff listen to you today?”",
    )
    survey_open = forms.BooleanField(
        required=False, label="Anyone may answer the survey without an account",
        help_text="Useful on a phone in a waiting room. Answers are anonymous either way.",
    )

    def __init__(self, *args: Any, subjects: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = subjects
        self.fields["survey_scale"].initial = ""

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("survey_scale") and not (data.get("survey_question") or "").strip():
            self.add_error("survey_question", "Enter the question the survey asks")
        if data.get("survey_open") and not data.get("survey_scale"):
            self.add_error("survey_open", "Only a measure with a survey can open it to people without an account")
        return data


class WeightForm(NHSFormMixin, forms.Form):
    weight = forms.TypedChoiceField(
        coerce=int, widget=forms.RadioSelect, label="How much does this measure matter to you?",
        choices=[(w, str(w)) for w in range(WEIGHT_MIN, WEIGHT_MAX + 1)],
        help_text="0 means it does not matter to you, 10 that it matters most. You can change it at any time.",
    )


class MonthField(forms.Field):
    widget = forms.TextInput

    def to_python(self, value: Any) -> dt.date | None:
        text = (value or "").strip()
        if not text:
            return None
        try:
            return parse_period(text)
        except ValueError as exc:
            raise forms.ValidationError(str(exc).capitalize()) from None


class ObservationForm(NHSFormMixin, forms.Form):
    period = MonthField(label="Month", help_text="For example 2025-04 for April 2025.")
    value = forms.DecimalField(max_digits=14, decimal_places=4)
    note = forms.CharField(max_length=300, required=False, label="Note (optional)",
                           help_text="Anything unusual about this month's value.")

    def __init__(self, *args: Any, measure: Measure, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["value"].label = f"Value ({measure.unit})"
        self.fields["period"].initial = f"{timezone.localdate():%Y-%m}"


class ImportForm(NHSFormMixin, forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="A header row with period and value (note is optional); one row per month, like 2025-04,87.5. "
                  "If any row has a problem, nothing is imported and every problem is listed.",
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than 2 MB: split it, or import it with manage.py.")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError("The file is not UTF-8 text: save it as “CSV UTF-8” and try again.") from None


class SurveyForm(NHSFormMixin, forms.Form):
    score = forms.TypedChoiceField(coerce=int, widget=forms.RadioSelect, label="")
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=1000,
        label="Anything you would like to add? (optional)",
        help_text="Please do not include your name or anything that identifies you. The team reads comments; "
                  "they are never published.",
    )

    def __init__(self, *args: Any, measure: Measure, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        low, high = measure.scale_range or (1, 5)
        ends = {low: " (worst)" if measure.survey_scale == SurveyScale.ELEVEN else " (not at all)",
                high: " (best)" if measure.survey_scale == SurveyScale.ELEVEN else " (completely)"}
        self.fields["score"].choices = [(s, f"{s}{ends.get(s, '')}") for s in range(low, high + 1)]
        self.fields["score"].label = measure.survey_question
        self.fields["score"].error_messages["required"] = "Choose an answer"



class RecalculateForm(NHSFormMixin, forms.Form):
    period = forms.ChoiceField(
        label="Recalculate the limits from",
        help_text="Do this only after a lasting change (for example 7 or more months on one side of the mean) "
                  "that you understand and expect to stay. The chart then shows the old and the new process.",
    )

    def __init__(self, *args: Any, months: list[dt.date], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(f"{m:%Y-%m}", f"{m:%B %Y}") for m in months]
