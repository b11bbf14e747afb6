"""Programme and project pages: public stories, facilitators' forms, and a phone-sized contribution form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from innovatorium.core import ratelimit
from innovatorium.core.forms import add_service_errors as _form_errors
from innovatorium.core.permissions import acting_person, public, requires
from innovatorium.networks.models import Network
from innovatorium.people.models import Person
from innovatorium.projects import forms, selectors, services
from innovatorium.projects.models import Contribution, Milestone, ParticipantProfile, Project, ProjectStatus, TeamMember


def _network(request: HttpRequest, network_slug: str, **_: object) -> Network:
    return get_object_or_404(Network, slug=network_slug)


def _project(request: HttpRequest, network_slug: str, project_slug: str, **_: object) -> Project:
    return selectors.project_get(network_slug=network_slug, project_slug=project_slug)



def _crumbs(network: Network, *extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [(network.name, network.get_absolute_url()),
            ("Projects", reverse("projects:list", kwargs={"network_slug": network.slug})), *extra]


def _project_crumbs(project: Project) -> list[tuple[str, str]]:
    return _crumbs(project.network, (project.title, project.get_absolute_url()))


# --- public pages ----------------------------------------------------------------------------------


@public
@require_GET
def programme_list(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = _network(request, network_slug)
    return render(request, "projects/programme_list.html", {
        "network": network, "programmes": selectors.programmes_for_network(network=network),
        "can_create": request.user.has_perm("projects.create_programme", network), "crumbs": _crumbs(network),
    })


@public
@require_GET
def programme_detail(request: HttpRequest, network_slug: str, programme_slug: str) -> HttpResponse:
    programme = selectors.programme_get(network_slug=network_slug, programme_slug=programme_slug)
    network = programme.network
    events = selectors.programme_events(programme=programme)
    return render(request, "projects/programme_detail.html", {
        "events": events, "events_with_patient_speaker": sum(1 for e in events if e.has_patient_speaker),
        "network": network, "programme": programme, "roles": selectors.programme_roles(programme=programme),
        "projects": selectors.projects_for_network(network=network, programme=programme),
        "involvement": selectors.involvement_summary(network=network, programme=programme),
        "crumbs": _crumbs(network, ("Programmes", reverse("projects:programmes",
                                                         kwargs={"network_slug": network.slug}))),
    })


@public
@require_GET
def project_list(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = _network(request, network_slug)
    status = request.GET.get("status", "")
    if status not in ProjectStatus.values:
        status = ""
    return render(request, "projects/list.html", {
        "network": network, "projects": selectors.projects_for_network(network=network, status=status),
        "status": status, "statuses": ProjectStatus.choices,
        "can_create": request.user.has_perm("projects.create_project", network),
        "crumbs": [(network.name, network.get_absolute_url())],
    })


@public
@require_GET
def project_detail(request: HttpRequest, network_slug: str, project_slug: str) -> HttpResponse:
    project = _project(request, network_slug, project_slug)
    person = acting_person(request)
    team = selectors.project_team(project=project)
    return render(request, "projects/detail.html", {
        "network": project.network, "project": project, "team": team,
        "timeline": selectors.project_timeline(project=project),
        "totals": selectors.contribution_totals(project=project),
        "can_manage": request.user.has_perm("projects.manage_project", project),
        "can_edit": request.user.has_perm("projects.edit_project", project),
        "events": selectors.project_events(project=project),
        "can_log": request.user.has_perm("projects.log_contribution", project),
        "my_member_id": next((m.pk for m in team if person and m.person_id == person.pk), None),
        "crumbs": _crumbs(project.network),
    })


# --- facilitators' forms ---------------------------------------------------------------------------


def _form_page(
    request: HttpRequest, *, form: Form, template: str, context: dict[str, Any],
    save: Callable[[dict[str, Any]], Any], done: str, redirect_to: str | None,
) -> HttpResponse:
    """Validate, save through a service, and go to `redirect_to` (or to what was saved, when None)."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(redirect_to or saved)
    return render(request, template, {**context, "form": form})


@requires("projects.create_programme", obj=_network)
@require_http_methods(["GET", "POST"])
def programme_create(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = _network(request, network_slug)
    form = forms.ProgrammeForm(request.POST or None)
    return _form_page(
        request, form=form, template="projects/form.html", done="The programme is set up.", redirect_to=None,
        save=lambda data: services.programme_create(network=network, actor=request.user.person, **data),
        context={"network": network, "heading": "Set up a programme", "button": "Set up programme",
                 "crumbs": _crumbs(network)},
    )


@requires("projects.create_project", obj=_network)
@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = _network(request, network_slug)
    initial = {k: request.GET[k] for k in ("challenge", "innovation", "programme") if k in request.GET}
    form = forms.ProjectForm(request.POST or None, network=network, initial=initial)
    def save(data: dict[str, Any]) -> Project:
        return services.project_create(
            network=network, actor=request.user.person, title=data["title"], summary=data["summary"],
            contribution_values_private=data["contribution_values_private"], **form.objects(),
        )

    return _form_page(request, form=form, template="projects/form.html", save=save,
                      done="The project is started. Add its team next.", redirect_to=None, context={
                          "network": network, "heading": "Start a co-production project",
                          "button": "Start project", "crumbs": _crumbs(network)})


def _project_form(request: HttpRequest, project: Project, form: Form, heading: str, button: str,
                  save: Callable[[dict[str, Any]], Any], done: str) -> HttpResponse:
    return _form_page(request, form=form, template="projects/form.html", save=save, done=done,
                      redirect_to=project.get_absolute_url(), context={
                          "network": project.network, "project": project, "heading": heading, "button": button,
                          "crumbs": _project_crumbs(project)})


@requires("projects.edit_project", obj=_project)
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, network_slug: str, project_slug: str) -> HttpResponse:
    project = _project(request, network_slug, project_slug)
    form = forms.ProjectEditForm(request.POST or None, network=project.network, initial={
        "title": project.title, "summary": project.summary, "status": project.status,
        "programme": project.programme.slug if project.programme else "",
    })

    def save(data: dict[str, Any]) -> Project:
        return services.project_update(project=project, actor=request.user.person, title=data["title"],
                                       summary=data["summary"], programme=form.chosen_programme(),
                                       status=data["status"])

    return _form_page(request, form=form, template="projects/form.html", save=save,
                      done="The project is updated. The public record keeps what it said before.", redirect_to=None,
                      context={"network": project.network, "project": project, "heading": "Edit the project",
                               "button": "Save changes", "crumbs": _project_crumbs(project)})


@requires("projects.manage_project", obj=_project)
@require_http_methods(["GET", "POST"])
def team_member_add(request: HttpRequest, network_slug: str, project_slug: str) -> HttpResponse:
    project = _project(request, network_slug, project_slug)
    form = forms.TeamMemberForm(request.POST or None, project=project)

    def save(data: dict[str, Any]) -> None:
        services.team_member_add(
            project=project, actor=request.user.person, person=get_object_or_404(Person, pk=data["person"]),
            role=data["role"], depth=data["depth"], paid=data["paid"], hourly_rate=data["hourly_rate"],
        )

    return _project_form(request, project, form, "Add a team member", "Add to the team", save,
                         "They are on the team.")


@requires("projects.manage_project", obj=_project)
@require_http_methods(["GET", "POST"])
def milestone_add(request: HttpRequest, network_slug: str, project_slug: str) -> HttpResponse:
    project = _project(request, network_slug, project_slug)
    form = forms.MilestoneForm(request.POST or None)
    return _project_form(
        request, project, form, "Add a milestone", "Add milestone",
        lambda data: services.milestone_add(project=project, actor=request.user.person, **data),
        "The milestone is on the timeline.",
    )


@requires("projects.manage_project", obj=_project)
@require_http_methods(["GET", "POST"])
def milestone_update(request: HttpRequest, network_slug: str, project_slug: str, milestone_id: int) -> HttpResponse:
    project = _project(request, network_slug, project_slug)
    milestone = get_object_or_404(Milestone, pk=milestone_id, project=project)
    form = forms.MilestoneUpdateForm(request.POST or None, initial={"status": milestone.status})
    return _project_form(
        request, project, form, f"Update “{milestone.title}”", "Save",
        lambda data: services.milestone_update(milestone=milestone, actor=request.user.person, **data),
        "The milestone is updated.",
    )


@requires("projects.manage_project", obj=_project)
@require_http_methods(["GET", "POST"])
def iteration_add(request: HttpRequest, network_slug: str, project_slug: str) -> HttpResponse:
    project = _project(request, network_slug, project_slug)
    form = forms.IterationForm(request.POST or None)
    return _project_form(
        request, project, form, "Record a prototype iteration", "Record iteration",
        lambda data: services.iteration_add(project=project, actor=request.user.person, **data),
        "The iteration is on the timeline.",
    )


@requires("projects.manage_project", obj=_project)
@require_http_methods(["GET", "POST"])
def user_test_add(request: HttpRequest, network_slug: str, project_slug: str) -> HttpResponse:
    project = _project(request, network_slug, project_slug)
    form = forms.UserTestForm(request.POST or None, project=project)

    def save(data: dict[str, Any]) -> None:
        iteration = project.iterations.filter(number=data["iteration"]).first() if data["iteration"] else None
        services.user_test_add(
            project=project, actor=request.user.person, what_was_tested=data["what_was_tested"],
            findings=data["findings"], occurred_on=data["occurred_on"], participants=form.participants(),
            iteration=iteration,
        )

    return _form_page(request, form=form, template="projects/user_test_form.html", save=save,
                      done="The user test is on the timeline.", redirect_to=project.get_absolute_url(),
                      context={"network": project.network, "project": project, "crumbs": _project_crumbs(project)})


@requires("projects.manage_project", obj=_project)
@require_http_methods(["GET", "POST"])
def decision_add(request: HttpRequest, network_slug: str, project_slug: str) -> HttpResponse:
    project = _project(request, network_slug, project_slug)
    form = forms.DecisionForm(request.POST or None)
    return _project_form(
        request, project, form, "Record a decision", "Record decision",
        lambda data: services.decision_add(project=project, actor=request.user.person, **data),
        "The decision is on the timeline.",
    )


# --- contributions ---------------------------------------------------------------------------------


@requires("projects.log_contribution", obj=_project)
@require_http_methods(["GET", "POST"])
def contribution_log(request: HttpRequest, network_slug: str, project_slug: str) -> HttpResponse:
    project = _project(request, network_slug, project_slug)
    person = request.user.person
    for_others = request.user.has_perm("projects.manage_project", project)
    form = forms.ContributionForm(request.POST or None, project=project, for_others=for_others)

    def save(data: dict[str, Any]) -> None:
        member = None
        if data.get("team_member"):
            member = get_object_or_404(TeamMember, pk=data["team_member"], project=project)
        ratelimit.check(request, ratelimit.POSTS, person=person)  # a RateLimited is a ValidationError: shown
        try:
            services.contribution_log(
                project=project, actor=person, team_member=member, kind=data["kind"], quantity=data["quantity"],
                unit=data["unit"], occurred_on=data["occurred_on"], description=data["description"],
            )
        except PermissionDenied as exc:
            raise ValidationError(str(exc)) from None

    return _form_page(request, form=form, template="projects/contribute.html", save=save,
                      done="Thank you. Your contribution is logged on the project.",
                      redirect_to=project.get_absolute_url(),
                      context={"network": project.network, "project": project, "crumbs": _project_crumbs(project)})


def _contribution(request: HttpRequest, network_slug: str, project_slug: str, contribution_id: int) -> Contribution:
    return get_object_or_404(
        Contribution.objects.select_related("project__network", "team_member__person"),
        pk=contribution_id, project__slug=project_slug, project__network__slug=network_slug,
    )


@requires("projects.log_contribution", obj=_project)
@require_http_methods(["GET", "POST"])
def contribution_reverse(
    request: HttpRequest, network_slug: str, project_slug: str, contribution_id: int
) -> HttpResponse:
    entry = _contribution(request, network_slug, project_slug, contribution_id)
    project = entry.project
    if not (entry.team_member.person_id == request.user.person.pk
            or request.user.has_perm("projects.manage_project", project)):
        raise PermissionDenied("Only the person who gave it, or a facilitator, can reverse a contribution.")
    form = forms.ReverseForm(request.POST or None)
    return _form_page(
        request, form=form, template="projects/reverse.html",
        save=lambda data: services.contribution_reverse(contribution=entry, actor=request.user.person, **data),
        done="The entry is reversed. Log it again with the right figures if you need to.",
        redirect_to=project.get_absolute_url(),
        context={"network": project.network, "project": project, "entry": entry, "crumbs": _project_crumbs(project)},
    )


# --- who takes part --------------------------------------------------------------------------------


@requires("projects.describe_self")
@require_http_methods(["GET", "POST"])
def about_you(request: HttpRequest) -> HttpResponse:
    """A member's optional, private answers about themselves, counted only in aggregate in the reports."""
    person = request.user.person
    profile = ParticipantProfile.objects.filter(person=person).first()
    if request.method == "POST" and request.POST.get("delete"):
        services.participant_profile_save(person=person)
        messages.success(request, "Your answers are deleted.")
        return redirect("people:profile")
    initial = ({"age_band": profile.age_band, "ethnic_group": profile.ethnic_group,
                "disability": profile.disability, "postcode": profile.postcode_district} if profile else None)
    form = forms.ParticipantProfileForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.participant_profile_save(person=person, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "Thank you. Your answers are saved." if saved
                             else "You left every question blank, so we hold no answers from you.")
            return redirect("people:profile")
    return render(request, "projects/about_you.html", {
        "form": form, "profile": profile, "crumbs": [("My account", reverse("people:profile"))],
    })
