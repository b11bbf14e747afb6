"""Loading the demo data: made-up people in the 15 real regional networks.

Every change goes through the same services the site uses, so the public record is written as it would be
by real people (joins, role changes, verifications, declarations) and verifies afterwards. A seeded
`random.Random` makes two loads with the same seed and size hold the same people, memberships and choices.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.module_loading import import_string

from innovatorium.demo import data
from innovatorium.demo.constants import (
    DEMO_DOMAIN,
    DEMO_LOGINS,
    DEMO_MARKER_ACTION,
    DEMO_NETWORK_SLUG,
    DEMO_PASSWORD,
    DEMO_PEOPLE,
    DEMO_SEED,
    SUPERUSER_LOGIN,
)
from innovatorium.demo.selectors import demo_data_marker
from innovatorium.networks.defaults import REGIONAL_NETWORKS
from innovatorium.networks.models import Constituency, Network
from innovatorium.people import services as people_services
from innovatorium.people.models import Membership, Organisation, Person, Role, User, Verification
from innovatorium.record.models import RecordHead
from innovatorium.record.services import record_append

# Every network has an admin, a facilitator and two board members; the demo network's come from the logins.
STAFF_PER_NETWORK = 4
PSEUDONYM_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # as people.models.new_pseudonym

# Other apps' demo content, made after the people have joined (in this order), when the app is installed:
# (app, dotted path of a function taking (rng, count), count at the default size of DEMO_PEOPLE people).
DEMO_CONTENT: list[tuple[str, str, int]] = [
    ("innovatorium.atlas", "innovatorium.atlas.demo.create_demo_atlas", 400),
    ("innovatorium.adoption", "innovatorium.adoption.demo.create_demo_adoption", 8000),
    ("innovatorium.challenges", "innovatorium.challenges.demo.create_demo_challenges", 150),
    ("innovatorium.projects", "innovatorium.projects.demo.create_demo_projects", 60),
    ("innovatorium.benefits", "innovatorium.benefits.demo.create_demo_benefits", 5),
    ("innovatorium.priorities", "innovatorium.priorities.demo.create_demo_round", 300),
    ("innovatorium.deliberation", "innovatorium.deliberation.demo.create_demo_conversation", 500),
    ("innovatorium.events", "innovatorium.events.demo.create_demo_events", 80),
    ("innovatorium.impact", "innovatorium.impact.demo.create_demo_impact", 90),
    ("innovatorium.governance", "innovatorium.governance.demo.create_demo_governance", 12),
    ("innovatorium.dashboard", "innovatorium.dashboard.demo.create_demo_dashboard", 120),
]


class DemoDataError(Exception):
    """The database cannot take the demo data (for example, the regional networks are missing)."""


@dataclass(frozen=True)
class DemoLoad:
    created: bool  # False when the demo data was already there and nothing was changed
    people: int
    organisations: int
    memberships: int
    record_entries: int
    seed: int
    content: tuple[str, ...] = ()  # what each other app's demo content function made, in words


def demo_people_planned(*, people: int = DEMO_PEOPLE) -> int:
    """How many people a load of this size makes: never fewer than the logins and every network's staff."""
    minimum = len(DEMO_LOGINS) + STAFF_PER_NETWORK * (len(REGIONAL_NETWORKS) - 1) + 1
    return max(people, minimum)


def demo_content_planned() -> list[tuple[str, str, int]]:
    """The other apps' demo content this site will load: those of DEMO_CONTENT whose app is installed."""
    return [item for item in DEMO_CONTENT if apps.is_installed(item[0])]


@transaction.atomic
def demo_data_load(
    *,
    people: int = DEMO_PEOPLE,
    seed: int = DEMO_SEED,
    content: bool = True,
    progress: Callable[[int], None] | None = None,
    describe: Callable[[str], None] | None = None,
) -> DemoLoad:
    """Load the demo data once. A second call changes nothing and says what is already there.

    `content=False` loads the people only (fast, for tests). `progress` is told of each person made and each
    app's content finished; `describe` of what is being made.
    """
    marker = demo_data_marker()
    if marker is not None:
        return DemoLoad(
            created=False,
            people=marker.payload.get("people", 0),
            organisations=marker.payload.get("organisations", 0),
            memberships=marker.payload.get("memberships", 0),
            record_entries=0,
            seed=marker.payload.get("seed", seed),
            content=tuple(marker.payload.get("content", [])),
        )
    progress = progress or (lambda _n: None)
    describe = describe or (lambda _label: None)
    head = RecordHead.objects.filter(pk=1).values_list("last_sequence", flat=True).first() or 0
    describe("People")
    loader = _Loader(rng=random.Random(seed), progress=progress)  # noqa: S311 - made-up data
    planned = demo_people_planned(people=people)
    loader.load(people=planned)
    counts = {
        "people": len(loader.people),
        "organisations": len(loader.organisations),
        "memberships": loader.memberships,
    }
    made: list[str] = []
    for app, path, default_count in demo_content_planned() if content else []:
        describe(app.rsplit(".", 1)[-1].capitalize())
        # Each app gets its own seeded source, so adding one app's content never changes another's.
        rng = random.Random(f"{seed}:{path}")  # noqa: S311 - made-up data
        result = import_string(path)(rng, max(1, round(default_count * planned / DEMO_PEOPLE)))
        made.append(f"{app.rsplit('.', 1)[-1]}: {result}")
        progress(1)
    entry = record_append(
        action=DEMO_MARKER_ACTION, actor=None,
        payload={
            "seed": seed, **counts, "content": made,
            "note": "Everything recorded before this entry was made up by manage.py demo_data.",
        },
    )
    return DemoLoad(created=True, record_entries=entry.sequence - head, seed=seed, content=tuple(made), **counts)


class _Loader:
    """One load's state: the random source, the networks and who holds which role in each."""

    def __init__(self, *, rng: random.Random, progress: Callable[[int], None]) -> None:
        self.rng = rng
        self.progress = progress
        # Hashing once and sharing the hash keeps a 300-person load to seconds (one PBKDF2 run, not 300).
        self.password_hash = make_password(DEMO_PASSWORD)
        self.people: list[Person] = []
        self.organisations: list[Organisation] = []
        self.memberships = 0
        self.pseudonyms: set[str] = set(Person.objects.values_list("pseudonym", flat=True))
        slugs = [slug for slug, _, _ in REGIONAL_NETWORKS]
        by_slug = {network.slug: network for network in Network.objects.filter(slug__in=slugs)}
        missing = sorted(set(slugs) - set(by_slug))
        if missing:
            raise DemoDataError(
                f"The regional networks {', '.join(missing)} are missing: run `manage.py migrate` on a new database."
            )
        self.networks = [by_slug[slug] for slug in slugs]
        self.constituencies: dict[tuple[int, str], Constituency] = {}
        for constituency in Constituency.objects.filter(network__in=self.networks, is_active=True).order_by(
            "network_id", "position", "pk"
        ):
            self.constituencies.setdefault((constituency.network_id, constituency.kind), constituency)
        self.admins: dict[int, Person] = {}
        self.facilitators: dict[int, Person] = {}

    # --- building blocks ---------------------------------------------------------------------------

    def pseudonym(self) -> str:
        while True:
            candidate = "Member " + "".join(self.rng.choice(PSEUDONYM_ALPHABET) for _ in range(8))
            if candidate not in self.pseudonyms:
                self.pseudonyms.add(candidate)
                return candidate

    def person(
        self,
        *,
        email: str,
        name: str,
        show_name: bool,
        contact: bool = False,
        access_needs: str = "",
        superuser: bool = False,
    ) -> Person:
        user = User.objects.create(
            email=email, password=self.password_hash, is_staff=superuser, is_superuser=superuser
        )
        # A verified primary address, so demo logins are never asked to confirm their email first.
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        person = people_services.person_create(user=user, display_name=name)
        # Seeded pseudonyms (set before the person's first record entry) keep the load deterministic.
        person.pseudonym = self.pseudonym()
        person.save(update_fields=["pseudonym"])
        if show_name or contact or access_needs:
            people_services.person_update_profile(
                person=person, display_name=name, show_name_publicly=show_name, contact_consent=contact,
                access_needs=access_needs,
            )
        self.people.append(person)
        self.progress(1)
        return person

    def constituency(self, network: Network, kind: str) -> Constituency:
        constituency = self.constituencies.get((network.pk, kind)) or self.constituencies.get(
            (network.pk, "patients_public")
        )
        if constituency is None:
            raise DemoDataError(f"{network.name} has no active constituency to join.")
        return constituency

    def organisation_for(self, network: Network, kind: str) -> Organisation | None:
        types = data.ORGANISATION_TYPES_FOR_KIND.get(kind, ())
        local = [o for o in self.organisations if o.type in types and o.network_id == network.pk]
        anywhere = [o for o in self.organisations if o.type in types and o.network_id in (None, network.pk)]
        if kind == "patients_public":
            # Most patients and carers join as themselves, not through a group.
            return self.rng.choice(local) if local and self.rng.random() < 0.4 else None
        candidates = local or anywhere or [o for o in self.organisations if o.type in types]
        return self.rng.choice(candidates) if candidates else None

    def join(
        self, person: Person, network: Network, kind: str, *, organisation: Organisation | None = None
    ) -> Membership:
        constituency = self.constituency(network, kind)
        if organisation is None:
            organisation = self.organisation_for(network, constituency.kind)
        self.memberships += 1
        return people_services.membership_join(
            person=person, network=network, constituency=constituency, organisation=organisation
        )

    def verify(self, membership: Membership, *, by: Person, approve: bool = True, note: str = "") -> None:
        people_services.membership_verify(membership=membership, actor=by, approve=approve, note=note)

    def declare(self, person: Person, network: Network, *, organisation: Organisation | None) -> None:
        interest_type, template = self.rng.choice(data.DECLARATIONS)
        name = organisation.name if organisation else self.rng.choice(self.organisations).name
        people_services.declaration_add(
            person=person, network=network, interest_type=interest_type,
            description=template.format(organisation=name), organisation_name=name,
        )

    def made_up_name(self) -> str:
        return f"{self.rng.choice(data.FIRST_NAMES)} {self.rng.choice(data.LAST_NAMES)}"

    def email_for(self, name: str) -> str:
        local = "".join(ch for ch in name.lower().replace(" ", ".") if ch.isalnum() or ch == ".")
        return f"{local}.{len(self.people) + 1}@{DEMO_DOMAIN}"

    # --- the load ----------------------------------------------------------------------------------

    def load(self, *, people: int) -> None:
        superuser_email, superuser_name, _ = SUPERUSER_LOGIN
        superuser = self.person(email=superuser_email, name=superuser_name, show_name=True, superuser=True)
        for name, org_type, ods_code, network_slug in data.ORGANISATIONS:
            network = next((n for n in self.networks if n.slug == network_slug), None)
            self.organisations.append(
                people_services.organisation_create(
                    actor=superuser, name=name, type=org_type, ods_code=ods_code, network=network
                )
            )
        demo_network = next(n for n in self.networks if n.slug == DEMO_NETWORK_SLUG)
        self.load_demo_logins(demo_network, superuser=superuser)
        for network in self.networks:
            if network != demo_network:
                self.load_staff(network, superuser=superuser)
        self.load_board_member(demo_network)
        for _ in range(people - len(self.people)):
            self.load_member()

    def load_demo_logins(self, network: Network, *, superuser: Person) -> None:
        logins = {email.split("@")[0]: (email, name) for email, name, _ in DEMO_LOGINS}
        org = {o.ods_code or o.name: o for o in self.organisations}

        email, name = logins["admin"]
        admin = self.person(email=email, name=name, show_name=True, contact=True)
        membership = self.join(admin, network, "nhs", organisation=org["RGT"])
        people_services.membership_set_role(membership=membership, actor=superuser, role=Role.ADMIN)
        self.verify(membership, by=superuser)
        self.admins[network.pk] = admin

        email, name = logins["facilitator"]
        facilitator = self.person(email=email, name=name, show_name=True, contact=True)
        membership = self.join(facilitator, network, "nhs", organisation=org["QUE"])
        people_services.membership_set_role(membership=membership, actor=admin, role=Role.FACILITATOR)
        self.verify(membership, by=admin)
        self.facilitators[network.pk] = facilitator

        email, name = logins["board"]
        board = self.person(email=email, name=name, show_name=True, contact=True)
        patient_group = org["Eastern Kidney Patients' Forum"]
        membership = self.join(board, network, "patients_public", organisation=patient_group)
        people_services.membership_set_role(membership=membership, actor=admin, role=Role.BOARD_MEMBER)
        people_services.declaration_add(
            person=board, network=network, interest_type="personal", organisation_name=patient_group.name,
            description=f"I chair {patient_group.name}, which campaigns for home dialysis.",
        )

        email, name = logins["industry"]
        industry = self.person(email=email, name=name, show_name=True)
        company = org["Brightpath Diagnostics Ltd"]
        self.verify(self.join(industry, network, "industry", organisation=company), by=facilitator)
        people_services.declaration_add(
            person=industry, network=network, interest_type="financial", organisation_name=company.name,
            description=f"I am a founder and shareholder of {company.name}.",
        )

        email, name = logins["nhs"]
        nurse = self.person(email=email, name=name, show_name=False, contact=True)
        self.join(nurse, network, "nhs", organisation=org["RGT"])  # left pending for the facilitator

        email, name = logins["patient"]
        patient = self.person(
            email=email, name=name, show_name=False, contact=True, access_needs=data.ACCESS_NEEDS[1]
        )
        self.join(patient, network, "patients_public")
        self.join(patient, next(n for n in self.networks if n.slug == "wessex"), "patients_public")

    def load_staff(self, network: Network, *, superuser: Person) -> None:
        nhs = [o for o in self.organisations if o.network_id == network.pk and o.type in ("nhs_trust", "icb")]
        name = self.made_up_name()
        admin = self.person(email=self.email_for(name), name=name, show_name=True, contact=True)
        membership = self.join(admin, network, "nhs", organisation=nhs[0] if nhs else None)
        people_services.membership_set_role(membership=membership, actor=superuser, role=Role.ADMIN)
        self.verify(membership, by=superuser)
        self.admins[network.pk] = admin

        name = self.made_up_name()
        facilitator = self.person(email=self.email_for(name), name=name, show_name=True, contact=True)
        membership = self.join(facilitator, network, "nhs", organisation=nhs[-1] if nhs else None)
        people_services.membership_set_role(membership=membership, actor=admin, role=Role.FACILITATOR)
        self.verify(membership, by=admin)
        self.facilitators[network.pk] = facilitator

        # Boards always have a patient or carer; the second seat comes from another constituency.
        for kind in ("patients_public", self.rng.choice(["nhs", "social_care", "academia", "industry", "vcse"])):
            self.load_board_member(network, kind=kind)

    def load_board_member(self, network: Network, *, kind: str | None = None) -> None:
        kind = kind or self.rng.choice(["academia", "vcse", "social_care"])
        name = self.made_up_name()
        board = self.person(
            email=self.email_for(name), name=name, show_name=self.rng.random() < 0.75, contact=True
        )
        membership = self.join(board, network, kind)
        people_services.membership_set_role(
            membership=membership, actor=self.admins[network.pk], role=Role.BOARD_MEMBER
        )
        if membership.verification == Verification.PENDING:
            self.verify(membership, by=self.facilitators[network.pk])
        if self.rng.random() < 0.7:
            self.declare(board, network, organisation=membership.organisation)

    def load_member(self) -> None:
        # The demo network carries three times the members, so its pages and queue have plenty to show.
        weights = [3 if n.slug == DEMO_NETWORK_SLUG else 1 for n in self.networks]
        network = self.rng.choices(self.networks, weights=weights)[0]
        kind = self.rng.choices(list(data.CONSTITUENCY_WEIGHTS), weights=list(data.CONSTITUENCY_WEIGHTS.values()))[0]
        name = self.made_up_name()
        access_needs = self.rng.choice(data.ACCESS_NEEDS) if self.rng.random() < 0.1 else ""
        person = self.person(
            email=self.email_for(name), name=name, show_name=self.rng.random() < 0.4,
            contact=self.rng.random() < 0.5, access_needs=access_needs,
        )
        membership = self.join(person, network, kind)
        self.settle_verification(membership)
        if self.rng.random() < 0.08:
            self.declare(person, network, organisation=membership.organisation)
        if self.rng.random() < 0.1:
            # Some people take part in two regions (they live in one and work in another).
            other = self.rng.choice([n for n in self.networks if n != network])
            self.settle_verification(self.join(person, other, kind, organisation=membership.organisation))

    def settle_verification(self, membership: Membership) -> None:
        """Most declarations get checked; some wait in the facilitator's queue; a few are turned down."""
        if membership.verification != Verification.PENDING:
            return
        facilitator = self.facilitators[membership.network_id]
        roll = self.rng.random()
        if roll < 0.75:
            self.verify(membership, by=facilitator)
        elif roll < 0.93:
            return
        else:
            self.verify(membership, by=facilitator, approve=False, note=self.rng.choice(data.REJECTION_NOTES))
