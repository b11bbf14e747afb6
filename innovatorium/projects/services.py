"""Writes for programmes, projects and the contributions log. Every change goes on the public record.

Record payloads name the project and what changed, never a person: people appear by team-member number and
constituency, and the actor by their pseudonym. A contribution's agreed value is left out of the payload when
the project's agreement keeps values private.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.text import slugify

from innovatorium.atlas.models import Innovation
from innovatorium.challenges.models import Challenge
from innovatorium.networks.models import Network
from innovatorium.people.authority import is_network_staff as is_staff
from innovatorium.people.authority import require_network_staff as _require_staff
from innovatorium.people.models import COUNTED_VERIFICATION, Membership, Person
from innovatorium.projects.models import (
    AgeBand,
    Contribution,
    ContributionKind,
    ContributionUnit,
    Decision,
    DisabilityAnswer,
    EthnicGroup,
    InvolvementDepth,
    Milestone,
    MilestoneStatus,
    ParticipantProfile,
    Programme,
    ProgrammeRole,
    ProgrammeRoleKind,
    Project,
    ProjectStatus,
    PrototypeIteration,
    TeamMember,
    UserTest,
    UserTestParticipants,
)
from innovatorium.record.services import record_append

# /<network>/projects/new/ and /<network>/projects/programmes/ are pages, not projects.
RESERVED_PROJECT_SLUGS = frozenset({"new", "programmes"})
RESERVED_PROGRAMME_SLUGS = frozenset({"new"})
MAX_HOURS_PER_DAY = Decimal(24)
MAX_HOURS_PER_ENTRY = Decimal(1000)
MAX_POUNDS = Decimal(10_000_000)
MAX_ITEMS = Decimal(100_000)
MAX_HOURLY_RATE = Decimal(1000)
TEXT_LIMIT = 5000
# Which units make sense for which kind of contribution.
UNITS_FOR_KIND = {
    ContributionKind.TIME: {ContributionUnit.HOURS},
    ContributionKind.LIVED_EXPERIENCE: {ContributionUnit.HOURS, ContributionUnit.ITEMS},
    ContributionKind.EXPERTISE: {ContributionUnit.HOURS, ContributionUnit.ITEMS},
    ContributionKind.DATA: {ContributionUnit.ITEMS, ContributionUnit.GBP},
    ContributionKind.IP: {ContributionUnit.ITEMS, ContributionUnit.GBP},
    ContributionKind.MONEY: {ContributionUnit.GBP},
}


# An outward code: the district part of a UK postcode (SO23, M1, EC1A, W1J). Full postcodes are cut to it.
POSTCODE_DISTRICT = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)(\s*[0-9][A-Z]{2})?$")


def _text(errors: dict[str, str], field: str, value: str, *, required: str | None = None,
          limit: int = TEXT_LIMIT) -> str:
    value = (value or "").strip()
    if required and not value:
        errors[field] = required
    elif len(value) > limit:
        errors[field] = f"Keep this to {limit:,} characters or fewer. It has {len(value):,}."
    return value


def _date(errors: dict[str, str], field: str, value: dt.date | None, *, required: str,
          allow_future: bool = False) -> dt.date | None:
    if value is None:
        errors[field] = required
    elif not allow_future and value > timezone.localdate():
        errors[field] = "The date cannot be in the future."
    return value


def _unique_slug(model: type, network: Network, text: str, reserved: frozenset[str], fallback: str) -> str:
    base = slugify(text)[:100].strip("-") or fallback
    if base in reserved:
        base = f"{base}-{fallback}"
    taken = set(model.objects.filter(network=network, slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    return slug


def _counted_membership(person: Person, network: Network) -> Membership:
    membership = (
        Membership.objects.select_related("constituency")
        .filter(person=person, network=network, verification__in=COUNTED_VERIFICATION)
        .first()
    )
    if membership is None:
        raise ValidationError({"person": f"This person is not a confirmed member of {network.name}."})
    return membership


# --- programmes ------------------------------------------------------------------------------------


@transaction.atomic
def programme_create(*, network: Network, actor: Person | None, name: str, theme: str = "") -> Programme:
    _require_staff(actor, network, "set up programmes")
    errors: dict[str, str] = {}
    name = _text(errors, "name", name, required="Give the programme a name.", limit=200)
    theme = _text(errors, "theme", theme)
    if errors:
        raise ValidationError(errors)
    programme = Programme.objects.create(
        network=network, name=name, theme=theme,
        slug=_unique_slug(Programme, network, name, RESERVED_PROGRAMME_SLUGS, "programme"),
    )
    record_append(action="projects.programme.created", actor=actor, network=network, obj=programme,
                  payload={"slug": programme.slug, "name": programme.name})
    return programme


@transaction.atomic
def programme_role_add(*, programme: Programme, actor: Person | None, person: Person, role: str) -> ProgrammeRole:
    """Name a lead or patient partner of a programme (a confirmed member of its network)."""
    _require_staff(actor, programme.network, "name programme leads and partners")
    if role not in ProgrammeRoleKind.values:
        raise ValidationError({"role": "Choose a role from the list."})
    membership = _counted_membership(person, programme.network)
    try:
        with transaction.atomic():
            placed = ProgrammeRole.objects.create(
                programme=programme, person=person, constituency=membership.constituency, role=role
            )
    except IntegrityError:
        raise ValidationError({"person": "This person already has that role in the programme."}) from None
    record_append(action="projects.programme.role_added", actor=actor, network=programme.network, obj=programme,
                  payload={"programme": programme.slug, "role": role, "constituency": membership.constituency.slug})
    return placed


# --- projects --------------------------------------------------------------------------------------


@transaction.atomic
def project_create(
    *,
    network: Network,
    actor: Person | None,
    title: str,
    summary: str,
    programme: Programme | None = None,
    challenge: Challenge | None = None,
    innovation: Innovation | None = None,
    contribution_values_private: bool = False,
    started_on: dt.date | None = None,
) -> Project:
    """A facilitator starts a co-production project from a need, an innovation, or both."""
    _require_staff(actor, network, "start projects")
    errors: dict[str, str] = {}
    title = _text(errors, "title", title, required="Give the project a title.", limit=200)
    summary = _text(errors, "summary", summary, required="Say in a few sentences what the project will do.")
    started_on = started_on or timezone.localdate()
    if challenge is None and innovation is None:
        errors["challenge"] = "Start the project from a need, an innovation, or both."
    for field, obj in (("programme", programme), ("challenge", challenge), ("innovation", innovation)):
        if obj is not None and obj.network_id != network.pk:
            errors[field] = f"Choose one from {network.name}."
    if errors:
        raise ValidationError(errors)
    project = Project.objects.create(
        network=network, programme=programme, title=title, summary=summary, challenge=challenge,
        innovation=innovation, contribution_values_private=contribution_values_private, started_on=started_on,
        slug=_unique_slug(Project, network, title, RESERVED_PROJECT_SLUGS, "project"),
    )
    record_append(
        action="projects.project.created", actor=actor, network=network, obj=project,
        payload={
            "slug": project.slug, "title": project.title, "programme": programme.slug if programme else "",
            "challenge": challenge.slug if challenge else "", "innovation": innovation.slug if innovation else "",
            "values_private": contribution_values_private, "started_on": started_on,
        },
    )
    return project


def is_project_lead(person: Person | None, project: Project) -> bool:
    """A team member whose involvement is "lead" may edit the project's description, like a facilitator."""
    return person is not None and TeamMember.objects.filter(
        project=project, person=person, depth=InvolvementDepth.LEAD).exists()


@transaction.atomic
def project_update(
    *, project: Project, actor: Person | None, title: str, summary: str, programme: Programme | None,
    status: str | None = None,
) -> Project:
    """Edit a project's title, summary, programme and status. The record keeps what each changed field was."""
    if actor is not None and not (is_staff(actor, project.network) or is_project_lead(actor, project)):
        raise PermissionDenied("Only the network's facilitators and the project's leads may edit it.")
    errors: dict[str, str] = {}
    title = _text(errors, "title", title, required="Give the project a title.", limit=200)
    summary = _text(errors, "summary", summary, required="Say in a few sentences what the project will do.")
    if programme is not None and programme.network_id != project.network_id:
        errors["programme"] = f"Choose one from {project.network.name}."
    status = status or project.status
    if status not in ProjectStatus.values:
        errors["status"] = "Choose a status from the list."
    if errors:
        raise ValidationError(errors)
    project = Project.objects.select_for_update(of=("self",)).select_related("programme", "network").get(pk=project.pk)
    before = {"title": project.title, "summary": project.summary,
              "programme": project.programme.slug if project.programme else "", "status": project.status}
    after = {"title": title, "summary": summary, "programme": programme.slug if programme else "",
             "status": status}
    changed = {k: {"before": before[k], "after": after[k]} for k in before if before[k] != after[k]}
    if not changed:
        return project
    project.title, project.summary, project.programme, project.status = title, summary, programme, status
    project.save(update_fields=["title", "summary", "programme", "status"])
    record_append(action="projects.project.updated", actor=actor, network=project.network, obj=project,
                  payload={"project": project.slug, "changed": changed})
    return project


@transaction.atomic
def project_set_status(*, project: Project, actor: Person | None, status: str) -> Project:
    _require_staff(actor, project.network, "change a project's status")
    if status not in ProjectStatus.values:
        raise ValidationError({"status": "Choose a status from the list."})
    before = project.status
    if before == status:
        raise ValidationError({"status": f"The project is already “{project.get_status_display()}”."})
    project.status = status
    project.save(update_fields=["status"])
    record_append(action="projects.project.status_changed", actor=actor, network=project.network, obj=project,
                  payload={"project": project.slug, "before": before, "after": status})
    return project


@transaction.atomic
def team_member_add(
    *,
    project: Project,
    actor: Person | None,
    person: Person,
    role: str,
    depth: int,
    paid: bool = False,
    hourly_rate: Decimal | str | None = None,
    joined_on: dt.date | None = None,
) -> TeamMember:
    """Add a confirmed member of the network to the team, keeping the constituency they hold today."""
    _require_staff(actor, project.network, "change a project's team")
    errors: dict[str, str] = {}
    role = _text(errors, "role", role, required="Say what their role is, for example “patient partner”.", limit=120)
    if depth not in InvolvementDepth.values:
        errors["depth"] = "Choose how deeply they are involved, from inform to lead."
    if paid:
        hourly_rate = _decimal(errors, "hourly_rate", hourly_rate, "Enter the hourly rate in pounds, like 25.")
        if "hourly_rate" in errors:
            pass
        elif hourly_rate is None:
            errors["hourly_rate"] = "Give the hourly rate for paid involvement, in pounds."
        elif not Decimal(0) <= hourly_rate <= MAX_HOURLY_RATE:
            errors["hourly_rate"] = f"Enter an hourly rate between £0 and £{MAX_HOURLY_RATE:,}."
    else:
        hourly_rate = None
    try:
        membership = _counted_membership(person, project.network)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    if TeamMember.objects.filter(project=project, person=person).exists():
        raise ValidationError({"person": "This person is already on the team."})
    member = TeamMember.objects.create(
        project=project, person=person, constituency=membership.constituency,
        constituency_kind=membership.constituency.kind, role=role, depth=depth, paid=paid, hourly_rate=hourly_rate,
        joined_on=joined_on or timezone.localdate(),
    )
    record_append(
        action="projects.team_member.added", actor=actor, network=project.network, obj=project,
        payload={
            "project": project.slug, "team_member": member.pk, "constituency": membership.constituency.slug,
            "role": role, "depth": InvolvementDepth(depth).label, "paid": paid, "hourly_rate": hourly_rate,
        },
    )
    return member


@transaction.atomic
def milestone_add(*, project: Project, actor: Person | None, title: str, due_on: dt.date | None) -> Milestone:
    _require_staff(actor, project.network, "plan milestones")
    errors: dict[str, str] = {}
    title = _text(errors, "title", title, required="Name the milestone.", limit=200)
    _date(errors, "due_on", due_on, required="Give the date it is due.", allow_future=True)
    if errors:
        raise ValidationError(errors)
    milestone = Milestone.objects.create(project=project, title=title, due_on=due_on)
    record_append(action="projects.milestone.added", actor=actor, network=project.network, obj=project,
                  payload={"project": project.slug, "milestone": milestone.pk, "title": title, "due_on": due_on})
    return milestone


@transaction.atomic
def milestone_update(
    *, milestone: Milestone, actor: Person | None, status: str, due_on: dt.date | None = None,
    completed_on: dt.date | None = None,
) -> Milestone:
    """Move a milestone on (or re-date it). Every change and the old values are on the record."""
    project = milestone.project
    _require_staff(actor, project.network, "update milestones")
    if status not in MilestoneStatus.values:
        raise ValidationError({"status": "Choose a status from the list."})
    before = {"status": milestone.status, "due_on": milestone.due_on}
    milestone.status = status
    if due_on is not None:
        milestone.due_on = due_on
    if status == MilestoneStatus.DONE:
        milestone.completed_on = completed_on or milestone.completed_on or timezone.localdate()
        if milestone.completed_on > timezone.localdate():
            raise ValidationError({"completed_on": "The date it was done cannot be in the future."})
    else:
        milestone.completed_on = None
    milestone.save(update_fields=["status", "due_on", "completed_on"])
    record_append(
        action="projects.milestone.updated", actor=actor, network=project.network, obj=project,
        payload={"project": project.slug, "milestone": milestone.pk, "before": before,
                 "after": {"status": status, "due_on": milestone.due_on}, "completed_on": milestone.completed_on},
    )
    return milestone


@transaction.atomic
def iteration_add(
    *, project: Project, actor: Person | None, title: str, what_changed: str, why: str, occurred_on: dt.date | None,
) -> PrototypeIteration:
    _require_staff(actor, project.network, "record prototype iterations")
    errors: dict[str, str] = {}
    title = _text(errors, "title", title, required="Name this version of the prototype.", limit=200)
    what_changed = _text(errors, "what_changed", what_changed, required="Say what changed.")
    why = _text(errors, "why", why, required="Say why it changed.")
    _date(errors, "occurred_on", occurred_on, required="Give the date.")
    if errors:
        raise ValidationError(errors)
    # Lock the project row so two facilitators adding at once do not take the same number.
    Project.objects.select_for_update().filter(pk=project.pk).first()
    number = (project.iterations.aggregate(n=Max("number"))["n"] or 0) + 1
    iteration = PrototypeIteration.objects.create(
        project=project, number=number, title=title, what_changed=what_changed, why=why, occurred_on=occurred_on,
    )
    record_append(action="projects.iteration.added", actor=actor, network=project.network, obj=project,
                  payload={"project": project.slug, "iteration": number, "title": title,
                           "occurred_on": occurred_on})
    return iteration


@transaction.atomic
def user_test_add(
    *,
    project: Project,
    actor: Person | None,
    what_was_tested: str,
    findings: str,
    occurred_on: dt.date | None,
    participants: dict[str, int],
    iteration: PrototypeIteration | None = None,
) -> UserTest:
    """A test with people. `participants` counts them by constituency slug (of the project's network)."""
    _require_staff(actor, project.network, "record user tests")
    errors: dict[str, str] = {}
    what = _text(errors, "what_was_tested", what_was_tested, required="Say what was tested.", limit=300)
    findings = _text(errors, "findings", findings, required="Say what you found.")
    _date(errors, "occurred_on", occurred_on, required="Give the date of the test.")
    constituencies = {c.slug: c for c in project.network.constituencies.all()}
    counts: dict[str, int] = {}
    for slug, count in participants.items():
        if slug not in constituencies:
            errors["participants"] = f"“{slug}” is not a partner group of {project.network.name}."
        elif not isinstance(count, int) or not 0 <= count <= 100_000:
            errors["participants"] = "Enter each number of participants as a whole number from 0 to 100,000."
        elif count:
            counts[slug] = count
    if not errors.get("participants") and not counts:
        errors["participants"] = "Say how many people took part, in at least one partner group."
    if iteration is not None and iteration.project_id != project.pk:
        errors["iteration"] = "Choose an iteration of this project."
    if errors:
        raise ValidationError(errors)
    test = UserTest.objects.create(
        project=project, iteration=iteration, what_was_tested=what, findings=findings, occurred_on=occurred_on,
    )
    UserTestParticipants.objects.bulk_create(
        UserTestParticipants(user_test=test, constituency=constituencies[slug], count=n) for slug, n in counts.items()
    )
    record_append(
        action="projects.user_test.added", actor=actor, network=project.network, obj=project,
        payload={"project": project.slug, "user_test": test.pk, "what_was_tested": what,
                 "iteration": iteration.number if iteration else None, "participants": counts,
                 "occurred_on": occurred_on},
    )
    return test


@transaction.atomic
def decision_add(
    *, project: Project, actor: Person | None, decided_by: str, options_considered: str, decision: str,
    decided_on: dt.date | None,
) -> Decision:
    _require_staff(actor, project.network, "record decisions")
    errors: dict[str, str] = {}
    decided_by = _text(errors, "decided_by", decided_by, required="Say who decided.", limit=200)
    options = _text(errors, "options_considered", options_considered,
                    required="List the options that were considered, one per line.")
    decision_text = _text(errors, "decision", decision, required="Say what was decided.")
    _date(errors, "decided_on", decided_on, required="Give the date of the decision.")
    if errors:
        raise ValidationError(errors)
    row = Decision.objects.create(project=project, decided_by=decided_by, options_considered=options,
                                  decision=decision_text, decided_on=decided_on)
    record_append(
        action="projects.decision.recorded", actor=actor, network=project.network, obj=project,
        payload={"project": project.slug, "decision": row.pk, "decided_by": decided_by, "options": row.options,
                 "decided": decision_text, "decided_on": decided_on},
    )
    return row


# --- contributions ---------------------------------------------------------------------------------


def _decimal(errors: dict[str, str], field: str, value: object, message: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors[field] = message
        return None
    if not number.is_finite():
        errors[field] = message
        return None
    return number


def _contribution_payload(entry: Contribution) -> dict[str, object]:
    payload: dict[str, object] = {
        "project": entry.project.slug, "contribution": entry.pk, "team_member": entry.team_member_id,
        "constituency": entry.team_member.constituency.slug, "kind": entry.kind, "quantity": entry.quantity,
        "unit": entry.unit, "occurred_on": entry.occurred_on, "value_private": entry.is_value_private,
        "reverses": entry.reverses_id,
    }
    if not entry.is_value_private:
        payload["agreed_value"] = entry.agreed_value
    return payload


@transaction.atomic
def contribution_log(
    *,
    project: Project,
    actor: Person,
    team_member: TeamMember | None = None,
    kind: str,
    quantity: Decimal | str | int,
    unit: str,
    occurred_on: dt.date | None,
    description: str,
    agreed_value: Decimal | str | None = None,
) -> Contribution:
    """A team member logs what they gave; a facilitator may log it on a team member's behalf.

    Hours are checked for sense: more than 24 on one day (counting what they already logged that day) or more
    than 1,000 in one entry is refused as a slip.
    """
    own = TeamMember.objects.select_related("constituency").filter(project=project, person=actor).first()
    if team_member is None:
        team_member = own
    if team_member is None:
        raise PermissionDenied("You are not on this project's team, so you cannot log contributions to it.")
    if team_member.project_id != project.pk:
        raise ValidationError({"team_member": "That person is not on this project's team."})
    if (own is None or own.pk != team_member.pk) and not is_staff(actor, project.network):
        raise PermissionDenied("You can log only your own contributions (a facilitator may log for others).")
    errors: dict[str, str] = {}
    if kind not in ContributionKind.values:
        errors["kind"] = "Choose what kind of contribution it was."
    if unit not in ContributionUnit.values:
        errors["unit"] = "Choose a unit: hours, pounds or items."
    elif kind in ContributionKind.values and unit not in UNITS_FOR_KIND[ContributionKind(kind)]:
        allowed = ", ".join(sorted(ContributionUnit(u).label for u in UNITS_FOR_KIND[ContributionKind(kind)]))
        errors["unit"] = f"{ContributionKind(kind).label} is counted in {allowed}."
    amount = _decimal(errors, "quantity", quantity, "Enter a number, like 2 or 1.5.")
    value = _decimal(errors, "agreed_value", agreed_value, "Enter the agreed value in pounds, like 50 or 12.50.")
    description = _text(errors, "description", description, required="Say briefly what you did or gave.", limit=500)
    _date(errors, "occurred_on", occurred_on, required="Give the date.")
    if amount is None and "quantity" not in errors:
        errors["quantity"] = "Enter how much: a number of hours, pounds or items."
    elif amount is not None:
        if amount <= 0:
            errors["quantity"] = "Enter a number greater than 0. To correct an entry, reverse it instead."
        elif amount != amount.quantize(Decimal("0.01")):
            errors["quantity"] = "Use at most two decimal places."
        elif unit == ContributionUnit.HOURS:
            if amount > MAX_HOURS_PER_ENTRY:
                errors["quantity"] = f"One entry can hold at most {MAX_HOURS_PER_ENTRY:,} hours."
            elif amount > MAX_HOURS_PER_DAY:
                errors["quantity"] = "There are only 24 hours in a day. Log each day as its own entry."
            elif occurred_on is not None:
                already = Contribution.objects.filter(
                    team_member=team_member, unit=ContributionUnit.HOURS, occurred_on=occurred_on
                ).aggregate(total=Sum("quantity"))["total"] or Decimal(0)
                if already + amount > MAX_HOURS_PER_DAY:
                    errors["quantity"] = (f"That would make {already + amount:,} hours on "
                                          f"{occurred_on:%-d %B %Y}: there are only 24 hours in a day.")
        elif unit == ContributionUnit.GBP and amount > MAX_POUNDS:
            errors["quantity"] = f"Enter at most £{MAX_POUNDS:,}."
        elif unit == ContributionUnit.ITEMS and amount > MAX_ITEMS:
            errors["quantity"] = f"Enter at most {MAX_ITEMS:,} items."
    if value is not None and not (Decimal(0) <= value <= MAX_POUNDS and value == value.quantize(Decimal("0.01"))):
        errors["agreed_value"] = f"Enter a value between £0 and £{MAX_POUNDS:,}, in pounds and pence."
    if errors:
        raise ValidationError(errors)
    if value is None and kind == ContributionKind.TIME and team_member.paid and team_member.hourly_rate is not None:
        value = (amount * team_member.hourly_rate).quantize(Decimal("0.01"))
    if value is None and kind == ContributionKind.MONEY:
        value = amount
    entry = Contribution.objects.create(
        project=project, team_member=team_member, kind=kind, quantity=amount, unit=unit, agreed_value=value,
        occurred_on=occurred_on, description=description, is_value_private=project.contribution_values_private,
        logged_by=actor,
    )
    record_append(action="projects.contribution.logged", actor=actor, network=project.network, obj=entry,
                  payload=_contribution_payload(entry))
    return entry


@transaction.atomic
def contribution_reverse(*, contribution: Contribution, actor: Person | None, reason: str) -> Contribution:
    """Cancel an entry with a new one that negates it. The person it belongs to or a facilitator may do this."""
    project = contribution.project
    if actor is not None:
        own = contribution.team_member.person_id == actor.pk
        if not own and not is_staff(actor, project.network):
            raise PermissionDenied("Only the person who gave it, or a facilitator, can reverse a contribution.")
    errors: dict[str, str] = {}
    reason = _text(errors, "reason", reason, required="Say why this entry is being reversed.", limit=480)
    if contribution.is_reversal:
        errors["reason"] = "This entry is itself a reversal. Log the contribution again instead."
    if errors:
        raise ValidationError(errors)
    # Lock the entry so two reversals racing meet the one-to-one constraint one at a time.
    Contribution.objects.select_for_update().filter(pk=contribution.pk).first()
    if Contribution.objects.filter(reverses=contribution).exists():
        raise ValidationError({"reason": "This entry has already been reversed."})
    try:
        with transaction.atomic():
            entry = Contribution.objects.create(
                project=project, team_member=contribution.team_member, kind=contribution.kind,
                quantity=-contribution.quantity, unit=contribution.unit,
                agreed_value=-contribution.agreed_value if contribution.agreed_value is not None else None,
                occurred_on=contribution.occurred_on, description=f"Reversal: {reason}",
                is_value_private=contribution.is_value_private, reverses=contribution, logged_by=actor,
            )
    except IntegrityError:
        raise ValidationError({"reason": "This entry has already been reversed."}) from None
    record_append(action="projects.contribution.reversed", actor=actor, network=project.network, obj=entry,
                  payload=_contribution_payload(entry))
    return entry


# --- who takes part ---------------------------------------------------------------------------------


def postcode_district(value: str) -> str:
    """The district (outward code) of a postcode or district, upper-cased; '' for empty. ValueError if neither."""
    text = re.sub(r"\s+", " ", (value or "").strip().upper())
    if not text:
        return ""
    match = POSTCODE_DISTRICT.match(text)
    if match is None:
        raise ValueError(text)
    return match.group(1)


@transaction.atomic
def participant_profile_save(
    *, person: Person, age_band: str = "", ethnic_group: str = "", disability: str = "", postcode: str = "",
) -> ParticipantProfile | None:
    """Save what a person chose to tell us about themselves (every answer optional). All empty deletes it.

    Not written to the public record: this is private data about the person, not an act of the network. A full
    postcode is cut to its district before it is stored.
    """
    errors: dict[str, str] = {}
    for field, value, choices in (("age_band", age_band, AgeBand), ("ethnic_group", ethnic_group, EthnicGroup),
                                  ("disability", disability, DisabilityAnswer)):
        if value and value not in choices.values:
            errors[field] = "Choose an answer from the list, or leave it blank."
    try:
        district = postcode_district(postcode)
    except ValueError:
        errors["postcode"] = "Enter the first part of your postcode, like SO23 or M1, or leave it blank."
        district = ""
    if errors:
        raise ValidationError(errors)
    if not (age_band or ethnic_group or disability or district):
        ParticipantProfile.objects.filter(person=person).delete()
        return None
    profile, _ = ParticipantProfile.objects.update_or_create(person=person, defaults={
        "age_band": age_band, "ethnic_group": ethnic_group, "disability": disability,
        "postcode_district": district, "updated_at": timezone.now(),
    })
    return profile
