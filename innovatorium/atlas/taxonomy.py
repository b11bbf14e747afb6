"""Controlled vocabularies for the Atlas and challenges. Framework-free, so importers and tests share them."""

from __future__ import annotations

CARE_SETTINGS: dict[str, str] = {
    "primary-care": "Primary care (GP practices)",
    "community": "Community health services",
    "acute": "Hospitals (acute care)",
    "mental-health": "Mental health services",
    "social-care": "Social care",
    "care-homes": "Care homes",
    "home": "At home and self-care",
    "pharmacy": "Community pharmacy",
    "ambulance": "Ambulance and urgent care",
    "schools": "Schools and young people's services",
}

CLINICAL_AREAS: dict[str, str] = {
    "cardiovascular": "Heart and circulation",
    "respiratory": "Lungs and breathing",
    "diabetes": "Diabetes",
    "dementia": "Dementia",
    "mental-health": "Mental health",
    "cancer": "Cancer",
    "maternity": "Maternity",
    "children": "Children and young people",
    "frailty": "Frailty and older people",
    "stroke": "Stroke",
    "musculoskeletal": "Muscles, bones and joints",
    "medicines": "Medicines optimisation",
    "patient-safety": "Patient safety",
    "long-term-conditions": "Long-term conditions",
    "kidney": "Kidney health",
    "sexual-health": "Sexual health",
}

INNOVATION_TYPES: dict[str, str] = {
    "digital": "Digital",
    "device": "Medical device",
    "diagnostic": "Diagnostic",
    "medicine": "Medicine",
    "pathway": "Pathway or service redesign",
    "workforce": "Workforce",
    "social": "Social innovation",
}

# Ordered: an innovation moves forward through these (and the exchange prefers the later ones).
STAGES: dict[str, str] = {
    "idea": "Idea",
    "development": "In development",
    "evidence": "Building evidence",
    "pilot": "Being piloted",
    "adoption": "Being adopted",
    "spread": "Spreading",
    "business-as-usual": "Business as usual",
}
STAGE_ORDER: dict[str, int] = {stage: index for index, stage in enumerate(STAGES)}

EVIDENCE_TYPES: dict[str, str] = {
    "rct": "Randomised controlled trial",
    "comparative": "Comparative study",
    "observational": "Observational study",
    "service-evaluation": "Service evaluation",
    "health-economic": "Health-economic analysis",
    "patient-experience": "Patient experience",
}

DEVICE_CLASSES: dict[str, str] = {
    "not-a-device": "Not a medical device",
    "class-i": "UKCA/CE class I",
    "class-iia": "UKCA/CE class IIa",
    "class-iib": "UKCA/CE class IIb",
    "class-iii": "UKCA/CE class III",
    "ivd": "In vitro diagnostic",
}

DTAC_STATUSES: dict[str, str] = {
    "not-applicable": "Not applicable",
    "in-progress": "DTAC assessment in progress",
    "passed": "Meets DTAC",
}
