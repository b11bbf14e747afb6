"""A labelled set for measuring matching quality: needs written the way patients, carers and staff raise them,
each with the innovations in the demo Atlas (`innovatorium.atlas.demo`) that genuinely meet it.

Framework-free. Relevant innovations are named by the demo's exemplar names and concept stems: an innovation is
relevant when its name contains one of them (case-insensitive); generated innovations carry their concept's
stem in their name ("Beacon: falls risk app for care homes", "Norfolk falls risk app for care homes").

The needs deliberately do not copy the Atlas's wording: they say what goes wrong, in the words of the person
raising it ("my dad's heart flutter", "the GP keeps saying it's eczema"), so text matching has work to do.
Care setting and clinical area are what someone would plausibly pick on the form (sometimes nothing).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LabelledNeed:
    title: str
    description: str
    care_setting: str | None
    clinical_area: str | None
    relevant: tuple[str, ...]  # exemplar names or concept stems, matched case-insensitively against names


NEEDS: tuple[LabelledNeed, ...] = (
    LabelledNeed(
        "Teenagers won't go to the school nurse's office",
        "Pupils tell us they are too embarrassed to be seen queuing outside the nurse's room, especially about "
        "sex or self-harm. Most of them would message someone on their phone instead.",
        "schools", "children", ("ChatHealth",),
    ),
    LabelledNeed(
        "Keeping an eye on my mum's blood pressure and breathing at home",
        "Mum has COPD and high blood pressure. She has an old mobile, not a smartphone, and forgets to write her "
        "readings down. The practice only finds out she is worse when she ends up in hospital.",
        "home", "long-term-conditions", ("Florence", "Home spirometry for COPD"),
    ),
    LabelledNeed(
        "Hospital staff don't know who my husband is",
        "My husband has dementia. Every time he goes into hospital I tell the same story about his routines, what "
        "calms him and what he will eat. Nobody writes it down and he gets distressed.",
        "acute", "dementia", ("This is me",),
    ),
    LabelledNeed(
        "Irregular heartbeat found only after the stroke",
        "My dad's heart flutter was never picked up. He had a stroke last year and only then did they tell him he "
        "had atrial fibrillation. Could pharmacies check people's pulse?",
        "pharmacy", "stroke", ("Pulse check",),
    ),
    LabelledNeed(
        "Newly diagnosed with type 2 diabetes and no idea what to eat",
        "I was told I have type 2 diabetes and given a leaflet. The course is in the daytime, miles away and only in "
        "English, so my parents cannot go either.",
        "primary-care", "diabetes", ("Diabetes self-management education", "Low-calorie diet programme"),
    ),
    LabelledNeed(
        "Older patients lose their strength waiting in hospital beds",
        "Frail older people admitted for a chest infection stay for weeks and go home weaker or go to a care home. "
        "Many could be treated in their own home if someone could watch them closely.",
        "home", "frailty", ("Virtual ward for frailty",),
    ),
    LabelledNeed(
        "Residents keep falling at night in our care home",
        "We had eleven falls last quarter, two hip fractures. Staff notice someone is unsteady but there is no way "
        "to see the risk building up before it happens.",
        "care-homes", "frailty", ("Falls risk app for care homes",),
    ),
    LabelledNeed(
        "Heart failure patients stuck on low doses",
        "People with heart failure wait months between cardiology appointments, so their tablets are never increased "
        "to the right dose and they keep being readmitted.",
        "community", "cardiovascular", ("Heart failure nurse-led clinic",),
    ),
    LabelledNeed(
        "Months on the waiting list for a breathing test",
        "I have been breathless for a year. The GP wants a spirometry test to see if it's COPD but the waiting list "
        "at the hospital is six months.",
        "primary-care", "respiratory", ("Home spirometry for COPD",),
    ),
    LabelledNeed(
        "Can't get to lung rehab classes",
        "I was referred to pulmonary rehab but it is two buses away and I get too breathless to travel. I would do "
        "the exercises at home if someone led them.",
        "home", "respiratory", ("Pulmonary rehabilitation online",),
    ),
    LabelledNeed(
        "New mums struggling in silence",
        "After my baby was born I felt low and anxious but was scared that if I said so, social services would get "
        "involved. I wish I had talked to another mum who had been through it.",
        "community", "maternity", ("Perinatal mental health peer support",),
    ),
    LabelledNeed(
        "Too many hospital trips for blood pressure checks in pregnancy",
        "With pre-eclampsia risk I had to go to the day unit three times a week just to have my blood pressure "
        "taken. I could have done it at home.",
        "home", "maternity", ("Blood pressure monitoring in pregnancy",),
    ),
    LabelledNeed(
        "High cholesterol not being treated",
        "Our practice audit found hundreds of patients with high cholesterol and previous heart problems who are "
        "not on statins. Nobody has time to go through the list.",
        "primary-care", "cardiovascular", ("Lipid management pathway",),
    ),
    LabelledNeed(
        "Care home residents on too many tablets",
        "My aunt in a care home takes fourteen different medicines. She is drowsy and has fallen twice. Nobody has "
        "looked at whether she still needs them all.",
        "care-homes", "medicines", ("Structured medication review in care homes",),
    ),
    LabelledNeed(
        "Care home staff notice too late that a resident is getting ill",
        "By the time we call 999 the resident is very unwell. Carers say they knew something was off but didn't "
        "know how to explain it to the GP or the ambulance service.",
        "care-homes", "patient-safety", ("Early warning score for care homes",),
    ),
    LabelledNeed(
        "Eight months waiting for talking therapy",
        "I have anxiety and was put on a waiting list for counselling. I would try something online in the "
        "meantime if a therapist was checking in with me.",
        "mental-health", "mental-health", ("Digital cognitive behavioural therapy",),
    ),
    LabelledNeed(
        "Nowhere to go in a mental health crisis except A&E",
        "When I'm in crisis at night the only option is sitting in A&E for hours under bright lights. I need a calm "
        "place with people who understand.",
        "mental-health", "mental-health", ("Crisis café",),
    ),
    LabelledNeed(
        "Cancer picked up late after many GP visits",
        "My sister went to the GP five times with tiredness and weight loss before anyone thought of cancer. "
        "Could the computer flag patterns like this earlier?",
        "primary-care", "cancer", ("Cancer symptom checker",),
    ),
    LabelledNeed(
        "Bowel symptoms and a long wait for a camera test",
        "Patients with bowel changes all get referred for colonoscopy and wait weeks; most turn out fine but the "
        "ones with cancer wait just as long.",
        "primary-care", "cancer", ("Faecal immunochemical testing",),
    ),
    LabelledNeed(
        "Worrying mole and a long wait to see a skin specialist",
        "I found a mole that changed shape. The GP referred me urgently but the dermatology clinic is overwhelmed. "
        "Could a specialist look at a photo first?",
        "primary-care", "cancer", ("Teledermatology triage",),
    ),
    LabelledNeed(
        "Kidney problems missed in people with diabetes",
        "People with diabetes are meant to have a urine test for their kidneys every year but most never do it. "
        "By the time kidney disease is found it is advanced.",
        "pharmacy", "kidney", ("Kidney health check in community pharmacy",),
    ),
    LabelledNeed(
        "Waiting three weeks for a GP just to be sent to physio",
        "With back pain I waited for a GP appointment only to be told to see a physiotherapist, which was another "
        "wait. Why can't I see the physio first?",
        "primary-care", "musculoskeletal", ("Musculoskeletal first contact practitioner",),
    ),
    LabelledNeed(
        "Struggling with exercises after my knee replacement",
        "After my knee operation I was given a sheet of exercises. I don't know if I'm doing them right and the "
        "next physio appointment is weeks away.",
        "home", "musculoskeletal", ("Digital knee and hip rehabilitation",),
    ),
    LabelledNeed(
        "Stuck in hospital after a stroke waiting for rehab",
        "My father is medically fit to leave the stroke ward but is waiting for therapy to be arranged at home. "
        "He is losing confidence every day he stays.",
        "acute", "stroke", ("Stroke early supported discharge",),
    ),
    LabelledNeed(
        "Sepsis spotted too late when patients arrive by ambulance",
        "Our emergency department sees patients brought in by ambulance whose sepsis was not recognised on the way, "
        "so antibiotics are delayed.",
        "ambulance", "patient-safety", ("Sepsis screening tool for ambulance crews",),
    ),
    LabelledNeed(
        "Children back in hospital with asthma attacks",
        "Children discharged after an asthma attack come back within weeks. Parents tell us nobody checked how the "
        "child uses the inhaler or explained what to do next time.",
        "acute", "children", ("Asthma care bundle for children",),
    ),
    LabelledNeed(
        "Lonely patients coming to the surgery every week",
        "A lot of our frequent attenders are lonely, in debt or badly housed. Medicine cannot fix that, but we "
        "don't know the local groups that could help.",
        "primary-care", None, ("Social prescribing link workers",),
    ),
    LabelledNeed(
        "Too embarrassed to go to a sexual health clinic",
        "Young men in particular never come in for STI testing. Clinic slots are full anyway. A test posted home "
        "with results by text would help.",
        None, "sexual-health", ("Sexual health self-testing online", "ChatHealth"),
    ),
    LabelledNeed(
        "Night-time seizures going unnoticed",
        "My son has epilepsy. I lie awake listening in case he has a seizure in his sleep. Something that woke me "
        "if he had one would change our lives.",
        "home", "long-term-conditions", ("Remote monitoring for people with epilepsy",),
    ),
    LabelledNeed(
        "Keeping glucose steady in pregnancy with type 1 diabetes",
        "Pregnant with type 1 diabetes, I do finger-prick tests ten times a day and still have highs and lows the "
        "diabetes team only sees at clinic.",
        "home", "diabetes", ("Continuous glucose monitoring in pregnancy",),
    ),
    LabelledNeed(
        "Hospitals can't see what care homes know about a resident",
        "When a resident goes into hospital the ward has no idea of their medicines or care plan because our "
        "records are on paper in the home.",
        "care-homes", "patient-safety", ("Care home digital records", "This is me"),
    ),
    LabelledNeed(
        "Falls and pressure sores on the ward that we saw coming",
        "Nurses often know which patients are at risk of falling or getting pressure ulcers but the information "
        "isn't shared at the start of the shift.",
        "acute", "patient-safety", ("Patient safety huddles",),
    ),
)


def is_relevant(name: str, need: LabelledNeed) -> bool:
    lowered = name.lower()
    return any(label.lower() in lowered for label in need.relevant)
