"""GDPR: "download my data" holds every row linked to a person, in every app; deleting an account erases
every personal field in every app, leaving no trace in a full database dump, the exports or the logs, with
every tally unchanged.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.db.models import Count, Sum
from django.urls import reverse

from innovatorium.core.privacy import erasers
from innovatorium.factories import PASSWORD
from innovatorium.people.models import DeclarationOfInterest, Membership, Person, User
from innovatorium.people.selectors import _EXPORTED_RELATIONS, person_export
from innovatorium.record.models import RecordEntry
from innovatorium.record.selectors import record_verify
from tests.privacy.conftest import BUILT_IN_PERSONAL, declared_personal_fields

pytestmark = [pytest.mark.django_db, pytest.mark.timeout(1500)]

# Relations of the sign-in account that the export shows in its "account" section, or that hold nothing about
# the person beyond the link (Django's permission tables, the admin's own log of staff edits).
ACCOUNT_RELATIONS = {"person", "emailaddress", "authenticator", "logentry", "groups", "user_permissions"}


def _relations(model: type[models.Model]) -> list[Any]:
    return [f for f in model._meta.get_fields(include_hidden=True) if f.auto_created and not f.concrete]


def _label(relation: Any) -> str:
    return f"{relation.related_model._meta.label_lower}.{relation.field.name}"


# --- Download my data -------------------------------------------------------------------------------


def test_every_model_linked_to_a_person_is_in_download_my_data(world):
    exercised, missing = [], []
    for relation in _relations(Person):
        model, field = relation.related_model, relation.field.name
        row = model._default_manager.filter(**{f"{field}__isnull": False}).first()
        if row is None:
            continue
        person = getattr(row, field).first() if relation.many_to_many else getattr(row, field)
        export = json.loads(json.dumps(person_export(person=person), cls=DjangoJSONEncoder))
        if relation.related_name in _EXPORTED_RELATIONS:
            exercised.append(_label(relation))
            continue
        ids = {r["id"] for r in export["other_records"].get(model._meta.label_lower, [])}
        (exercised if row.pk in ids else missing).append(_label(relation))
    print(f"\ndownload my data: {len(exercised)} linked models checked with real rows")

    assert missing == []
    assert len(exercised) >= 15


def test_the_export_queries_every_relation_to_a_person_even_without_rows(db, monkeypatch):
    # Structural: _linked_records walks the model relations, so each one not shown in its own section is asked.
    asked = []
    for relation in _relations(Person):
        if relation.related_name in _EXPORTED_RELATIONS:
            continue
        asked.append(_label(relation))
    declared = {_label(r) for r in _relations(Person)}

    assert set(asked) | {_label(r) for r in _relations(Person) if r.related_name in _EXPORTED_RELATIONS} == declared
    assert {"events.registration.person", "priorities.voterroll.person", "audit.auditevent.person"} <= declared


def test_every_relation_to_a_sign_in_account_is_in_the_export_or_holds_nothing_personal(db):
    unknown = [
        _label(r) for r in _relations(User)
        if r.name not in ACCOUNT_RELATIONS and r.related_name not in ACCOUNT_RELATIONS
        and not r.related_model._meta.auto_created  # the through tables of groups and permissions
    ]

    assert unknown == [], "add these to person_export's account section (people/selectors.py)"


# --- Erasure ------------------------------------------------------------------------------------------

VICTIM = "zqvictim"  # every value planted for the person who deletes their account contains this
POSTCODE = "XO0V"


def _fk_to_person(model: type[models.Model]) -> list[str]:
    """The link to the person a row is about: `person` when there is one (a membership's `verified_by` is the
    facilitator who checked it, and the note is about the member), else every link to a person."""
    links = [f.name for f in model._meta.get_fields() if f.is_relation and f.concrete and f.related_model is Person]
    return ["person"] if "person" in links else links


def _plant_victim(victim: Person) -> dict[str, int]:
    """Victim-only sentinels in every personal field linked to them, in every app."""
    planted: dict[str, int] = {}

    def count(key: str, n: int) -> None:
        planted[key] = planted.get(key, 0) + n

    victim.display_name = f"{VICTIM} Display Name"
    victim.access_needs = f"{VICTIM} access needs: hearing loop"
    victim.save()
    count("people.Person", 2)
    User.objects.filter(pk=victim.user_id).update(email=f"{VICTIM}@example.org")
    EmailAddress.objects.filter(user_id=victim.user_id).update(email=f"{VICTIM}@example.org")
    count("people.User.email", 1)
    membership = victim.memberships.first()
    DeclarationOfInterest.objects.create(person=victim, network=membership.network, interest_type="personal",
                                         description=f"{VICTIM} my sister works for a supplier")
    count("people.DeclarationOfInterest.description", 1)
    if apps.is_installed("innovatorium.events"):
        from innovatorium.events.models import Event, EventStatus, Registration
        from innovatorium.events.services import register

        if not Registration.objects.filter(person=victim).exists():
            event = Event.objects.filter(status=EventStatus.PUBLISHED).order_by("-starts_at").first()
            register(event=event, actor=victim, access_needs="to be replaced", notify=False)
    for label, names in {**BUILT_IN_PERSONAL, **declared_personal_fields()}.items():
        model = apps.get_model(label)
        links = _fk_to_person(model) or (["pk"] if model is Person else [])
        for link in links:
            rows = model._default_manager.filter(**{link: victim.pk if link == "pk" else victim})
            for name in names:
                n = rows.update(**{name: f"{VICTIM} {model.__name__}.{name}"[: model._meta.get_field(
                    name).max_length or None]})
                count(f"{label}.{name}", n)
    if apps.is_installed("innovatorium.projects"):
        from innovatorium.projects.models import ParticipantProfile

        ParticipantProfile.objects.update_or_create(person=victim, defaults={"postcode_district": POSTCODE})
        count("projects.ParticipantProfile.postcode_district", 1)
    if apps.is_installed("innovatorium.exchange"):
        from innovatorium.atlas.models import Innovation
        from innovatorium.challenges.models import Challenge
        from innovatorium.exchange.models import ExpressionOfInterest

        taken = set(ExpressionOfInterest.objects.values_list("challenge_id", "innovation_id"))
        challenge = Challenge.objects.order_by("pk").first()
        innovation = Innovation.objects.exclude(
            pk__in=[i for c, i in taken if c == challenge.pk]).order_by("pk").first()
        ExpressionOfInterest.objects.create(challenge=challenge, innovation=innovation, person=victim,
                                            message=f"{VICTIM} call me on my mobile")
        count("exchange.ExpressionOfInterest.message", 1)
    return planted


def _most_involved() -> Person:
    """The person with rows in the most linked tables: the hardest erasure."""
    best, best_score = None, -1
    relations = [r for r in _relations(Person) if not r.many_to_many]
    for person in Person.objects.filter(user__isnull=False, user__is_superuser=False,
                                        memberships__isnull=False).distinct()[:80]:
        score = sum(1 for r in relations
                    if r.related_model._default_manager.filter(**{r.field.name: person}).exists())
        if score > best_score:
            best, best_score = person, score
    assert best is not None
    return best


def _dump() -> str:
    """Every row of every table, as text: what a database backup would hold."""
    quote = connection.ops.quote_name
    lines = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 - names from the database itself
            lines.extend(f"{table}: " + " | ".join(str(v) for v in row) for row in cursor.fetchall())
    return "\n".join(lines)


# Tables whose rows an erasure may add or remove: the account and what hangs off it, the person's own private
# answers, and the logs that say it happened.
ERASURE_CHANGES = {
    "people_user", "account_emailaddress", "django_session", "people_membership", "people_declarationofinterest",
    "record_recordentry", "record_recordhead", "audit_auditevent", "projects_participantprofile",
    "mfa_authenticator", "django_admin_log",
}


def _row_counts() -> dict[str, int]:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - names from the database
            counts[table] = cursor.fetchone()[0]
    return counts


def _tallies() -> dict[str, Any]:
    tallies: dict[str, Any] = {"record_verifies": record_verify().ok}
    if apps.is_installed("innovatorium.deliberation"):
        from innovatorium.deliberation.models import Vote

        tallies["deliberation_votes"] = sorted(Vote.objects.values_list("statement_id", "value").annotate(
            n=Count("pk")))
    if apps.is_installed("innovatorium.priorities"):
        from innovatorium.priorities.models import Ballot, Result

        tallies["priority_ballots"] = sorted(Ballot.objects.values_list("round_id").annotate(n=Count("pk")))
        tallies["priority_results"] = sorted(Result.objects.values_list("round_id", "ballot_set_hash"))
    if apps.is_installed("innovatorium.challenges"):
        from innovatorium.challenges.models import ChallengeSupport

        tallies["challenge_supports"] = sorted(
            ChallengeSupport.objects.values_list("challenge_id").annotate(n=Count("pk")))
    if apps.is_installed("innovatorium.projects"):
        from innovatorium.projects.models import Contribution

        tallies["contributions"] = sorted(
            (p, str(q)) for p, q in Contribution.objects.values_list("project_id").annotate(q=Sum("quantity")))
    if apps.is_installed("innovatorium.events"):
        from django.utils import timezone

        from innovatorium.events.models import Registration

        # Past events' registrations and attendance; an erased person's future places are given up (events).
        tallies["past_event_registrations"] = sorted(
            Registration.objects.filter(event__ends_at__lte=timezone.now()).values_list("event_id", "status")
            .annotate(n=Count("pk")))
    return tallies


def test_erasing_an_account_leaves_no_personal_field_anywhere_and_every_tally_unchanged(
    world, walked, client, caplog, capsys,
):
    victim = _most_involved()
    planted = _plant_victim(victim)
    User.objects.filter(pk=victim.user_id).update(password="")
    victim.user.refresh_from_db()
    victim.user.set_password(PASSWORD)
    victim.user.save()
    assert VICTIM in _dump().lower()  # planted where the dump can see it
    assert all(planted[f] >= 1 for f in ("people.Membership.verification_note", "events.Registration.access_needs",
                                          "projects.ParticipantProfile.postcode_district")), planted
    tallies, counts, entries = _tallies(), _row_counts(), RecordEntry.objects.count()
    export_urls = sorted({f.url for w in walked[:3] for f in w.fetched if f.status == 200})

    caplog.set_level(logging.DEBUG)
    signed_in = client.post(reverse("account_login"), {"login": f"{VICTIM}@example.org", "password": PASSWORD})
    assert signed_in.status_code == 302
    client.get(reverse("people:download_data"))
    response = client.post(reverse("people:delete_account"), {"confirm": "DELETE"})
    assert response.status_code == 302

    dump = _dump().lower()
    leaks_in_dump = [line[:160] for line in dump.splitlines() if VICTIM in line or POSTCODE.lower() in line]
    victim.refresh_from_db()
    export = json.dumps(person_export(person=victim), cls=DjangoJSONEncoder).lower()
    public = []
    for url in export_urls:
        body = client.get(url)
        content = b"".join(body.streaming_content) if body.streaming else body.content
        if VICTIM.encode() in content.lower() or POSTCODE.encode() in content:
            public.append(url)
    logs = "\n".join(r.getMessage() for r in caplog.records) + capsys.readouterr().out + capsys.readouterr().err
    after_counts = _row_counts()
    changed = {t: (counts[t], after_counts.get(t)) for t in counts
               if counts[t] != after_counts.get(t) and t not in ERASURE_CHANGES}
    print(f"\nerasure: {sum(planted.values())} sentinels planted in {len(planted)} fields; "
          f"{len(dump.splitlines())} rows dumped; {len(export_urls)} pages, feeds, exports and API responses "
          f"re-read; {len(caplog.records)} log records; erasers: {[label for label, _ in erasers()]}")

    assert leaks_in_dump == []
    assert VICTIM not in export and POSTCODE.lower() not in export
    assert public == []
    assert VICTIM not in logs.lower()
    assert _tallies() == tallies
    assert changed == {}, "erasure removed or added rows that are counted somewhere"
    assert RecordEntry.objects.count() > entries
    assert victim.erased_at is not None and victim.user is None
    assert not Membership.objects.filter(person=victim).exists()


def test_every_app_with_private_text_has_an_eraser(db):
    with_eraser = {label for label, _ in erasers()}
    needed = {label.split(".")[0] for label in {**BUILT_IN_PERSONAL, **declared_personal_fields()}} - {"people"}

    assert needed <= with_eraser


# --- Every text field about a person is either erased or kept on purpose ----------------------------------

# What a person wrote about themselves, or that only makes sense about them: erasure clears or deletes it.
ERASED = {
    ("people.DeclarationOfInterest", "description"), ("people.DeclarationOfInterest", "organisation_name"),
    ("people.Membership", "verification_note"),
    ("exchange.ExpressionOfInterest", "message"), ("projects.ParticipantProfile", "postcode_district"),
    ("events.Registration", "access_needs"), ("governance.Nomination", "statement"),
    ("governance.MotionVote", "reason"), ("governance.Recusal", "reason"),
}
# Kept, and why: none of these is the person's own words about themselves.
KEPT = {
    ("atlas.CoProducer", "constituency_kind"): "the partner group that made it, counted publicly",
    ("atlas.CoProducer", "role"): "a public credit such as 'clinical lead', shown with the pseudonym",
    ("priorities.Elector", "constituency_kind"): "the electorate's partner group: a tally",
    ("priorities.VoterRoll", "secret"): "derives the ballot key and receipt: random, not personal",
    ("deliberation.Participant", "anonymous_hash"): "a hash of a random browser token",
    ("deliberation.Participant", "constituency_kind"): "the partner group votes count under: a tally",
    ("projects.TeamMember", "constituency_kind"): "the partner group on the team: counted in involvement",
    ("projects.TeamMember", "role"): "a role on a public project, shown with the pseudonym",
    ("events.Speaker", "name"): "only for speakers who are not members; members show their public name",
    ("events.Speaker", "topic"): "the public programme of a past event",
    ("governance.MotionVote", "option"): "how a recorded (non-secret) vote went: a tally",
    ("audit.AuditEvent", "network_slug"): "security log, no personal text (docs/security.md, retention)",
    ("audit.AuditEvent", "method"): "security log", ("audit.AuditEvent", "path"): "security log, secrets blanked",
    ("audit.AuditEvent", "view_name"): "security log", ("audit.AuditEvent", "detail"): "a rule name or code",
}


def _about_a_person() -> list[tuple[str, str]]:
    """(model, field) of every free-text field on a model whose rows are about one person (a `person` link)."""
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("innovatorium.") or "person" not in _fk_to_person(model):
            continue
        found.extend((model._meta.label, f.name) for f in model._meta.concrete_fields
                     if isinstance(f, models.CharField | models.TextField) and not f.choices)
    return found


def test_every_text_field_about_a_person_is_erased_or_kept_on_purpose(db):
    unclassified = [pair for pair in _about_a_person() if pair not in ERASED and pair not in KEPT]

    assert unclassified == [], "add each to ERASED (and clear it in the app's privacy.py) or to KEPT with a reason"


@pytest.mark.parametrize(("label", "name"), sorted(ERASED))
def test_each_erased_field_is_cleared_when_its_person_deletes_their_account(world, label, name):
    from innovatorium.people.services import person_erase

    if not apps.is_installed(f"innovatorium.{label.split('.')[0]}"):
        pytest.skip(f"{label} is not installed")
    model = apps.get_model(label)
    row = model._default_manager.filter(person__user__isnull=False).select_related("person").first()
    if row is None:
        pytest.skip(f"the demo data has no {label} of a person with an account")
    model._default_manager.filter(pk=row.pk).update(**{name: f"{VICTIM} {name}"[: model._meta.get_field(
        name).max_length or None]})

    person_erase(person=row.person)

    remaining = model._default_manager.filter(pk=row.pk).values_list(name, flat=True).first()
    assert remaining is None or VICTIM not in remaining
