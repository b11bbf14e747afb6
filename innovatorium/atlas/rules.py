"""Permissions for the Atlas, declared once with django-rules.

Published innovations and case studies are public. Drafts and submissions are seen only by the person who
wrote them and by the facilitators of their network, who review, publish and move them through the stages.
"""

from __future__ import annotations

import rules

from innovatorium.people.rules import has_person, is_network_staff, is_superuser


@rules.predicate
def is_published(user, target) -> bool:
    return target is not None and getattr(target, "status", None) == "published"


@rules.predicate
def is_creator(user, target) -> bool:
    if target is None or not user.is_authenticated:
        return False
    person = getattr(user, "person", None)
    created_by = getattr(target, "created_by_id", None)
    return person is not None and created_by is not None and created_by == person.pk


rules.add_perm("atlas.view_atlas", rules.always_allow)
rules.add_perm("atlas.view_innovation", is_published | is_creator | is_network_staff | is_superuser)
rules.add_perm("atlas.view_case_study", is_published | is_network_staff | is_superuser)
rules.add_perm("atlas.submit_innovation", has_person & (is_creator | is_network_staff | is_superuser))
rules.add_perm("atlas.review_network", is_network_staff | is_superuser)
rules.add_perm("atlas.publish_innovation", is_network_staff | is_superuser)
rules.add_perm("atlas.change_stage", is_network_staff | is_superuser)
rules.add_perm("atlas.publish_case_study", is_network_staff | is_superuser)
rules.add_perm("atlas.import_atlas", is_superuser)
