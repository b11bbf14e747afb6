"""Demo content for the Atlas: ~400 innovations across the networks, their evidence and co-producers, ~60 case
studies and two collections, all written through the Atlas's services (so the public record reads as it would).

Called by `manage.py demo_data` with its seeded `random.Random`, so two loads hold the same Atlas.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from innovatorium.atlas import services, taxonomy
from innovatorium.atlas.models import Innovation
from innovatorium.networks.models import Network
from innovatorium.people.models import STAFF_ROLES, Membership, Organisation, OrganisationType, Person


@dataclass(frozen=True)
class Exemplar:
    name: str
    summary: str
    problem: str
    how_it_works: str
    value: str
    innovation_type: str
    stage: str
    care_settings: tuple[str, ...]
    clinical_areas: tuple[str, ...]
    device_class: str = "not-a-device"
    dtac_status: str = "not-applicable"
    nice_guidance: str = ""
    cost: str = ""


# The kinds of innovation the networks are known for, written out in full.
EXEMPLARS: list[Exemplar] = [
    Exemplar(
        "ChatHealth: text your school nurse",
        "A confidential text messaging service that lets young people aged 11 to 19 contact their school nurse "
        "for advice about emotional health, relationships, sexual health, bullying and more.",
        "Young people rarely walk into a school nurse's office: they worry about being seen, and drop-in times clash "
        "with lessons. Worries about self-harm, sexual health or bullying go unspoken until they become a crisis.",
        "Young people text a number publicised in school. Messages arrive on a secure web platform where the school "
        "nursing team replies within one working day, with safeguarding escalation and an out-of-hours bounce-back "
        "message pointing to urgent help.",
        "More young people ask for help earlier, and nurses handle many conversations in the time one appointment "
        "takes. Services report several times more contacts from boys than face-to-face clinics.",
        "digital", "spread", ("schools", "community"), ("children", "mental-health", "sexual-health"),
        dtac_status="passed", cost="Annual licence per service, around £6,000",
    ),
    Exemplar(
        "Florence: telehealth by text message",
        "Simple telehealth for people with long-term conditions: patients send readings such as blood pressure or "
        "oxygen levels by text and receive advice and reminders back on any mobile phone.",
        "People with hypertension, COPD or heart failure are asked to monitor themselves at home, but paper diaries "
        "are forgotten and smartphone apps leave out people with basic phones or little confidence online.",
        "A clinician sets a protocol. The service texts the patient prompts, reads their replies, sends "
        "tailored advice and alerts the clinical team when readings cross agreed thresholds.",
        "Fewer routine appointments, earlier intervention when readings worsen, and patients who feel more in "
        "control. Works on any phone, so it reaches people apps miss.",
        "digital", "business-as-usual", ("home", "primary-care"), ("long-term-conditions", "cardiovascular",
                                                                   "respiratory"),
        device_class="class-i", dtac_status="passed", cost="Per-patient licence, from £25 a year",
    ),
    Exemplar(
        "This is me: a carer-held record for people with dementia",
        "A short record kept by the person with dementia and their carer that tells staff in hospital or a care home "
        "who the person is: their routines, preferences, what upsets and what calms them.",
        "When someone with dementia is admitted to hospital, staff do not know them. Distress, poor eating and "
        "longer stays follow, and carers repeat the same story to every new team.",
        "Carers complete the record with the person at diagnosis and keep it with them. Wards and care homes agree "
        "to read it on admission and keep it at the bedside; a digital version links to the shared care record.",
        "Calmer admissions, fewer falls and less use of sedation; carers feel listened to and staff feel equipped.",
        "pathway", "spread", ("acute", "care-homes", "home"), ("dementia", "frailty"),
        cost="Free to use; printing and training time only",
    ),
    Exemplar(
        "Pulse check: community atrial fibrillation detection",
        "Finding atrial fibrillation before it causes a stroke, using handheld single-lead ECG devices in "
        "pharmacies, flu clinics and community venues.",
        "Atrial fibrillation often has no symptoms, yet untreated it causes a fifth of strokes. Many people only "
        "find out they have it after a stroke.",
        "Pharmacists, health care assistants and trained volunteers take a 30-second ECG reading with a handheld "
        "device during routine contacts. Possible AF is reviewed by a cardiologist and referred to the GP for "
        "anticoagulation.",
        "Every case found and treated early prevents strokes: lives saved, disability avoided and acute costs "
        "averted. The devices cost little and the checks fit into contacts already happening.",
        "diagnostic", "adoption", ("pharmacy", "community", "primary-care"), ("cardiovascular", "stroke"),
        device_class="class-iia", nice_guidance="MIB35", cost="Device around £100; a few minutes of staff time",
    ),
    Exemplar(
        "Diabetes self-management education for everyone",
        "Structured group education that helps people newly diagnosed with type 2 diabetes understand their "
        "condition and manage it day to day, in person or online, in several languages.",
        "Only a minority of people referred to diabetes education attend. Courses clash with work, are far from "
        "home, or are not offered in the person's language.",
        "Trained educators run six hours of group sessions on food, activity, medicines and emotional wellbeing. "
        "A digital version and sessions in community venues and languages other than English widen access.",
        "Lower HbA1c, weight loss and more confidence; fewer complications over time. Recommended by NICE.",
        "pathway", "business-as-usual", ("primary-care", "community", "home"), ("diabetes", "long-term-conditions"),
        nice_guidance="NG28", cost="Around £90 per participant",
    ),
]

# Concepts that generate the rest: (name stem, summary, problem, how it works, value, type, settings, areas, class)
CONCEPTS: list[tuple[str, str, str, str, str, str, tuple[str, ...], tuple[str, ...], str]] = [
    ("Virtual ward for frailty", "Hospital-level care at home for older people with frailty, with remote "
     "monitoring and a daily consultant-led review.", "Older people with frailty lose strength and independence "
     "in hospital beds.", "A multidisciplinary team visits and monitors patients at home, with a pulse oximeter "
     "and a tablet for video calls.", "Fewer bed days and patients recover where they live.", "pathway",
     ("home", "community"), ("frailty",), "not-a-device"),
    ("Falls risk app for care homes", "An app that helps care home staff spot residents at rising risk of "
     "falls and act before they fall.", "Falls in care homes cause fractures, admissions and loss of confidence.",
     "Staff record mobility, medicines and changes daily; the app flags rising risk and suggests actions.",
     "Fewer falls and ambulance call-outs.", "digital", ("care-homes",), ("frailty", "patient-safety"),
     "class-i"),
    ("Heart failure nurse-led clinic", "A nurse-led clinic in the community that starts and adjusts heart failure "
     "medicines quickly.", "Too few people with heart failure reach the doses of medicines that keep them out "
     "of hospital.", "Specialist nurses review patients every two weeks and titrate medicines under protocol.",
     "Fewer admissions and better survival.", "workforce", ("community", "primary-care"), ("cardiovascular",),
     "not-a-device"),
    ("Home spirometry for COPD", "Connected spirometers that let people with COPD test their lungs at home.",
     "Diagnostic spirometry waiting lists leave people undiagnosed for months.", "Patients are sent a "
     "Bluetooth spirometer; a respiratory physiologist coaches them through the test by video.", "Faster "
     "diagnosis, fewer clinic visits.", "device", ("home", "primary-care"), ("respiratory",), "class-iia"),
    ("Pulmonary rehabilitation online", "A six-week online pulmonary rehabilitation programme with live "
     "exercise classes.", "Many people referred to pulmonary rehabilitation never start because of travel.",
     "Live group exercise and education sessions by video, with equipment loaned where needed.", "More "
     "completions, better breathlessness scores.", "digital", ("home",), ("respiratory", "long-term-conditions"),
     "not-a-device"),
    ("Perinatal mental health peer support", "Peer supporters with lived experience help new parents through "
     "anxiety and depression in pregnancy and after birth.", "Many parents hide perinatal mental illness for fear "
     "of judgement.", "Trained volunteer peers meet parents weekly, alongside the specialist perinatal team.",
     "Parents engage earlier and feel less alone.", "social", ("community", "mental-health"),
     ("maternity", "mental-health"), "not-a-device"),
    ("Blood pressure monitoring in pregnancy at home", "Pregnant women with high blood pressure monitor it at home "
     "and send readings to their midwife.", "Women with hypertension in pregnancy attend day units several times "
     "a week.", "Validated monitors and a simple app or text service send readings to the maternity team.",
     "Fewer day-unit visits with safety maintained.", "digital", ("home",), ("maternity", "cardiovascular"),
     "class-iia"),
    ("Lipid management pathway", "A primary care pathway that finds people with high cholesterol and starts "
     "the right treatment.", "Many people at high cardiovascular risk are not on lipid-lowering treatment.",
     "Searches of GP records find eligible patients; pharmacists review and start treatment.", "Heart attacks "
     "and strokes avoided.", "pathway", ("primary-care", "pharmacy"), ("cardiovascular", "medicines"),
     "not-a-device"),
    ("Structured medication review in care homes", "Pharmacists review every care home resident's medicines "
     "twice a year with the GP and the family.", "Care home residents take many medicines, some causing falls "
     "and confusion.", "A pharmacist-led review using a stopping tool, with families involved.", "Fewer "
     "medicines, fewer falls, money saved.", "workforce", ("care-homes", "pharmacy"), ("medicines", "frailty"),
     "not-a-device"),
    ("Early warning score for care homes", "Care home staff use a simple early warning score to spot "
     "deterioration and talk to clinicians in the same language.", "Deterioration in care home residents is "
     "often recognised late.", "Staff take observations and calculate a score; a structured call script guides "
     "escalation.", "Earlier treatment and fewer avoidable admissions.", "pathway", ("care-homes",),
     ("patient-safety", "frailty"), "not-a-device"),
    ("Digital cognitive behavioural therapy", "Guided online CBT for anxiety and depression with a therapist "
     "checking in weekly.", "Waits for talking therapies are long.", "People work through modules online with "
     "weekly support messages from a psychological wellbeing practitioner.", "Shorter waits, good recovery "
     "rates.", "digital", ("home", "mental-health"), ("mental-health",), "class-i"),
    ("Crisis café", "An evening drop-in run by a mental health charity as an alternative to A&E for people "
     "in crisis.", "People in mental health crisis wait hours in A&E.", "Trained staff and peers offer a calm "
     "space, a plan and links to services, open until midnight.", "Fewer A&E attendances, people feel heard.",
     "social", ("community", "mental-health"), ("mental-health",), "not-a-device"),
    ("Cancer symptom checker for primary care", "Decision support that flags patients whose symptoms suggest "
     "cancer risk.", "Cancer is often diagnosed late after several GP visits.", "Software reads coded symptoms "
     "and test results and prompts the GP to consider urgent referral.", "Earlier diagnosis.", "digital",
     ("primary-care",), ("cancer",), "class-i"),
    ("Faecal immunochemical testing pathway", "FIT in primary care to prioritise people with bowel symptoms "
     "for colonoscopy.", "Colonoscopy capacity is stretched and most referrals find no cancer.", "Patients "
     "with symptoms complete a home FIT kit; results guide urgency.", "Faster diagnosis for those who need it.",
     "diagnostic", ("primary-care", "home"), ("cancer",), "ivd"),
    ("Teledermatology triage", "GP practices send dermatoscope photos of skin lesions for specialist triage.",
     "Urgent skin cancer referrals overwhelm dermatology clinics.", "A clip-on dermatoscope and a secure "
     "platform send images to consultants within days.", "Many patients avoid a hospital visit.", "digital",
     ("primary-care", "acute"), ("cancer",), "class-i"),
    ("Kidney health check in community pharmacy", "Pharmacies test urine for protein in people with diabetes or "
     "high blood pressure.", "Chronic kidney disease is underdiagnosed.", "A smartphone-read urine test kit used "
     "at home or in the pharmacy, with results sent to the GP.", "More people diagnosed and treated early.",
     "diagnostic", ("pharmacy", "home"), ("kidney", "diabetes"), "ivd"),
    ("Musculoskeletal first contact practitioner", "Physiotherapists as the first contact in GP practices for "
     "back, joint and muscle problems.", "A fifth of GP appointments are for musculoskeletal problems.",
     "Patients book directly with an advanced practice physiotherapist.", "Fewer GP appointments and imaging "
     "requests.", "workforce", ("primary-care",), ("musculoskeletal",), "not-a-device"),
    ("Digital knee and hip rehabilitation", "An exercise app with video coaching after joint replacement.",
     "Patients struggle to keep up physiotherapy exercises at home.", "Personalised exercise programmes with "
     "progress tracking reviewed by the physiotherapy team.", "Better function, fewer follow-ups.", "digital",
     ("home",), ("musculoskeletal",), "class-i"),
    ("Stroke early supported discharge", "A community stroke team that supports people home early after a "
     "stroke.", "People stay in hospital waiting for rehabilitation.", "Therapists deliver intensive rehab at "
     "home from the day after discharge.", "Shorter stays, better recovery.", "pathway", ("community", "home"),
     ("stroke",), "not-a-device"),
    ("Sepsis screening tool for ambulance crews", "A sepsis screening and pre-alert tool for paramedics.",
     "Sepsis is recognised late and antibiotics are delayed.", "Crews use a screening tool and pre-alert the "
     "emergency department.", "Faster antibiotics, lives saved.", "pathway", ("ambulance", "acute"),
     ("patient-safety",), "not-a-device"),
    ("Asthma care bundle for children", "A discharge bundle for children admitted with asthma, with inhaler "
     "technique and a written plan.", "Children are readmitted with preventable asthma attacks.",
     "Nurses check inhaler technique, give a personalised plan and book follow-up within two days.",
     "Fewer readmissions and school days lost.", "pathway", ("acute", "schools", "primary-care"),
     ("respiratory", "children"), "not-a-device"),
    ("Social prescribing link workers", "Link workers connect people with community groups for loneliness, debt, "
     "housing and activity.", "Many GP visits are about problems medicine cannot fix.", "GPs refer to a link "
     "worker who meets the person and connects them to local support.", "Better wellbeing, fewer GP visits.",
     "social", ("primary-care", "community"), ("mental-health", "long-term-conditions"), "not-a-device"),
    ("Sexual health self-testing online", "Order free STI test kits online and get results by text.",
     "Clinics are full and some people never come.", "An online service posts kits; labs text results and "
     "clinics treat positives.", "More people tested, clinic time freed.", "digital", ("home",),
     ("sexual-health",), "ivd"),
    ("Patient safety huddles", "Ten-minute daily ward huddles about who is at risk of harm today.",
     "Harm such as falls and pressure ulcers is often foreseen but not acted on.", "Teams meet at the same "
     "time daily around a board of patients at risk.", "Fewer falls and pressure ulcers.", "workforce",
     ("acute", "community"), ("patient-safety",), "not-a-device"),
    ("Remote monitoring for people with epilepsy", "A wearable that detects seizures and alerts carers.",
     "Night-time seizures go unnoticed.", "A wrist sensor detects convulsive seizures and alerts a carer's "
     "phone.", "Faster help and reassurance for families.", "device", ("home",), ("long-term-conditions",),
     "class-iia"),
    ("Continuous glucose monitoring in pregnancy", "Sensors that give pregnant women with type 1 diabetes "
     "constant glucose readings.", "Tight glucose control in pregnancy is hard with finger-prick tests.",
     "A sensor worn on the arm streams readings to a phone and the diabetes team.", "Better outcomes for "
     "babies.", "device", ("home", "acute"), ("diabetes", "maternity"), "class-iib"),
    ("Low-calorie diet programme for type 2 diabetes", "Total diet replacement for 12 weeks to put type 2 "
     "diabetes into remission.", "Type 2 diabetes is usually treated as lifelong.", "Soups and shakes "
     "replace meals, then food is reintroduced with coaching.", "Many people achieve remission.", "pathway",
     ("primary-care", "home"), ("diabetes",), "not-a-device"),
    ("Care home digital records", "Digital social care records shared with GPs and hospitals.", "Paper records "
     "in care homes cannot be seen by the NHS.", "Staff record care on handheld devices; summaries flow to "
     "the shared care record.", "Safer handovers and less time on paperwork.", "digital", ("care-homes",
     "social-care"), ("frailty", "patient-safety"), "not-a-device"),
]

BRANDS = [
    "Beacon", "Harbour", "Kinship", "Wayfinder", "Compass", "Lantern", "Meridian", "Tideway", "Keystone", "Horizon",
    "Evergreen", "Brightside", "Northstar", "Willow", "Thrive", "Anchor", "Junction", "Pathfinder", "Sunrise",
    "Riverside", "Connect", "Steady", "Bridge", "Clearview", "Homeward", "Open Door", "Fieldside", "Greenway",
]
PLACES = {
    "eastern": ["Norfolk", "Suffolk", "Peterborough"], "east-midlands": ["Derby", "Leicester", "Lincolnshire"],
    "health-innovation-manchester": ["Salford", "Oldham", "Stockport"],
    "health-innovation-network": ["Lambeth", "Croydon", "Southwark"],
    "imperial-college-health-partners": ["Ealing", "Hillingdon", "Brent"],
    "innovation-agency": ["Liverpool", "Blackpool", "Cheshire"], "kent-surrey-sussex": ["Medway", "Brighton", "Surrey"],
    "north-east-north-cumbria": ["Gateshead", "Teesside", "Carlisle"], "oxford": ["Oxford", "Milton Keynes", "Reading"],
    "south-west": ["Cornwall", "Plymouth", "Exeter"], "uclpartners": ["Camden", "Tower Hamlets", "Barking"],
    "wessex": ["Portsmouth", "Dorset", "Isle of Wight"], "west-of-england": ["Bristol", "Bath", "Swindon"],
    "west-midlands": ["Coventry", "Wolverhampton", "Shropshire"], "yorkshire-humber": ["Leeds", "Hull", "Sheffield"],
}
AUTHORS = ["Patel", "Smith", "Okafor", "Jones", "Nguyen", "Williams", "Khan", "Brown", "Evans", "Hussain", "Taylor"]
JOURNALS = ["BMJ Open", "British Journal of General Practice", "Age and Ageing", "BMJ Quality & Safety",
            "Diabetic Medicine", "Health Services and Delivery Research", "Journal of Telemedicine and Telecare"]
EVIDENCE_TITLES = {
    "rct": "a randomised controlled trial of {name}",
    "comparative": "{name} compared with usual care: a matched cohort study",
    "observational": "outcomes after introducing {name}: an observational study",
    "service-evaluation": "Service evaluation of {name} in {place}",
    "health-economic": "Cost-consequence analysis of {name}",
    "patient-experience": "What patients and carers told us about {name}",
}
ROLES = {
    "patients_public": ["Co-designed the service with lived experience", "Tested early versions",
                        "Patient partner on the steering group"],
    "nhs": ["Clinical lead", "Host trust and evaluation site", "Commissioned the pilot"],
    "social_care": ["Care home partner", "Adult social care lead"],
    "academia": ["Independent evaluation", "Health-economic analysis"],
    "industry": ["Developed the technology", "Supplies and supports the devices"],
    "vcse": ["Ran community sessions", "Recruited and trained peer supporters"],
}
KIND_FOR_TYPE = {
    OrganisationType.PATIENT_GROUP: "patients_public", OrganisationType.NHS_TRUST: "nhs", OrganisationType.ICB: "nhs",
    OrganisationType.GP_PRACTICE: "nhs", OrganisationType.LOCAL_AUTHORITY: "social_care",
    OrganisationType.CARE_PROVIDER: "social_care", OrganisationType.UNIVERSITY: "academia",
    OrganisationType.COMPANY: "industry", OrganisationType.VCSE: "vcse",
}
FALLBACK_ORGANISATIONS = [
    ("Brightside Health Ltd", OrganisationType.COMPANY), ("Northstar Medical Devices Ltd", OrganisationType.COMPANY),
    ("University of Wessex (demo)", OrganisationType.UNIVERSITY), ("Carers Together", OrganisationType.VCSE),
    ("Patient Voice Panel", OrganisationType.PATIENT_GROUP), ("Riverside Care Homes", OrganisationType.CARE_PROVIDER),
]


@dataclass(frozen=True)
class DemoAtlas:
    innovations: int
    evidence: int
    co_producers: int
    case_studies: int
    collections: int


def _facilitators() -> dict[int, Person]:
    found: dict[int, Person] = {}
    for membership in Membership.objects.filter(role__in=STAFF_ROLES).select_related("person").order_by("pk"):
        found.setdefault(membership.network_id, membership.person)
    return found


def _organisations() -> dict[str, list[Organisation]]:
    by_kind: dict[str, list[Organisation]] = {}
    organisations = list(Organisation.objects.order_by("pk"))
    if len(organisations) < 6:
        for name, kind in FALLBACK_ORGANISATIONS:
            organisations.append(Organisation.objects.get_or_create(name=name, defaults={"type": kind})[0])
    for organisation in organisations:
        by_kind.setdefault(KIND_FOR_TYPE.get(organisation.type, "vcse"), []).append(organisation)
    return by_kind


def create_demo_atlas(rng: random.Random, count: int = 400) -> DemoAtlas:
    """Write ~`count` published innovations with evidence and co-producers, ~count/7 case studies, 2 collections."""
    networks = list(Network.objects.order_by("slug"))
    if not networks:
        raise ValueError("The Atlas demo needs networks: load them first.")
    staff = _facilitators()
    organisations = _organisations()
    stages = list(taxonomy.STAGES)
    made: list[Innovation] = []
    evidence = co_producers = 0
    used: set[tuple[int, str]] = set()

    plan: list[tuple[Network, Exemplar]] = []
    for index, exemplar in enumerate(EXEMPLARS):
        plan.append((networks[(index * 4) % len(networks)], exemplar))
    while len(plan) < count:
        network = rng.choice(networks)
        stem, summary, problem, how, value, kind, settings, areas, device = rng.choice(CONCEPTS)
        place = rng.choice(PLACES.get(network.slug, ["the region"]))
        name = rng.choice([f"{rng.choice(BRANDS)}: {stem.lower()}", f"{place} {stem.lower()}",
                           f"{stem} ({rng.choice(BRANDS)})"])
        name = name[0].upper() + name[1:]
        if (network.pk, name) in used:
            continue
        used.add((network.pk, name))
        stage = rng.choices(stages, weights=[6, 12, 14, 18, 20, 16, 14])[0]
        dtac = "passed" if kind == "digital" and rng.random() < 0.5 else (
            "in-progress" if kind == "digital" else "not-applicable")
        plan.append((network, Exemplar(
            name, f"{summary} Developed in {place}.", problem, how, value, kind, stage, settings, areas,
            device_class=device, dtac_status=dtac, cost=rng.choice(["", "Under £10,000 a year", "£2 to £5 per "
                                                                    "patient", "Staff time only",
                                                                    "£30,000 set-up, then £8,000 a year"]),
        )))

    for network, item in plan:
        actor = staff.get(network.pk)
        owner_kind = "industry" if item.innovation_type in ("digital", "device", "diagnostic") else "nhs"
        owner = rng.choice(organisations.get(owner_kind) or organisations[next(iter(organisations))])
        moves = rng.random() < 0.25 and taxonomy.STAGE_ORDER[item.stage] > 0
        start = stages[taxonomy.STAGE_ORDER[item.stage] - 1] if moves else item.stage
        innovation = services.innovation_create(
            network=network, actor=actor, name=item.name, summary=item.summary, innovation_type=item.innovation_type,
            stage=start, problem=item.problem, how_it_works=item.how_it_works, value_proposition=item.value,
            care_settings=item.care_settings, clinical_areas=item.clinical_areas, device_class=item.device_class,
            dtac_status=item.dtac_status, nice_guidance=item.nice_guidance,
            cqc_registered=item.innovation_type == "pathway" and rng.random() < 0.2, indicative_cost=item.cost,
            owner_organisation=owner,
        )
        services.innovation_publish(innovation=innovation, actor=actor)
        if moves:
            services.innovation_set_stage(innovation=innovation, actor=actor, stage=item.stage,
                                          reason=rng.choice(["Pilot sites reported good results.",
                                                             "Commissioned by two more ICBs.",
                                                             "Evaluation completed."]))
        place = rng.choice(PLACES.get(network.slug, ["the region"]))
        for _ in range(rng.choices([0, 1, 2, 3], weights=[2, 4, 3, 1])[0]):
            evidence_type = rng.choice(list(EVIDENCE_TITLES))
            title = EVIDENCE_TITLES[evidence_type].format(name=item.name.split(":")[0], place=place)
            year = rng.randint(2014, 2025)
            services.evidence_add(
                innovation=innovation, actor=actor, evidence_type=evidence_type,
                citation=f"{rng.choice(AUTHORS)} et al. ({year}). {title[0].upper() + title[1:]}. "
                         f"{rng.choice(JOURNALS)}.",
                summary=rng.choice(["Improved the primary outcome with no safety concerns.",
                                    "Results were positive but the sample was small.",
                                    "Patients rated the service highly; staff time fell.",
                                    "Savings outweighed costs within two years."]),
                independent=evidence_type in ("rct", "health-economic") or rng.random() < 0.4,
            )
            evidence += 1
        kinds = ["patients_public", *rng.sample(["nhs", "academia", "industry", "vcse", "social_care"], 2)]
        for kind in kinds[: rng.randint(1, 3)]:
            candidates = organisations.get(kind)
            if not candidates:
                continue
            services.co_producer_add(innovation=innovation, actor=actor, organisation=rng.choice(candidates),
                                     constituency_kind=kind, role=rng.choice(ROLES[kind]))
            co_producers += 1
        made.append(innovation)

    case_studies = 0
    for innovation in rng.sample(made, min(len(made), max(1, count * 60 // 400))):
        network = rng.choice(networks) if rng.random() < 0.3 else innovation.network
        place = rng.choice(PLACES.get(network.slug, ["the region"]))
        services.case_study_create(
            network=network, actor=staff.get(network.pk),
            title=f"{innovation.name.split(':')[0].split(' (')[0]} in {place}",
            challenge_text=innovation.problem,
            what_was_done=f"{place} introduced {innovation.name} in {rng.randint(2, 12)} sites over "
                          f"{rng.randint(3, 18)} months, with patient partners shaping how it was offered.",
            impact=rng.choice(["Contacts doubled within six months.", "Admissions fell by 14% against the year "
                               "before.", "Waiting times halved.", "Nine in ten patients would recommend it."]),
            contact=f"Innovation team, {network.name}", innovation=innovation, publish=True,
        )
        case_studies += 1

    countdown = services.collection_create(
        actor=None, title="NHS at 70: a countdown of innovations", slug="nhs-at-70",
        introduction="Seventy innovations from the regional networks that changed care, counted down by the "
                     "networks' members.",
    )
    for innovation in rng.sample(made, min(70, len(made))):
        services.collection_add(collection=countdown, actor=None, innovation=innovation)
    home = made[0].network
    showcase = services.collection_create(
        actor=None, network=home, title=f"{home.name} showcase",
        introduction=f"Innovations {home.name}'s members are proudest of, chosen by its members' council.",
    )
    for innovation in [i for i in made if i.network_id == home.pk][:12]:
        services.collection_add(collection=showcase, actor=None, innovation=innovation, note=innovation.summary[:200])
    return DemoAtlas(innovations=len(made), evidence=evidence, co_producers=co_producers,
                     case_studies=case_studies, collections=2)
