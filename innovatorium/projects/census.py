"""Who takes part, compared with who lives in the region: census reference shares and the comparison itself.

No Django import: the involvement report feeds it counts, and it answers with rows that are safe to publish.

The reference table holds approximate, rounded shares from the 2021 Census of England and Wales (Office for
National Statistics): age bands among residents aged 16 and over (tables TS007A), the five high-level ethnic
groups (TS021) and disability under the Equality Act (TS038), for all usual residents. Networks do not follow
ONS region boundaries, so each network's figures are those of the region or regions that make up most of its
area, mapped by hand and rounded to one decimal place. They are for comparison, not for statistics.
"""

from __future__ import annotations

from dataclasses import dataclass, field

CENSUS_SOURCE = (
    "Census 2021, Office for National Statistics (tables TS007A, TS021 and TS038), approximate shares for the "
    "region or regions that make up most of the network's area, rounded"
)
CENSUS_SOURCE_URL = "https://www.ons.gov.uk/census"

SUPPRESS_BELOW = 5  # a group with 1 to 4 people is shown as "fewer than 5"
MIN_ANSWERS_TO_COMPARE = 20  # fewer answers than this and shares would mislead
MISSING_RATIO = 0.6  # a group is "missing" when its share of participants is under 60% of its share of the region
MISSING_MIN_POPULATION_SHARE = 2.0  # percentage points: tiny groups are not named (the figures are too rough)

# Categories, in the order pages show them: (code, plain label, label used in sentences).
AGE_BANDS: list[tuple[str, str, str]] = [
    ("16-24", "16 to 24", "People aged 16 to 24"),
    ("25-34", "25 to 34", "People aged 25 to 34"),
    ("35-49", "35 to 49", "People aged 35 to 49"),
    ("50-64", "50 to 64", "People aged 50 to 64"),
    ("65-74", "65 to 74", "People aged 65 to 74"),
    ("75+", "75 and over", "People aged 75 and over"),
]
ETHNIC_GROUPS: list[tuple[str, str, str]] = [
    ("asian", "Asian, Asian British or Asian Welsh", "Asian, Asian British or Asian Welsh people"),
    ("black", "Black, Black British, Black Welsh, Caribbean or African",
     "Black, Black British, Black Welsh, Caribbean or African people"),
    ("mixed", "Mixed or multiple ethnic groups", "People of mixed or multiple ethnic groups"),
    ("white", "White", "White people"),
    ("other", "Other ethnic group", "People of other ethnic groups"),
]
DISABILITY: list[tuple[str, str, str]] = [
    ("disabled", "Disabled (day-to-day activities limited a lot or a little)", "Disabled people"),
    ("not_disabled", "Not disabled", "People who are not disabled"),
]
DIMENSIONS: dict[str, tuple[str, list[tuple[str, str, str]]]] = {
    "age_band": ("Age", AGE_BANDS),
    "ethnic_group": ("Ethnic group", ETHNIC_GROUPS),
    "disability": ("Disability", DISABILITY),
}

# Which census region(s) stand for each network.
_REGION = {
    "eastern": "east", "east-midlands": "east_midlands", "health-innovation-manchester": "greater_manchester",
    "health-innovation-network": "south_london", "imperial-college-health-partners": "north_west_london",
    "innovation-agency": "north_west_coast", "kent-surrey-sussex": "kent_surrey_sussex",
    "north-east-north-cumbria": "north_east", "oxford": "oxford", "south-west": "south_west",
    "uclpartners": "north_east_london", "wessex": "wessex", "west-of-england": "west_of_england",
    "west-midlands": "west_midlands", "yorkshire-humber": "yorkshire",
}
_REGION_NAMES = {
    "england": "England", "east": "the East of England", "east_midlands": "the East Midlands",
    "greater_manchester": "Greater Manchester", "south_london": "south London",
    "north_west_london": "north west London", "north_west_coast": "Cheshire, Merseyside, Lancashire and Cumbria",
    "kent_surrey_sussex": "Kent, Surrey and Sussex", "north_east": "the North East and North Cumbria",
    "oxford": "the Thames Valley", "south_west": "Cornwall, Devon and Somerset",
    "north_east_london": "north central and north east London", "wessex": "Hampshire, Dorset and the Isle of Wight",
    "west_of_england": "the West of England", "west_midlands": "the West Midlands",
    "yorkshire": "Yorkshire and the Humber",
}
# Age shares among residents aged 16 and over, in AGE_BANDS order.
_AGE = {
    "england": (13.6, 16.8, 23.7, 23.6, 12.0, 10.3),
    "east": (12.6, 15.4, 23.8, 24.0, 12.9, 11.3),
    "east_midlands": (14.0, 15.6, 22.9, 24.0, 12.8, 10.7),
    "greater_manchester": (14.6, 17.9, 23.6, 22.4, 11.3, 10.2),
    "south_london": (12.4, 22.9, 26.6, 20.4, 9.5, 8.2),
    "north_west_london": (12.6, 21.8, 27.0, 20.5, 9.8, 8.3),
    "north_west_coast": (13.4, 15.6, 22.2, 24.6, 13.0, 11.2),
    "kent_surrey_sussex": (12.8, 14.6, 23.6, 24.3, 12.7, 12.0),
    "north_east": (13.4, 15.7, 21.5, 24.7, 13.5, 11.2),
    "oxford": (13.5, 15.7, 24.8, 23.6, 11.8, 10.6),
    "south_west": (12.5, 14.2, 21.0, 24.8, 14.5, 13.0),
    "north_east_london": (13.6, 22.4, 26.2, 20.1, 9.6, 8.1),
    "wessex": (12.9, 14.2, 22.3, 24.6, 13.6, 12.4),
    "west_of_england": (14.2, 16.4, 22.8, 23.2, 12.4, 11.0),
    "west_midlands": (14.3, 16.5, 23.2, 22.9, 12.2, 10.9),
    "yorkshire": (14.3, 16.2, 22.6, 23.5, 12.6, 10.8),
}
# Ethnic group shares of all usual residents, in ETHNIC_GROUPS order (Asian, Black, Mixed, White, Other).
_ETHNIC = {
    "england": (9.6, 4.2, 3.0, 81.0, 2.2),
    "east": (5.9, 2.7, 2.9, 86.5, 2.0),
    "east_midlands": (8.7, 2.2, 2.5, 85.7, 0.9),
    "greater_manchester": (12.6, 3.9, 2.7, 79.2, 1.6),
    "south_london": (11.5, 18.5, 6.5, 59.0, 4.5),
    "north_west_london": (29.5, 9.0, 5.5, 46.0, 10.0),
    "north_west_coast": (4.3, 1.1, 1.8, 91.5, 1.3),
    "kent_surrey_sussex": (6.1, 2.1, 2.7, 87.6, 1.5),
    "north_east": (3.7, 0.9, 1.3, 93.0, 1.1),
    "oxford": (10.5, 3.0, 3.4, 81.5, 1.6),
    "south_west": (1.4, 0.5, 1.5, 96.1, 0.5),
    "north_east_london": (17.0, 10.5, 4.8, 62.0, 5.7),
    "wessex": (4.2, 1.2, 2.1, 91.3, 1.2),
    "west_of_england": (4.0, 2.7, 2.8, 89.3, 1.2),
    "west_midlands": (13.3, 4.5, 3.4, 77.0, 1.8),
    "yorkshire": (8.6, 2.2, 2.3, 85.3, 1.6),
}
# Disabled under the Equality Act, share of all usual residents.
_DISABLED = {
    "england": 17.3, "east": 16.9, "east_midlands": 17.8, "greater_manchester": 18.3, "south_london": 13.2,
    "north_west_london": 13.0, "north_west_coast": 19.5, "kent_surrey_sussex": 16.6, "north_east": 20.0,
    "oxford": 14.9, "south_west": 19.6, "north_east_london": 13.6, "wessex": 17.6, "west_of_england": 17.4,
    "west_midlands": 17.5, "yorkshire": 18.4,
}


def region_for(network_slug: str) -> str:
    """The census region standing for a network; England as a whole for a network not in the table."""
    return _REGION.get(network_slug, "england")


def region_name(network_slug: str) -> str:
    return _REGION_NAMES[region_for(network_slug)]


def population_shares(network_slug: str) -> dict[str, dict[str, float]]:
    """Percentage of the region's people in each category, per dimension."""
    region = region_for(network_slug)
    disabled = _DISABLED[region]
    return {
        "age_band": dict(zip((c for c, _, _ in AGE_BANDS), _AGE[region], strict=True)),
        "ethnic_group": dict(zip((c for c, _, _ in ETHNIC_GROUPS), _ETHNIC[region], strict=True)),
        "disability": {"disabled": disabled, "not_disabled": round(100 - disabled, 1)},
    }


@dataclass
class Cell:
    code: str
    label: str
    population_share: float
    count: int | None  # None when suppressed
    share: int | None  # percentage of those who answered; None when suppressed or too few answers
    small: bool = False  # suppressed because 1 to 4 people (otherwise: hidden so a small group cannot be worked out)

    @property
    def suppressed(self) -> bool:
        return self.count is None


@dataclass
class Dimension:
    code: str
    title: str
    answered: int | None  # None when fewer than SUPPRESS_BELOW answered (nothing shown at all)
    cells: list[Cell] = field(default_factory=list)
    comparable: bool = False
    missing: list[str] = field(default_factory=list)  # plain sentences naming who is missing
    note_hidden: bool = False  # a group of 5 or more is hidden too, so a smaller one cannot be worked out


def _suppress(counts: dict[str, int]) -> set[str]:
    """Codes to hide: groups of 1 to 4, and, when that leaves exactly one hidden, the next smallest group too
    (otherwise the hidden one could be worked out from the total)."""
    hidden = {code for code, n in counts.items() if 0 < n < SUPPRESS_BELOW}
    if len(hidden) == 1:
        rest = sorted((n, code) for code, n in counts.items() if code not in hidden and n > 0)
        if rest:
            hidden.add(rest[0][1])
    return hidden


def compare(network_slug: str, counts: dict[str, dict[str, int]]) -> list[Dimension]:
    """Participants' answers per dimension (counts by category code) against the region, ready to publish.

    Counts exclude people who did not answer or preferred not to say. Nothing is shown for a dimension that fewer
    than five people answered; groups of one to four are "fewer than 5", and shares are given only once at least
    MIN_ANSWERS_TO_COMPARE people answered.
    """
    shares = population_shares(network_slug)
    region = region_name(network_slug)
    result = []
    for code, (title, categories) in DIMENSIONS.items():
        got = {c: int(counts.get(code, {}).get(c, 0)) for c, _, _ in categories}
        total = sum(got.values())
        dim = Dimension(code=code, title=title, answered=total if total >= SUPPRESS_BELOW else None)
        result.append(dim)
        if dim.answered is None:
            continue
        hidden = _suppress(got)
        if any(0 < got[c] < SUPPRESS_BELOW for c in hidden):
            dim.note_hidden = any(got[c] >= SUPPRESS_BELOW for c in hidden)
        dim.comparable = total >= MIN_ANSWERS_TO_COMPARE
        for c, label, sentence_label in categories:
            n = got[c]
            visible = c not in hidden
            share = round(100 * n / total) if visible and dim.comparable else None
            cell = Cell(code=c, label=label, population_share=shares[code][c], count=n if visible else None,
                        share=share, small=0 < n < SUPPRESS_BELOW)
            dim.cells.append(cell)
            if not dim.comparable or cell.population_share < MISSING_MIN_POPULATION_SHARE:
                continue
            participant_share = 100 * n / total
            if participant_share < MISSING_RATIO * cell.population_share:
                if not visible and cell.small:
                    tail = f"fewer than {SUPPRESS_BELOW} of the {total:,} participants who answered"
                elif not visible:
                    tail = "a smaller share of participants"
                elif n == 0:
                    tail = f"none of the {total:,} participants who answered"
                else:
                    tail = f"{_pct(participant_share)} of the {total:,} participants who answered"
                dim.missing.append(
                    f"{sentence_label} are {_pct(cell.population_share)} of {region} but {tail}."
                )
    return result


def _pct(value: float) -> str:
    return f"{value:.0f}%" if value >= 1 else "under 1%"
