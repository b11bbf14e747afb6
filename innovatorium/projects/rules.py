"""Who may do what with programmes and projects. Reading is public.

Running a project (creating it, its team, milestones, iterations, tests and decisions) is for the facilitators
and admins of its own network. Logging a contribution is for the project's team members, or a facilitator
logging on someone's behalf.
"""

from __future__ import annotations

import rules

from innovatorium.people.rules import has_person, is_network_staff, is_superuser
from innovatorium.projects.models import InvolvementDepth


@rules.predicate
def is_team_member(user, project) -> bool:
    if project is None or not user.is_authenticated:
        return False
    person = getattr(user, "person", None)
    if person is None:
        return False
    cache = getattr(user, "_innovatorium_project_teams", None)
    if cache is None:
        cache = user._innovatorium_project_teams = {}
    if project.pk not in cache:
        cache[project.pk] = project.team.filter(person=person).exists()
    return cache[project.pk]


@rules.predicate
def is_project_lead(user, project) -> bool:
    if project is None or not user.is_authenticated or getattr(user, "person", None) is None:
        return False
    return project.team.filter(person=user.person, depth=InvolvementDepth.LEAD).exists()


staff = is_network_staff | is_superuser

rules.add_perm("projects.view_project", rules.always_allow)
rules.add_perm("projects.create_programme", staff)
rules.add_perm("projects.create_project", staff)
rules.add_perm("projects.manage_project", staff)
rules.add_perm("projects.edit_project", staff | is_project_lead)
rules.add_perm("projects.log_contribution", is_team_member | staff)
rules.add_perm("projects.describe_self", has_person)
