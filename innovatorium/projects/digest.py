"""The monthly digest: an email to each network's members who agreed to be contacted, saying what the network did
last month (projects started, contributions logged, events held, decisions made) and what is coming next.

Sent once per network and month: the DigestSent row is written in the same transaction as the public-record entry,
and the emails go only after that transaction commits. A network where nothing happened sends nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone

from innovatorium.events.models import Event, EventStatus
from innovatorium.networks.models import Network
from innovatorium.people.models import COUNTED_VERIFICATION, Membership
from innovatorium.projects.models import (
    Contribution,
    ContributionUnit,
    Decision,
    DigestSent,
    Project,
    PrototypeIteration,
    UserTest,
)
from innovatorium.record.services import record_append


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def previous_month(today: dt.date | None = None) -> dt.date:
    first = month_start(today or timezone.localdate())
    return month_start(first - dt.timedelta(days=1))


def _next_month(month: dt.date) -> dt.date:
    return month_start(month + dt.timedelta(days=32))


def _bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(month, dt.time.min, tzinfo=tz)
    return start, dt.datetime.combine(_next_month(month), dt.time.min, tzinfo=tz)


@dataclass
class Digest:
    network: Network
    month: dt.date
    projects_started: list[Project] = field(default_factory=list)
    contributions: int = 0
    contribution_hours: Decimal = Decimal(0)
    contributors: int = 0
    iterations: int = 0
    user_tests: int = 0
    decisions: list[Decision] = field(default_factory=list)
    events_held: list[Event] = field(default_factory=list)
    events_coming: list[Event] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.projects_started or self.contributions or self.iterations or self.user_tests
                    or self.decisions or self.events_held)

    @property
    def subject(self) -> str:
        return f"What {self.network.name} did in {self.month:%B %Y}"


def digest_for(*, network: Network, month: dt.date) -> Digest:
    """What one network did in one month (month = its first day). Seven queries."""
    month = month_start(month)
    start, end = _bounds(month)
    following_end = _bounds(_next_month(month))[1]
    digest = Digest(network=network, month=month)
    digest.projects_started = list(Project.objects.filter(network=network, created_at__gte=start,
                                                          created_at__lt=end).select_related("network")
                                   .order_by("created_at"))
    entries = Contribution.objects.filter(project__network=network, created_at__gte=start, created_at__lt=end)
    totals = entries.aggregate(n=Count("id", filter=Q(reverses__isnull=True)),
                               hours=Sum("quantity", filter=Q(unit=ContributionUnit.HOURS)),
                               people=Count("team_member__person", distinct=True))
    digest.contributions, digest.contributors = totals["n"], totals["people"]
    digest.contribution_hours = totals["hours"] or Decimal(0)
    digest.iterations = PrototypeIteration.objects.filter(project__network=network, created_at__gte=start,
                                                          created_at__lt=end).count()
    digest.user_tests = UserTest.objects.filter(project__network=network, created_at__gte=start,
                                                created_at__lt=end).count()
    digest.decisions = list(Decision.objects.filter(project__network=network, created_at__gte=start,
                                                    created_at__lt=end).select_related("project__network")
                            .order_by("decided_on", "pk"))
    events = Event.objects.filter(network=network, status=EventStatus.PUBLISHED).select_related("network")
    digest.events_held = list(events.filter(starts_at__gte=start, starts_at__lt=end).order_by("starts_at"))
    digest.events_coming = list(events.filter(starts_at__gte=max(end, timezone.now()), starts_at__lt=following_end)
                                .order_by("starts_at"))
    return digest


def _url(path: str) -> str:
    return f"{getattr(settings, 'SITE_URL', '').rstrip('/')}{path}"


def digest_text(digest: Digest) -> str:
    """The email body, in plain words. Names no one: projects, events and decisions only."""
    n = digest.network
    lines = [f"Here is what {n.name} did in {digest.month:%B %Y}.", ""]
    if digest.projects_started:
        lines.append(f"New projects ({len(digest.projects_started)}):")
        lines += [f"- {p.title}: {_url(p.get_absolute_url())}" for p in digest.projects_started]
        lines.append("")
    if digest.contributions:
        hours = f"{digest.contribution_hours.normalize():f}"
        lines += [f"Contributions: {digest.contributions} logged by {digest.contributors} "
                  f"{'person' if digest.contributors == 1 else 'people'}, {hours} hours in all "
                  "(corrections taken off).", ""]
    if digest.iterations or digest.user_tests:
        lines += [f"Prototypes: {digest.iterations} new version{'s' if digest.iterations != 1 else ''} and "
                  f"{digest.user_tests} user test{'s' if digest.user_tests != 1 else ''} with people.", ""]
    if digest.decisions:
        lines.append(f"Decisions ({len(digest.decisions)}):")
        lines += [f"- {d.project.title}: {d.decision[:200]}" for d in digest.decisions[:10]]
        if len(digest.decisions) > 10:
            lines.append(f"- and {len(digest.decisions) - 10} more")
        lines.append("")
    if digest.events_held:
        lines.append(f"Events held ({len(digest.events_held)}):")
        lines += [f"- {e.title}, {timezone.localtime(e.starts_at):%-d %B}: {_url(e.get_absolute_url())}"
                  for e in digest.events_held]
        lines.append("")
    if digest.events_coming:
        lines.append("Coming up next month:")
        lines += [f"- {e.title}, {timezone.localtime(e.starts_at):%-d %B, %H:%M}: {_url(e.get_absolute_url())}"
                  for e in digest.events_coming]
        lines.append("")
    lines += [
        f"Who takes part, and how deeply: {_url(reverse('projects:what_we_do', args=[n.slug]))}",
        "",
        "You get this email because you are a member of the network and agreed that facilitators may contact "
        f"you. To stop, untick that box in your account: {_url(reverse('people:profile'))}",
    ]
    return "\n".join(lines)


def _recipients(network: Network) -> list[str]:
    return sorted(set(
        Membership.objects.filter(
            network=network, verification__in=COUNTED_VERIFICATION, person__contact_consent=True,
            person__erased_at__isnull=True, person__user__isnull=False,
        ).exclude(person__user__email="").values_list("person__user__email", flat=True)
    ))


def _send(subject: str, body: str, addresses: list[str]) -> None:
    """One message per person (never a shared To: list), over one connection."""
    connection = get_connection()
    connection.send_messages([EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [a]) for a in addresses])


def send_digest(*, network: Network, month: dt.date) -> int | None:
    """Send one network's digest for one month. Returns the number of recipients, or None when it was already
    sent or there was nothing to say (nothing is marked then, so activity recorded later still goes out)."""
    month = month_start(month)
    if DigestSent.objects.filter(network=network, month=month).exists():
        return None
    digest = digest_for(network=network, month=month)
    if digest.is_empty:
        return None
    addresses = _recipients(network)
    try:
        with transaction.atomic():
            DigestSent.objects.create(network=network, month=month, recipients=len(addresses))
            record_append(action="projects.digest.sent", actor=None, network=network, obj=network,
                          payload={"month": month.strftime("%Y-%m"), "recipients": len(addresses)})
            subject, body = digest.subject, digest_text(digest)
            transaction.on_commit(lambda: _send(subject, body, addresses))
    except IntegrityError:  # another run sent it a moment ago
        return None
    return len(addresses)


def send_digests(*, month: dt.date | None = None) -> dict[str, int]:
    """Every network's digest for `month` (default: last month). Safe to run again: each is sent once."""
    month = month_start(month or previous_month())
    sent: dict[str, int] = {}
    for network in Network.objects.order_by("name"):
        recipients = send_digest(network=network, month=month)
        if recipients is not None:
            sent[network.slug] = recipients
    return sent
