"""Plain-English names for public-record action codes. Codes stay the stable, machine-readable key."""

from __future__ import annotations

ACTION_LABELS: dict[str, str] = {
    "atlas.case_study.published": "Case study published",
    "atlas.case_study.submitted": "Case study submitted for review",
    "atlas.collection.created": "Collection created",
    "atlas.collection.item_added": "Innovation added to a collection",
    "atlas.evidence.added": "Evidence added to an innovation",
    "atlas.innovation.published": "Innovation published to the Atlas",
    "atlas.innovation.stage_changed": "Innovation moved to a new stage",
    "atlas.innovation.submitted": "Innovation submitted for review",
    "challenges.challenge.raised": "Need raised",
    "challenges.challenge.responded": "Facilitator responded to a need",
    "challenges.challenge.status_changed": "Need's status changed",
    "challenges.challenge.support_withdrawn": "Support for a need withdrawn",
    "challenges.challenge.supported": "Need supported",
    "deliberation.conversation.closed": "Conversation closed, with its totals",
    "deliberation.conversation.opened": "Conversation opened",
    "deliberation.statement.accepted": "Statement accepted in a conversation",
    "deliberation.statement.rejected": "Statement not accepted in a conversation",
    "deliberation.statement.seeded": "Statement added to a conversation by a facilitator",
    "events.attendance.marked": "Attendance at an event marked (counts only)",
    "events.event.cancelled": "Event cancelled",
    "events.event.created": "Event set up as a draft",
    "events.event.published": "Event published",
    "events.minutes.published": "Event minutes and outcomes published",
    "events.registration.cancelled": "Registration for an event cancelled (counts only)",
    "events.registration.made": "Registration for an event (counts only)",
    "events.speaker.added": "Speaker added to an event",
    "exchange.interest.expressed": "Innovator offered an innovation for a need",
    "exchange.introduction.advanced": "Introduction moved on",
    "exchange.introduction.proposed": "Introduction proposed",
    "networks.constituency.changed": "Partner group changed",
    "networks.constituency.created": "Partner group added",
    "networks.constituency.updated": "Partner group changed",
    "people.declaration.made": "Declaration of interest made",
    "people.membership.joined": "Member joined",
    "people.membership.left": "Member left",
    "people.membership.rejected": "Member's group could not be confirmed",
    "people.membership.role_changed": "Member's role changed",
    "people.membership.verified": "Member's group confirmed",
    "people.organisation.created": "Organisation added",
    "people.person.erased": "Account deleted and personal data erased",
    "priorities.round.closed": "Priority-setting round closed and counted",
    "priorities.round.created": "Priority-setting round set up",
    "priorities.round.opened": "Priority-setting round opened for voting",
    "priorities.round.published": "Priorities published",
}


def action_label(code: str) -> str:
    """The plain name for an action code; unknown codes are shown as they are."""
    return ACTION_LABELS.get(code, code)
