"""Sites report their own adoption; a facilitator verifies or sends it back; only verified reports count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from innovatorium.adoption import selectors, services
from innovatorium.adoption.models import Adoption, AdoptionReport, ReportState, Site
from innovatorium.factories import OrganisationFactory, member
from innovatorium.people.models import OrganisationType, Verification
from innovatorium.record.models import RecordEntry


@pytest.fixture
def site_staff(register, network):
    """A verified NHS member who works for the ICB QHM (so may report for it and the sites within it)."""
    org = OrganisationFactory(name="NHS North East And North Cumbria ICB", type=OrganisationType.ICB,
                              ods_code="QHM")
    return member(network, "nhs", organisation=org, verification=Verification.VERIFIED).person


def _submit(innovation, person, code="A81001", **kwargs):
    kwargs.setdefault("status", "adopted")
    kwargs.setdefault("on", dt.date(2024, 3, 1))
    return services.report_submit(innovation=innovation, site=Site.objects.get(ods_code=code), actor=person,
                                  **kwargs)


def test_staff_of_an_organisation_may_report_for_it_and_the_sites_within_it(site_staff):
    codes = {s.ods_code for s in services.reportable_sites(site_staff)}
    assert codes == {"QHM", "RTD", "A81001", "A81002"}


def test_a_member_without_a_declared_organisation_cannot_report(register, innovation, patient):
    assert services.reportable_sites(patient) == []
    with pytest.raises(PermissionDenied):
        _submit(innovation, patient)


def test_an_unverified_declaration_does_not_let_anyone_report(register, network, innovation):
    org = OrganisationFactory(ods_code="RTD")
    person = member(network, "nhs", organisation=org, verification=Verification.PENDING).person
    assert services.reportable_sites(person) == []


def test_a_report_does_not_count_until_a_facilitator_verifies_it(site_staff, innovation, facilitator):
    report = _submit(innovation, site_staff, patients_reached=40, source="Board paper")
    assert selectors.headline(selectors.adopting_rows(), selectors.site_arrays()).sites == 0
    assert not Adoption.objects.exists()
    adoption = services.report_verify(report=report, actor=facilitator)
    assert adoption.verified and adoption.status == "adopted" and adoption.patients_reached == 40
    figures = selectors.headline(selectors.adopting_rows(), selectors.site_arrays())
    assert (figures.sites, figures.patients) == (1, 40)
    report.refresh_from_db()
    assert report.state == ReportState.VERIFIED and report.adoption == adoption
    actions = list(RecordEntry.objects.values_list("action", flat=True))
    assert {"adoption.report.submitted", "adoption.report.verified", "adoption.status.changed"} <= set(actions)


def test_a_rejected_report_leaves_the_register_unchanged_and_says_why(site_staff, innovation, facilitator):
    report = _submit(innovation, site_staff)
    with pytest.raises(ValidationError, match="Say why"):
        services.report_reject(report=report, actor=facilitator, note="  ")
    services.report_reject(report=report, actor=facilitator, note="The board paper says piloting.")
    report.refresh_from_db()
    assert report.state == ReportState.REJECTED and report.decision_note.startswith("The board")
    assert not Adoption.objects.exists()
    with pytest.raises(ValidationError, match="already"):
        services.report_verify(report=report, actor=facilitator)


def test_only_the_sites_networks_facilitators_may_decide(site_staff, innovation, other_admin):
    report = _submit(innovation, site_staff)
    with pytest.raises(PermissionDenied):
        services.report_verify(report=report, actor=other_admin)
    with pytest.raises(PermissionDenied):
        services.report_verify(report=report, actor=site_staff)


def test_reports_are_checked_like_any_other_change(site_staff, innovation):
    with pytest.raises(ValidationError, match="future"):
        _submit(innovation, site_staff, on=timezone.localdate() + dt.timedelta(days=3))
    with pytest.raises(ValidationError, match="why it was discontinued"):
        _submit(innovation, site_staff, status="discontinued")
    with pytest.raises(ValidationError, match="more than"):
        _submit(innovation, site_staff, population_covered=10_001)
    _submit(innovation, site_staff)
    with pytest.raises(ValidationError, match="already has a report"):
        _submit(innovation, site_staff, status="embedded")
    assert AdoptionReport.objects.count() == 1


def test_a_site_reports_through_the_page_and_the_facilitator_verifies_in_the_queue(
        site_staff, innovation, facilitator, client_for, django_assert_max_num_queries):
    c = client_for(site_staff)
    url = reverse("adoption:report", args=[innovation.network.slug, innovation.slug])
    page = c.get(url)
    assert page.status_code == 200 and b"A81001" in page.content
    site = Site.objects.get(ods_code="A81002")
    bad = c.post(url, {"site": site.pk, "status": "adopted", "on": "2024-01-01", "population_covered": "999999"})
    assert bad.status_code == 200 and b"more than" in bad.content and not AdoptionReport.objects.exists()
    response = c.post(url, {"site": site.pk, "status": "adopted", "on": "2024-01-01", "patients_reached": "12"})
    assert response.status_code == 302
    assert b"Waiting for a facilitator" in c.get(url).content
    c = client_for(facilitator)
    queue = reverse("adoption:reports", args=[innovation.network.slug])
    with django_assert_max_num_queries(12):
        page = c.get(queue)
    assert b"Queens Park Medical Centre" in page.content
    report = AdoptionReport.objects.get()
    assert c.post(queue, {"report": report.pk, "decision": "reject", "note": ""}).status_code == 200
    assert c.post(queue, {"report": report.pk, "decision": "verify"}).status_code == 302
    assert Adoption.objects.get().verified
    assert b"No reports are waiting" in c.get(queue).content
    assert c.post(queue, {"report": report.pk, "decision": "verify"}).status_code == 302  # already checked: no-op


def test_the_report_page_explains_when_the_person_has_no_site(register, innovation, patient, client_for):
    response = client_for(patient).get(reverse("adoption:report", args=[innovation.network.slug, innovation.slug]))
    assert response.status_code == 200 and b"no-site" in response.content


@pytest.mark.parametrize(("persona", "expected"), [
    (None, 302), ("patient", 403), ("industry_member", 403), ("other_admin", 403), ("facilitator", 200),
])
def test_only_the_networks_facilitators_see_the_queue(request, network, client, client_for, persona, expected):
    c = client_for(request.getfixturevalue(persona)) if persona else client
    assert c.get(reverse("adoption:reports", args=[network.slug])).status_code == expected


def test_erasing_the_reporter_keeps_the_report_but_not_who_sent_it(site_staff, innovation, facilitator):
    from innovatorium.adoption.privacy import erase_person

    report = _submit(innovation, site_staff)
    services.report_verify(report=report, actor=facilitator)
    erase_person(person=site_staff)
    erase_person(person=facilitator)
    report.refresh_from_db()
    assert report.reported_by is None and report.decided_by is None and report.state == ReportState.VERIFIED
    assert Adoption.objects.get().verified


def test_reporting_is_rate_limited(site_staff, innovation, client_for, settings, monkeypatch):
    from innovatorium.core import ratelimit

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "adoption-ratelimit"}}
    monkeypatch.setattr(ratelimit, "POSTS", ratelimit.Rate("post", 3, 200, 600, "Wait a few minutes."))
    c = client_for(site_staff)
    url = reverse("adoption:report", args=[innovation.network.slug, innovation.slug])
    site = Site.objects.get(ods_code="A81002")
    for _ in range(ratelimit.POSTS.per_person):
        c.post(url, {"site": site.pk, "status": "adopted", "on": "2099-01-01"})  # refused as future, still counted
    response = c.post(url, {"site": site.pk, "status": "adopted", "on": "2024-01-01"})
    assert response.status_code == 200 and b"Wait a few minutes" in response.content
    assert not AdoptionReport.objects.exists()
