"""The Making Data Count icons in words: short labels, a colour name and a sentence, for pages and screen readers.

MDC draws two icons beside every measure. The *variation* icon says what the latest point shows (common cause,
or special cause that is improving, concerning, or neither, high or low); the *assurance* icon says whether the
process, as it runs now, will meet its target. Pages here show them as text tags (colour is never the only cue:
the words carry the meaning) in MDC's colours: grey common cause, blue improvement, orange concern, purple
neither; assurance blue for passing, orange for failing, grey for hit and miss.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Icon:
    code: str
    label: str  # a short tag
    colour: str  # grey | blue | orange | purple
    sentence: str  # what it means, in a sentence

    @property
    def letter(self) -> str:
        """The letter MDC prints inside the icon: H or L for special cause, nothing for common cause; P, F or ?."""
        return {
            "high": "H", "low": "L", "consistently_passing": "P", "consistently_failing": "F", "hit_and_miss": "?",
        }.get(self.code.rsplit("_", 1)[-1] if self.code.startswith(("improvement", "concern", "neither"))
              else self.code, "")


VARIATION_ICONS = {
    "common_cause": Icon("common_cause", "No significant change", "grey",
                         "The latest value is within the normal range: common cause variation only."),
    "improvement_high": Icon("improvement_high", "Improving (higher)", "blue",
                             "Special cause variation of an improving nature: the values are significantly higher."),
    "improvement_low": Icon("improvement_low", "Improving (lower)", "blue",
                            "Special cause variation of an improving nature: the values are significantly lower."),
    "concern_high": Icon("concern_high", "Concern (higher)", "orange",
                         "Special cause variation of a concerning nature: the values are significantly higher."),
    "concern_low": Icon("concern_low", "Concern (lower)", "orange",
                        "Special cause variation of a concerning nature: the values are significantly lower."),
    "neither_high": Icon("neither_high", "Significantly higher", "purple",
                         "Special cause variation, higher; neither direction is better for this measure."),
    "neither_low": Icon("neither_low", "Significantly lower", "purple",
                        "Special cause variation, lower; neither direction is better for this measure."),
}
ASSURANCE_ICONS = {
    "consistently_passing": Icon("consistently_passing", "Will meet the target", "blue",
                                 "The target lies outside the process limits on the bad side: as it runs now, the "
                                 "process will consistently meet it."),
    "consistently_failing": Icon("consistently_failing", "Will miss the target", "orange",
                                 "The target lies outside the process limits on the good side: the process will "
                                 "consistently miss it unless something changes."),
    "hit_and_miss": Icon("hit_and_miss", "Hit and miss", "grey",
                         "The target lies within the process limits: the process will sometimes meet it and "
                         "sometimes miss it."),
}


def variation_icon(code: str) -> Icon:
    return VARIATION_ICONS[code]


def assurance_icon(code: str | None) -> Icon | None:
    return ASSURANCE_ICONS.get(code) if code else None
