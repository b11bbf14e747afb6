"""The seed data every Innovatorium starts with. No Django import: migrations and tests share it."""

from __future__ import annotations

# The six default partner groups of a network, in the order pages show them.
DEFAULT_CONSTITUENCIES: list[tuple[str, str, str, bool]] = [
    # (kind, name, description, declarations need a facilitator's verification)
    ("patients_public", "Patients and public", "Patients, carers and citizens.", False),
    ("nhs", "NHS", "People working in NHS organisations.", True),
    ("social_care", "Social care", "People working in adult and children's social care.", True),
    ("academia", "Academia", "Universities and research institutes.", False),
    ("industry", "Industry", "Companies, from start-ups to multinationals.", True),
    (
        "vcse",
        "Voluntary, community and social enterprise",
        "Charities, community groups and social enterprises (VCSE).",
        False,
    ),
]

# The 15 regional networks as licensed in 2013.
REGIONAL_NETWORKS: list[tuple[str, str, str]] = [
    ("eastern", "Eastern", "East of England: Cambridgeshire, Peterborough, Norfolk, Suffolk, Essex, Hertfordshire and Bedfordshire."),
    ("east-midlands", "East Midlands", "Derbyshire, Leicestershire, Lincolnshire, Northamptonshire, Nottinghamshire and Rutland."),
    ("health-innovation-manchester", "Health Innovation Manchester", "The ten localities of Greater Manchester."),
    ("health-innovation-network", "Health Innovation Network (South London)", "The twelve boroughs of south London."),
    ("imperial-college-health-partners", "Imperial College Health Partners", "North west London."),
    ("innovation-agency", "Innovation Agency (North West Coast)", "Cheshire, Merseyside, Lancashire and South Cumbria."),
    ("kent-surrey-sussex", "Kent Surrey Sussex", "Kent, Medway, Surrey and Sussex."),
    ("north-east-north-cumbria", "North East and North Cumbria", "From Northumberland to Teesside and North Cumbria."),
    ("oxford", "Oxford", "Oxfordshire, Buckinghamshire, Berkshire, Bedfordshire and Milton Keynes."),
    ("south-west", "South West", "Cornwall and the Isles of Scilly, Devon and Somerset."),
    ("uclpartners", "UCLPartners", "North central and north east London, Essex and Bedfordshire."),
    ("wessex", "Wessex", "Hampshire, the Isle of Wight, Dorset and south Wiltshire."),
    ("west-of-england", "West of England", "Bristol, North Somerset, South Gloucestershire, Bath, Swindon, Wiltshire and Gloucestershire."),
    ("west-midlands", "West Midlands", "Birmingham, the Black Country, Coventry, Warwickshire, Herefordshire, Worcestershire, Shropshire and Staffordshire."),
    ("yorkshire-humber", "Yorkshire & Humber", "Yorkshire and the Humber."),
]
