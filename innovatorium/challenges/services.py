"""Writes for challenges (needs). Every change goes on the public record, in the same transaction.

Record payloads name the challenge and what changed, never the person: the actor appears on the record only by
their pseudonym, and the texts people wrote stay on the challenge itself.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from innovatorium.atlas.models import TaxonomyTerm
from innovatorium.challenges.models import Challenge, ChallengeStatus, ChallengeSupport, FacilitatorResponse
from innovatorium.networks.models import Network
from innovatorium.people.authority import is_network_staff as _is_staff
from innovatorium.people.models import COUNTED_VERIFICATION, Membership, Person
from innovatorium.record.services import record_append

RESERVED_SLUGS = frozenset({"raise"})  # /<network>/needs/raise/ is the form, not a challenge
LIMITS = {"title": 200, "description": 5000, "who_is_affected": 300}
MIN_TITLE = 5
MAX_PEOPLE_AFFECTED = 100_000_000  # more than England's population: anything larger is a typing slip
RESPONSE_LIMIT = 5000
REASON_LIMIT = 300
# Supporting a need that is finished makes no sense; everything before that still welcomes support.
SUPPORTABLE = frozenset(
    {ChallengeStatus.OPEN, ChallengeStatus.BEING_PRIORITISED, ChallengeStatus.MATCHED, ChallengeStatus.IN_CO_PRODUCTION}
)


class NotAMember(PermissionDenied):
    """Raised when someone who has not joined (or whose group is not yet confirmed) tries to take part."""

    def __init__(self, network: Network, *, pending: bool = False) -> None:
        self.network = network
        self.pending = pending
        if pending:
            message = (f"A facilitator has not yet confirmed your group in {network.name}. "
                       "You can raise and support needs once they have.")
        else:
            message = f"Join {network.name} first: only its members can raise and support its needs."
        super().__init__(message)


def counted_membership(*, person: Person, network: Network) -> Membership:
    """The person's membership of the network, if it counts; otherwise `NotAMember` says why not."""
    membership = Membership.objects.select_related("constituency").filter(person=person, network=network).first()
    if membership is None:
        raise NotAMember(network)
    if membership.verification not in COUNTED_VERIFICATION:
        raise NotAMember(network, pending=True)
    return membership




def _unique_slug(network: Network, text: str) -> str:
    base = slugify(text)[:100].strip("-") or "need"
    if base in RESERVED_SLUGS:
        base = f"{base}-need"
    taken = set(
        Challenge.objects.filter(network=network, slug__startswith=base).values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    return slug


def _term(vocabulary: str, slug: str | None, field: str) -> TaxonomyTerm | None:
    if not slug:
        return None
    term = TaxonomyTerm.objects.filter(vocabulary=vocabulary, slug=slug).first()
    if term is None:
        raise ValidationError({field: f"“{slug}” is not one of the choices. Choose one from the list."})
    return term


def validate_challenge_fields(
    *, title: str, description: str, who_is_affected: str = "", people_affected: int | None = None
) -> dict[str, str]:
    """Field errors in plain words, shared by the form, the API and the demo loader."""
    errors: dict[str, str] = {}
    values = {"title": title.strip(), "description": description.strip(), "who_is_affected": who_is_affected.strip()}
    if not values["title"]:
        errors["title"] = "Give your need a short title."
    elif len(values["title"]) < MIN_TITLE:
        errors["title"] = f"Use at least {MIN_TITLE} characters for the title, so others can tell what it is about."
    if not values["description"]:
        errors["description"] = "Describe the need: what happens now, and what would help."
    for field, limit in LIMITS.items():
        if len(values[field]) > limit:
            errors[field] = f"Keep this to {limit:,} characters or fewer. It has {len(values[field]):,}."
    if people_affected is not None and not 0 < people_affected <= MAX_PEOPLE_AFFECTED:
        errors["people_affected"] = "Enter a number of people between 1 and 100,000,000, or leave it empty."
    return errors


def _reindex(challenge: Challenge) -> None:
    """Keep the search index in step, in the same transaction (no-op until the search app is installed)."""
    try:
        from innovatorium.search.services import index_challenge
    except ImportError:
        return
    index_challenge(challenge=challenge)


@transaction.atomic
def challenge_raise(
    *,
    network: Network,
    actor: Person,
    title: str,
    description: str,
    who_is_affected: str = "",
    people_affected: int | None = None,
    care_setting: str | None = None,
    clinical_area: str | None = None,
) -> Challenge:
    """A member raises a need. It is public at once, and carries the constituency the raiser belongs to."""
    membership = counted_membership(person=actor, network=network)
    errors = validate_challenge_fields(
        title=title, description=description, who_is_affected=who_is_affected, people_affected=people_affected
    )
    terms: dict[str, TaxonomyTerm | None] = {}
    for field, vocabulary, slug in (
        ("care_setting", TaxonomyTerm.Vocabulary.CARE_SETTING, care_setting),
        ("clinical_area", TaxonomyTerm.Vocabulary.CLINICAL_AREA, clinical_area),
    ):
        try:
            terms[field] = _term(vocabulary, slug, field)
        except ValidationError as exc:
            errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    challenge = Challenge.objects.create(
        network=network, slug=_unique_slug(network, title), title=title.strip(), description=description.strip(),
        who_is_affected=who_is_affected.strip(), people_affected=people_affected, raised_by=actor,
        raiser_constituency=membership.constituency, created_at=now, updated_at=now, **terms,
    )
    record_append(
        action="challenges.challenge.raised", actor=actor, network=network, obj=challenge,
        payload={
            "title": challenge.title, "slug": challenge.slug, "constituency": membership.constituency.slug,
            "care_setting": care_setting or "", "clinical_area": clinical_area or "", "status": challenge.status,
        },
    )
    _reindex(challenge)
    return challenge


@transaction.atomic
def challenge_support(*, challenge: Challenge, actor: Person) -> ChallengeSupport:
    """One support per member, counted in the constituency they belong to."""
    membership = counted_membership(person=actor, network=challenge.network)
    if challenge.status not in SUPPORTABLE:
        raise ValidationError(f"This need is {challenge.get_status_display().lower()}, so it takes no more support.")
    if ChallengeSupport.objects.filter(challenge=challenge, person=actor).exists():
        raise ValidationError("You already support this need. Each member can support a need once.")
    try:
        with transaction.atomic():  # a double click racing the check above meets the unique constraint
            support = ChallengeSupport.objects.create(
                challenge=challenge, person=actor, constituency=membership.constituency
            )
    except IntegrityError:
        raise ValidationError("You already support this need. Each member can support a need once.") from None
    record_append(
        action="challenges.challenge.supported", actor=actor, network=challenge.network, obj=challenge,
        payload={"challenge": challenge.slug, "constituency": membership.constituency.slug},
    )
    return support


@transaction.atomic
def challenge_withdraw_support(*, challenge: Challenge, actor: Person) -> None:
    support = ChallengeSupport.objects.filter(challenge=challenge, person=actor).select_related("constituency").first()
    if support is None:
        raise ValidationError("You do not support this need, so there is nothing to withdraw.")
    constituency = support.constituency.slug
    support.delete()
    record_append(
        action="challenges.challenge.support_withdrawn", actor=actor, network=challenge.network, obj=challenge,
        payload={"challenge": challenge.slug, "constituency": constituency},
    )


@transaction.atomic
def facilitator_respond(*, challenge: Challenge, actor: Person, text: str) -> FacilitatorResponse:
    """A facilitator of the challenge's own network answers it in public."""
    if not _is_staff(actor, challenge.network):
        raise PermissionDenied(f"Only facilitators of {challenge.network.name} may respond to its needs.")
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Write your response."})
    if len(text) > RESPONSE_LIMIT:
        raise ValidationError(
            {"text": f"Keep the response to {RESPONSE_LIMIT:,} characters or fewer. It has {len(text):,}."}
        )
    response = FacilitatorResponse.objects.create(challenge=challenge, author=actor, text=text)
    challenge.updated_at = timezone.now()
    challenge.save(update_fields=["updated_at"])
    record_append(
        action="challenges.challenge.responded", actor=actor, network=challenge.network, obj=challenge,
        payload={"challenge": challenge.slug, "response": response.pk},
    )
    return response


@transaction.atomic
def challenge_set_status(*, challenge: Challenge, actor: Person | None, status: str, reason: str = "") -> Challenge:
    """A facilitator moves a need on. Closing needs a reason; every change and its reason is on the record.

    `actor=None` is the system (the demo loader).
    """
    if actor is not None and not _is_staff(actor, challenge.network):
        raise PermissionDenied(f"Only facilitators of {challenge.network.name} may change the status of its needs.")
    if status not in ChallengeStatus.values:
        raise ValidationError({"status": f"“{status}” is not a status. Choose one from the list."})
    reason = reason.strip()
    if len(reason) > REASON_LIMIT:
        raise ValidationError(
            {"reason": f"Keep the reason to {REASON_LIMIT} characters or fewer. It has {len(reason)}."}
        )
    if status == ChallengeStatus.CLOSED and not reason:
        raise ValidationError({"reason": "Say why this need is being closed. The reason is shown to everyone."})
    before = challenge.status
    if before == status:
        raise ValidationError({"status": f"This need is already “{challenge.get_status_display()}”."})
    challenge.status = status
    challenge.closed_reason = reason if status == ChallengeStatus.CLOSED else ""
    challenge.updated_at = timezone.now()
    challenge.save(update_fields=["status", "closed_reason", "updated_at"])
    record_append(
        action="challenges.challenge.status_changed", actor=actor, network=challenge.network, obj=challenge,
        payload={"challenge": challenge.slug, "before": before, "after": status, "reason": reason},
    )
    _reindex(challenge)
    return challenge
