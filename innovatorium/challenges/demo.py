"""Demo challenges: needs written the way patients, carers and staff put them, with supporters.

Called by `manage.py demo_data` after the demo people have joined their networks. Everything goes through the
services, so the public record holds each raise, support and status change as it would for real ones.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from django.utils import timezone

from innovatorium.challenges import services
from innovatorium.challenges.models import Challenge, ChallengeStatus, ChallengeSupport
from innovatorium.networks.models import Network
from innovatorium.people.models import COUNTED_VERIFICATION, STAFF_ROLES, Membership

# (voice, title, description, who is affected, roughly how many (low, high) or None, care setting, clinical area)
# voice: "patient" needs are raised by patients and carers; "staff" ones by NHS, social care or VCSE members.
NEEDS: list[tuple[str, str, str, str, tuple[int, int] | None, str, str]] = [
    ("patient", "Confidential advice from the school nurse without having to go to the office",
     "At my school everyone can see who goes to the nurse's office, so nobody goes about anything embarrassing. "
     "I'd text the school nurse if I could, about things like periods, sex, feeling low or my mum's drinking, "
     "and get an answer the same day without anyone knowing.",
     "Young people aged 11 to 19 at secondary schools and colleges", (20000, 90000), "schools", "children"),
    ("patient", "Telling the same story about my husband's dementia to every new professional",
     "My husband has Alzheimer's. Every time we see someone new — the GP, the memory clinic, a paramedic, the "
     "hospital — I have to explain everything again from the start: his medicines, what upsets him, what he can "
     "still do. I'd like one record that I hold and that they all read.",
     "Carers of people living with dementia", (5000, 30000), "community", "dementia"),
    ("staff", "Atrial fibrillation is going undetected until people have a stroke",
     "In our stroke unit roughly one in five admissions has AF that nobody knew about. Many of these people had "
     "seen a pharmacist, practice nurse or podiatrist in the year before. A quick pulse check or handheld ECG at "
     "those visits could find it while anticoagulation can still prevent the stroke.",
     "Adults over 65 in the community", (50000, 200000), "community", "cardiovascular"),
    ("patient", "I can't get to diabetes education sessions because of work",
     "I was diagnosed with type 2 diabetes last year and offered a course, but it is six weekday mornings at a "
     "health centre two buses away. I work shifts and couldn't go. I'd like to learn in the evenings, online or "
     "in bits on my phone, in a way that counts as doing the course.",
     "Working-age adults with type 2 diabetes", (10000, 60000), "primary-care", "diabetes"),
    ("patient", "Checking my blood pressure at home and having to phone the readings in",
     "My GP asked me to take my blood pressure twice a day for a week. Then I have to phone reception at 8am and "
     "read them all out. It would be much easier to text them in and get a message back saying they're fine or "
     "that I need to come in.",
     "People with high blood pressure or heart failure", (20000, 100000), "primary-care", "long-term-conditions"),
    ("patient", "Nobody told me what happens after my mum leaves hospital",
     "Mum was discharged on a Friday evening with a bag of new medicines and no idea who would visit. The care "
     "package didn't start until Tuesday. We need a simple plan on paper and on the phone: who is coming, when, "
     "and who to ring if they don't.",
     "Older people leaving hospital and their families", (3000, 20000), "acute", "frailty"),
    ("staff", "Care home residents sent to A&E at night for things we could manage with advice",
     "Our night staff are carers, not nurses. When a resident has a fall or a temperature at 2am they have no one "
     "to ask, so they call 999. A video call with a clinician who can see the resident would keep many of them "
     "out of A&E.",
     "Residents of care homes", (2000, 15000), "care-homes", "frailty"),
    ("patient", "Waiting months for my child's autism assessment with no help in the meantime",
     "We were told the wait for an assessment is two years. Our son is struggling at school now. We need support "
     "and advice while we wait, not just a letter saying we're on the list.",
     "Families of children waiting for neurodevelopmental assessment", (5000, 40000), "community", "children"),
    ("patient", "Inhaler technique: nobody has ever checked how I use mine",
     "I've had asthma for twenty years and changed inhalers three times, but no one has watched me use one. I "
     "only found out from a YouTube video that I was doing it wrong. A short check at the pharmacy or a video "
     "call would help.",
     "People with asthma or COPD", (30000, 150000), "pharmacy", "respiratory"),
    ("staff", "Too many people on ten or more medicines with no review",
     "In our practice over 800 people take ten or more medicines. Falls, confusion and hospital admissions follow. "
     "We need a way to find who most needs a structured medication review and the pharmacist time to do it.",
     "Older people on many medicines", (10000, 50000), "primary-care", "medicines"),
    ("patient", "Getting mental health help for my teenager before it becomes a crisis",
     "My daughter was self-harming. We were told she didn't meet the threshold for CAMHS until she took an "
     "overdose. There must be something between a leaflet and A&E.",
     "Teenagers with anxiety, depression or self-harm", (10000, 60000), "mental-health", "mental-health"),
    ("patient", "Appointment letters arrive after the appointment",
     "Twice this year my hospital letter arrived the day after the appointment, and I was marked as did-not-"
     "attend. Please send appointments by text or app as well as by post.",
     "Hospital outpatients", (50000, 300000), "acute", "patient-safety"),
    ("staff", "District nurses spend hours a day on paperwork in the car",
     "Our district nurses write up each visit twice: on paper in the home and again on the system back at base. "
     "They need to record once, at the bedside, on a device that works without signal.",
     "District nursing teams and their patients", (1000, 5000), "community", "long-term-conditions"),
    ("patient", "Translating at my own GP appointments for my parents",
     "My parents speak Bengali. I'm 16 and I have to miss school to translate at their appointments, including "
     "about things I shouldn't have to hear. Interpreters are rarely booked.",
     "People who do not speak English well, and their children", (5000, 40000), "primary-care", "patient-safety"),
    ("patient", "Support for heart patients who can't get to cardiac rehab classes",
     "After my heart attack I was offered rehab at the leisure centre twice a week. I don't drive and it's a "
     "long way. I'd do it at home with some guidance and someone checking in.",
     "People recovering from a heart attack or heart surgery", (2000, 12000), "home", "cardiovascular"),
    ("staff", "Pregnant women with raised blood pressure travelling in for checks",
     "Women with pregnancy hypertension come to day assessment two or three times a week just for a blood "
     "pressure reading. Many could monitor at home and send readings, coming in only when needed.",
     "Pregnant women with high blood pressure", (1000, 6000), "acute", "maternity"),
    ("patient", "Finding out my cancer test results takes weeks of phoning",
     "I had a biopsy and was told to ring for the results. I rang every day for three weeks. The worry was worse "
     "than the news. I want to know when results are back and when someone will talk to me.",
     "People having tests for suspected cancer", (10000, 50000), "acute", "cancer"),
    ("patient", "My dad keeps falling at night and lies on the floor until morning",
     "Dad lives alone and has fallen three times this winter. Once he lay on the floor for eight hours. He won't "
     "wear a pendant. Is there something that notices a fall without him having to press anything?",
     "Older people living alone", (10000, 80000), "home", "frailty"),
    ("staff", "People with kidney disease not picked up until they need dialysis",
     "Many people arrive in renal clinic with advanced kidney disease although their blood tests showed a decline "
     "years before. Practices need help spotting falling eGFR and acting on it.",
     "People with diabetes or high blood pressure at risk of kidney disease", (20000, 100000), "primary-care",
     "kidney"),
    ("patient", "Repeat prescriptions: ordering is a monthly battle",
     "I take five regular medicines. Every month one is missing, the pharmacy says the GP hasn't signed it, the "
     "GP says the pharmacy hasn't asked. I just want them to arrive together.",
     "People on regular medicines", (50000, 200000), "pharmacy", "medicines"),
    ("patient", "Sexual health testing without taking time off school or work",
     "The clinic is only open in the day and the waiting room is full of people from my town. Home testing kits "
     "and results by text would mean more people actually get tested.",
     "Young adults", (10000, 80000), "community", "sexual-health"),
    ("staff", "Ambulances waiting outside A&E while crews could be out on calls",
     "Our crews often wait over an hour to hand over patients. Some of these patients could have been seen at "
     "home or directed to urgent treatment centres with a clinical conversation before conveying.",
     "Ambulance crews and the people waiting for them", (5000, 30000), "ambulance", "patient-safety"),
    ("patient", "Back pain and a six-month wait for physiotherapy",
     "I was referred to physio for back pain and told the wait is six months. By then I'll have lost my job. "
     "Some exercises and advice to start with, and a way to check I'm doing them right, would help a lot.",
     "Adults with back and joint pain", (20000, 100000), "community", "musculoskeletal"),
    ("staff", "Stroke survivors lose the progress they made once they go home",
     "Patients make good progress with us, then therapy stops at discharge. Six months later many have lost arm "
     "function they had regained. Home-based therapy with remote support could keep it going.",
     "People who have had a stroke", (2000, 10000), "home", "stroke"),
    ("patient", "Young carers don't know where to get help",
     "I look after my mum who has MS. Nobody at school knew until I was in trouble for being late. There should "
     "be a simple way for young carers to be known about and get support without making a fuss.",
     "Young carers aged 8 to 18", (2000, 15000), "schools", "children"),
    ("staff", "Social workers and GPs can't see each other's notes about the same person",
     "We regularly find that a GP, a social worker and a district nurse are all worried about the same older "
     "person and none of them knows the others are involved. A shared view, with consent, would help us act "
     "sooner.",
     "Adults receiving both health and social care", (5000, 30000), "social-care", "frailty"),
    ("patient", "I want to know my medicines are safe together",
     "I was prescribed something new by the hospital and the pharmacist said it didn't mix with one from my GP. "
     "I'd like a single place where all my medicines are listed and checked.",
     "People prescribed medicines by more than one service", (20000, 100000), "pharmacy", "medicines"),
    ("patient", "Not being listened to about my long COVID symptoms",
     "Two years on I still can't work a full day. Each appointment is ten minutes with someone new. I'd like one "
     "named person and a way to track my symptoms that they'll look at.",
     "People with long COVID", (5000, 40000), "primary-care", "long-term-conditions"),
    ("staff", "Spotting patients getting worse on the ward before it is too late",
     "Observations are written on paper charts and early warning scores are added up by hand at busy times. "
     "Deterioration is missed. Automatic scoring and alerts would help nurses act sooner.",
     "Hospital inpatients", (20000, 100000), "acute", "patient-safety"),
    ("patient", "Lonely since my wife died and my GP just gives me tablets",
     "Since my wife died I go days without talking to anyone. The doctor offered antidepressants. What I need is "
     "something to do and people to do it with.",
     "Older people who are lonely or isolated", (10000, 60000), "community", "mental-health"),
    ("patient", "Bringing a premature baby home on oxygen with no one to ask at night",
     "Our baby came home on oxygen after ten weeks in the neonatal unit. At night every noise is terrifying. "
     "Being able to message a nurse who knows her would make such a difference.",
     "Parents of babies discharged from neonatal care", (500, 3000), "home", "maternity"),
    ("staff", "People with COPD end up in hospital every winter",
     "The same people with COPD are admitted every winter. Early warning of a flare-up, rescue packs and a call "
     "from the respiratory team could prevent many of these admissions.",
     "People with COPD", (10000, 50000), "community", "respiratory"),
    ("patient", "Screening letters that don't make sense to people with learning disabilities",
     "My brother has a learning disability. The bowel screening letter was four pages of small print and he "
     "threw it away. Easy read letters and someone to talk it through would mean he gets screened.",
     "People with learning disabilities", (3000, 20000), "primary-care", "cancer"),
    ("staff", "Community pharmacists could do more if they could see the GP record",
     "We could treat minor illness, check blood pressure and review medicines, but without the GP record we "
     "refer back for almost everything.",
     "People using community pharmacies", (50000, 200000), "pharmacy", "medicines"),
    ("patient", "Eating disorder support for my son while he waits for treatment",
     "Our son is 14 with anorexia and on a waiting list. As parents we don't know how to help at mealtimes. "
     "We need guidance and someone to call now, not in four months.",
     "Families of young people with eating disorders", (1000, 8000), "mental-health", "mental-health"),
    ("staff", "Diabetic foot problems found too late, leading to amputations",
     "People with diabetes are losing toes and feet to ulcers that weren't noticed. Regular foot checks are "
     "missed, especially for housebound people. Simple home checks or photos reviewed by podiatry could help.",
     "People with diabetes", (10000, 60000), "community", "diabetes"),
    ("patient", "Hearing my test results in a language I understand",
     "My mother speaks Polish and was given her diagnosis through a family friend on the phone. She deserved to "
     "hear it properly, with an interpreter, and to have something written in Polish to take home.",
     "People who need interpreters", (5000, 30000), "acute", "patient-safety"),
    ("patient", "After-school time to talk to someone about feeling anxious",
     "Lots of people in my year feel anxious about exams and stuff at home. The counsellor only comes in on "
     "Wednesdays and has a waiting list. An online chat in the evenings with someone trained would really help.",
     "Secondary school pupils", (20000, 90000), "schools", "mental-health"),
]

CLOSED_REASONS = [
    "Merged with an earlier need that says the same thing; supporters can follow that one.",
    "The service this need describes has now been commissioned across the area.",
    "Outside what the network can act on: passed to the integrated care board's patient experience team.",
]
RESPONSES = {
    ChallengeStatus.BEING_PRIORITISED: "Thank you for raising this. It is on the agenda for our next prioritisation "
                                       "workshop, where every partner group has an equal say.",
    ChallengeStatus.MATCHED: "We have found innovations already in use elsewhere that address this need, and are "
                             "introducing their teams to local services.",
    ChallengeStatus.IN_CO_PRODUCTION: "A working group of patients, carers, staff and an innovator is now shaping a "
                                      "pilot. Members who supported this need are welcome to join it.",
    ChallengeStatus.ADDRESSED: "A pilot has finished and the service is now offered locally. Thank you to everyone "
                               "who supported this need.",
    ChallengeStatus.CLOSED: "We have closed this need; the reason is shown above.",
}
STATUS_PATH = [ChallengeStatus.BEING_PRIORITISED, ChallengeStatus.MATCHED, ChallengeStatus.IN_CO_PRODUCTION,
               ChallengeStatus.ADDRESSED]
PATIENT_KINDS = ("patients_public",)
STAFF_KINDS = ("nhs", "social_care", "vcse")


def _final_status(rng: random.Random) -> str:
    roll = rng.random()
    for threshold, status in ((0.55, ChallengeStatus.OPEN), (0.70, ChallengeStatus.BEING_PRIORITISED),
                              (0.80, ChallengeStatus.MATCHED), (0.88, ChallengeStatus.IN_CO_PRODUCTION),
                              (0.95, ChallengeStatus.ADDRESSED)):
        if roll < threshold:
            return status
    return ChallengeStatus.CLOSED


def create_demo_challenges(rng: random.Random, count: int = 150) -> int:
    """Raise about `count` needs across the networks from their members, with supporters and progress.

    Needs are spread over the networks that have members; each network gets each kind of need at most once.
    Returns how many were raised.
    """
    memberships: dict[int, list[Membership]] = defaultdict(list)
    for m in (Membership.objects.filter(verification__in=COUNTED_VERIFICATION)
              .select_related("person", "constituency", "network").order_by("network_id", "pk")):
        memberships[m.network_id].append(m)
    networks = [n for n in Network.objects.order_by("name") if memberships.get(n.pk)]
    if not networks:
        return 0
    plan: list[tuple[Network, int]] = []
    order = list(range(len(NEEDS)))
    for network in networks:
        rng.shuffle(order)
        plan.extend((network, i) for i in order)
    rng.shuffle(plan)
    plan = plan[:count]
    now = timezone.now()
    raised = 0
    for network, index in plan:
        voice, title, description, who, people, care_setting, clinical_area = NEEDS[index]
        members = memberships[network.pk]
        kinds = PATIENT_KINDS if voice == "patient" else STAFF_KINDS
        raisers = [m for m in members if m.constituency.kind in kinds] or members
        raiser = rng.choice(raisers)
        challenge = services.challenge_raise(
            network=network, actor=raiser.person, title=title, description=description, who_is_affected=who,
            people_affected=rng.randint(*people) // 100 * 100 if people and rng.random() < 0.8 else None,
            care_setting=care_setting, clinical_area=clinical_area,
        )
        raised += 1
        created = now - dt.timedelta(days=rng.randint(1, 420), minutes=rng.randint(0, 1440))
        supporters = [m for m in members if m.person_id != raiser.person_id]
        # A few needs gather most support; the rest a handful.
        n = min(len(supporters), int(rng.paretovariate(1.2) * 4) - 4)
        for m in rng.sample(supporters, max(0, n)):
            services.challenge_support(challenge=challenge, actor=m.person)
        ChallengeSupport.objects.filter(challenge=challenge).update(created_at=created + dt.timedelta(days=1))
        Challenge.objects.filter(pk=challenge.pk).update(created_at=created, updated_at=created)
        final = _final_status(rng)
        if final == ChallengeStatus.OPEN:
            continue
        staff = [m.person for m in members if m.role in STAFF_ROLES]
        actor = rng.choice(staff) if staff else None
        path = [ChallengeStatus.CLOSED] if final == ChallengeStatus.CLOSED else STATUS_PATH[
            : STATUS_PATH.index(final) + 1]
        for status in path:
            reason = rng.choice(CLOSED_REASONS) if status == ChallengeStatus.CLOSED else ""
            services.challenge_set_status(challenge=challenge, actor=actor, status=status, reason=reason)
        if actor is not None:
            services.facilitator_respond(challenge=challenge, actor=actor, text=RESPONSES[final])
    return raised
