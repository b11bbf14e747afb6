"""The raw material of the demo data. No Django import: plain lists, read by `demo.services`.

NHS trusts and integrated care boards carry their real ODS codes and names (they are public bodies).
GP practices, companies, charities and patient groups are made up; their ODS-style codes follow the real
format (a letter, two digits for the commissioner, three for the practice) in a range kept for the demo.
"""

from __future__ import annotations

# (name, organisation type, ODS code or "", network slug or "" for national)
ORGANISATIONS: list[tuple[str, str, str, str]] = [
    # NHS trusts, one per network
    ("Cambridge University Hospitals NHS Foundation Trust", "nhs_trust", "RGT", "eastern"),
    ("Nottingham University Hospitals NHS Trust", "nhs_trust", "RX1", "east-midlands"),
    ("Manchester University NHS Foundation Trust", "nhs_trust", "R0A", "health-innovation-manchester"),
    ("Guy's and St Thomas' NHS Foundation Trust", "nhs_trust", "RJ1", "health-innovation-network"),
    ("Imperial College Healthcare NHS Trust", "nhs_trust", "RYJ", "imperial-college-health-partners"),
    ("Alder Hey Children's NHS Foundation Trust", "nhs_trust", "RBS", "innovation-agency"),
    ("Medway NHS Foundation Trust", "nhs_trust", "RPA", "kent-surrey-sussex"),
    ("The Newcastle upon Tyne Hospitals NHS Foundation Trust", "nhs_trust", "RTD", "north-east-north-cumbria"),
    ("Oxford University Hospitals NHS Foundation Trust", "nhs_trust", "RTH", "oxford"),
    ("Royal Cornwall Hospitals NHS Trust", "nhs_trust", "REF", "south-west"),
    ("University College London Hospitals NHS Foundation Trust", "nhs_trust", "RRV", "uclpartners"),
    ("University Hospital Southampton NHS Foundation Trust", "nhs_trust", "RHM", "wessex"),
    ("North Bristol NHS Trust", "nhs_trust", "RVJ", "west-of-england"),
    ("University Hospitals Birmingham NHS Foundation Trust", "nhs_trust", "RRK", "west-midlands"),
    ("Leeds Teaching Hospitals NHS Trust", "nhs_trust", "RR8", "yorkshire-humber"),
    # Integrated care boards
    ("NHS Cambridgeshire and Peterborough Integrated Care Board", "icb", "QUE", "eastern"),
    ("NHS Nottingham and Nottinghamshire Integrated Care Board", "icb", "QT1", "east-midlands"),
    ("NHS Greater Manchester Integrated Care Board", "icb", "QOP", "health-innovation-manchester"),
    ("NHS South East London Integrated Care Board", "icb", "QKK", "health-innovation-network"),
    ("NHS North West London Integrated Care Board", "icb", "QRV", "imperial-college-health-partners"),
    ("NHS Cheshire and Merseyside Integrated Care Board", "icb", "QYG", "innovation-agency"),
    ("NHS North East and North Cumbria Integrated Care Board", "icb", "QHM", "north-east-north-cumbria"),
    ("NHS Buckinghamshire, Oxfordshire and Berkshire West Integrated Care Board", "icb", "QU9", "oxford"),
    ("NHS Bristol, North Somerset and South Gloucestershire Integrated Care Board", "icb", "QUY", "west-of-england"),
    ("NHS West Yorkshire Integrated Care Board", "icb", "QWO", "yorkshire-humber"),
    # GP practices (made up)
    ("Fenland Riverside Surgery", "gp_practice", "D81901", "eastern"),
    ("Ancoats Health Centre", "gp_practice", "P84901", "health-innovation-manchester"),
    ("Peckham Rye Medical Practice", "gp_practice", "G85901", "health-innovation-network"),
    ("Toxteth Family Practice", "gp_practice", "N82901", "innovation-agency"),
    ("Heaton Road Surgery", "gp_practice", "A84901", "north-east-north-cumbria"),
    ("Penwith Moors Practice", "gp_practice", "L82901", "south-west"),
    ("Sparkbrook Medical Centre", "gp_practice", "M85901", "west-midlands"),
    ("Chapeltown Group Practice", "gp_practice", "B86901", "yorkshire-humber"),
    # Universities
    ("University of Cambridge", "university", "", "eastern"),
    ("University of Nottingham", "university", "", "east-midlands"),
    ("University of Manchester", "university", "", "health-innovation-manchester"),
    ("King's College London", "university", "", "health-innovation-network"),
    ("Newcastle University", "university", "", "north-east-north-cumbria"),
    ("University of Exeter", "university", "", "south-west"),
    ("University of Southampton", "university", "", "wessex"),
    # Companies (made up)
    ("Brightpath Diagnostics Ltd", "company", "", "eastern"),
    ("Kestrel Health Technologies Ltd", "company", "", "oxford"),
    ("Northwind MedTech Ltd", "company", "", "north-east-north-cumbria"),
    ("Tamar Sensors Ltd", "company", "", "south-west"),
    ("Pennine Remote Monitoring Ltd", "company", "", "yorkshire-humber"),
    ("Solent Therapeutics Ltd", "company", "", "wessex"),
    ("Wyvern Analytics Ltd", "company", "", "west-midlands"),
    ("Meridian Digital Care plc", "company", "", ""),
    # Voluntary, community and social enterprise (made up)
    ("Fens Carers Together", "vcse", "", "eastern"),
    ("Moss Side Community Health Trust", "vcse", "", "health-innovation-manchester"),
    ("Peckham Wellbeing Collective", "vcse", "", "health-innovation-network"),
    ("Dales Rural Transport Trust", "vcse", "", "yorkshire-humber"),
    ("Black Country Men's Sheds Network", "vcse", "", "west-midlands"),
    # Patient groups (made up)
    ("Eastern Kidney Patients' Forum", "patient_group", "", "eastern"),
    ("Bristol Diabetes Peer Support", "patient_group", "", "west-of-england"),
    ("Leeds Long Covid Patient Voice", "patient_group", "", "yorkshire-humber"),
    ("Cornwall Stroke Survivors", "patient_group", "", "south-west"),
    # Local authorities and care providers
    ("Kent County Council", "local_authority", "", "kent-surrey-sussex"),
    ("Birmingham City Council", "local_authority", "", "west-midlands"),
    ("Harbourside Home Care Ltd", "care_provider", "", "wessex"),
    ("Meadowbank Care Homes", "care_provider", "", "east-midlands"),
    ("Wearside Supported Living", "care_provider", "", "north-east-north-cumbria"),
]

# Which organisations back a declared constituency (by constituency kind).
ORGANISATION_TYPES_FOR_KIND: dict[str, tuple[str, ...]] = {
    "patients_public": ("patient_group",),
    "nhs": ("nhs_trust", "icb", "gp_practice"),
    "social_care": ("local_authority", "care_provider"),
    "academia": ("university",),
    "industry": ("company",),
    "vcse": ("vcse",),
}

# How ordinary members spread over the six default constituencies (weights, by kind).
CONSTITUENCY_WEIGHTS: dict[str, int] = {
    "patients_public": 36,
    "nhs": 20,
    "social_care": 8,
    "academia": 10,
    "industry": 14,
    "vcse": 12,
}

FIRST_NAMES = [
    "Aaliyah", "Abdul", "Adaeze", "Aisha", "Alan", "Alice", "Amara", "Amir", "Anita", "Arjun", "Beth", "Bilal",
    "Bronwen", "Callum", "Chen", "Chloe", "Daniel", "Deepa", "Dylan", "Eilidh", "Elena", "Emeka", "Fatima",
    "Finn", "Gareth", "Grace", "Hamza", "Hannah", "Harjit", "Imani", "Isla", "Jack", "Jasmine", "Joseph",
    "Kai", "Kamala", "Kwame", "Laura", "Leon", "Lucy", "Maryam", "Mei", "Mohammed", "Nadia", "Niamh", "Oliver",
    "Olu", "Owen", "Priya", "Rachel", "Ravi", "Rhys", "Rosa", "Ruth", "Saira", "Sean", "Siobhan", "Sofia",
    "Tariq", "Tom", "Usha", "Wei", "Yasmin", "Zainab", "Zoe",
]
LAST_NAMES = [
    "Abbott", "Adeyemi", "Ahmed", "Ali", "Armstrong", "Bailey", "Begum", "Bennett", "Brown", "Campbell", "Chan",
    "Chowdhury", "Clarke", "Davies", "Evans", "Fernandes", "Fletcher", "Gill", "Green", "Hall", "Hughes",
    "Hussain", "Iqbal", "Jackson", "Jones", "Kaur", "Kelly", "Khan", "Kowalski", "Lewis", "Li", "Lloyd",
    "Mensah", "Mitchell", "Morgan", "Murphy", "Nguyen", "Novak", "O'Brien", "Okafor", "Owusu", "Parker",
    "Patel", "Price", "Quinn", "Rahman", "Roberts", "Robinson", "Shah", "Singh", "Smith", "Taylor", "Thomas",
    "Turner", "Walker", "Ward", "Williams", "Wilson", "Wright", "Yilmaz", "Young",
]

ACCESS_NEEDS = [
    "Step-free access, please.",
    "Large-print papers sent a week before meetings.",
    "A British Sign Language interpreter.",
    "Breaks every hour; I have a chronic fatigue condition.",
    "Papers in Easy Read.",
    "A hearing loop in the room.",
    "I can only take part in the evenings because I am a carer.",
]

# (interest type, description template) — {organisation} is filled in from the person's organisation.
DECLARATIONS: list[tuple[str, str]] = [
    ("financial", "I hold shares in {organisation}."),
    ("financial", "Paid consultancy for {organisation} in the last 12 months."),
    ("professional", "Honorary contract with {organisation}."),
    ("professional", "Trustee of {organisation}."),
    ("personal", "Volunteer with {organisation}."),
    ("indirect", "My partner works for {organisation}."),
]

REJECTION_NOTES = [
    "We could not confirm that you work for the organisation you named; please reply with your work email.",
    "The organisation named is not a social-care provider; would the VCSE group fit you better?",
]
