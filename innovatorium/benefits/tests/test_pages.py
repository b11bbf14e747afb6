from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.urls import reverse

from innovatorium.benefits import services
from innovatorium.benefits.models import BenefitEvent, Posting, VersionStatus
from innovatorium.benefits.tests.conftest import adopt
from innovatorium.record.models import RecordEntry
from innovatorium.record.selectors import record_verify

PERSONAS = ["anonymous", "patient", "industry_member", "facilitator", "other_admin"]
pytestmark = pytest.mark.django_db


def _client(request, persona, client):
    if persona == "anonymous":
        return client
    client.force_login(request.getfixturevalue(persona).user)
    return client


def _private(three_way, facilitator):
    services.version_set_terms(actor=facilitator, version=three_way, basis="fixed", reinvestment_percent="10",
                               public_party_names=False, public_party_amounts=False, public_event_details=False)
    return adopt(three_way, facilitator)


def _pay(agreement, facilitator, amount="100.00", key="INV-1"):
    event, _ = services.event_record(actor=facilitator, agreement=agreement, kind="licence_income", amount=amount,
                                     occurred_on=dt.date(2026, 3, 1), idempotency_key=key, payer="Acme Health",
                                     description="Annual licence")
    return event.postings.get()


def _urls(agreement, posting, patient_party):
    n, i = agreement.network.slug, agreement.innovation.slug
    return {
        "network": (reverse("benefits:network", args=[n]), "public"),
        "agreement": (agreement.get_absolute_url(), "public"),
        "csv": (reverse("benefits:statement_csv", args=[n, i]), "public"),
        "json": (reverse("benefits:statement_json", args=[n, i]), "public"),
        "version": (reverse("benefits:version", args=[n, i, 1]), "public"),
        "posting": (reverse("benefits:posting", args=[n, i, posting.posting_id]), "public"),
        "start": (reverse("benefits:start", args=[n]), "staff"),
        "record": (reverse("benefits:record", args=[n, i]), "staff"),
        "reverse": (reverse("benefits:reverse", args=[n, i, posting.posting_id]), "staff"),
        "party": (reverse("benefits:party", args=[n, i, patient_party.pk]), "party"),
    }


EXPECTED = {
    # persona: (public, staff, the patient's own party statement) — the patient represents a party
    "anonymous": (200, 302, 302),
    "patient": (200, 403, 200),
    "industry_member": (200, 403, 403),
    "facilitator": (200, 200, 200),
    "other_admin": (200, 403, 403),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_permission_matrix(request, client, persona, three_way, facilitator, patient):
    version = _private(three_way, facilitator)
    posting = _pay(version.agreement, facilitator)
    patient_party = version.terms.get(party__representative=patient).party
    c = _client(request, persona, client)
    columns = {"public": 0, "staff": 1, "party": 2}
    failures = []
    for name, (url, kind) in _urls(version.agreement, posting, patient_party).items():
        status = c.get(url).status_code
        if status != EXPECTED[persona][columns[kind]]:
            failures.append(f"{name}: {status}")
    assert not failures, failures


@pytest.mark.parametrize("persona", ["anonymous", "patient", "industry_member", "other_admin"])
def test_only_facilitators_can_post_or_reverse(request, client, persona, adopted, facilitator):
    posting = _pay(adopted.agreement, facilitator)
    c = _client(request, persona, client)
    n, i = adopted.agreement.network.slug, adopted.agreement.innovation.slug
    r1 = c.post(reverse("benefits:record", args=[n, i]), {
        "kind": "grant", "amount": "5.00", "occurred_on": "2026-03-01", "token": "x"})
    r2 = c.post(reverse("benefits:reverse", args=[n, i, posting.posting_id]), {"reason": "because"})
    assert r1.status_code in (302, 403) and r2.status_code in (302, 403)
    if persona == "anonymous":
        assert "/accounts/login/" in r1["Location"]
    assert BenefitEvent.objects.count() == 1 and Posting.objects.count() == 1


def test_a_draft_is_hidden_from_everyone_but_facilitators(client, client_for, draft, patient, facilitator):
    url = draft.get_absolute_url()
    assert client.get(url).status_code == 404
    assert client_for(patient).get(url).status_code == 404
    assert client_for(facilitator).get(url).status_code == 200


def test_only_a_partys_representative_can_accept_for_it(client_for, three_way, facilitator, patient, trust_rep):
    services.version_propose(actor=facilitator, version=three_way)
    trust_party = three_way.terms.get(party__representative=trust_rep).party
    n, i = three_way.agreement.network.slug, three_way.agreement.innovation.slug
    response = client_for(patient).post(reverse("benefits:accept", args=[n, i, 1, trust_party.pk]))
    assert response.status_code == 403
    assert not three_way.terms.filter(accepted_at__isnull=False).exists()


def test_a_facilitator_drafts_proposes_and_the_parties_accept_in_the_browser_forms(
        client, network, innovation, facilitator, patient, industry_member):
    c = client
    c.force_login(facilitator.user)
    n = network.slug
    response = c.post(reverse("benefits:start", args=[n]), {"innovation": innovation.pk})
    assert response.status_code == 302
    v = reverse("benefits:version", args=[n, innovation.slug, 1])
    assert c.post(v + "terms/", {"basis": "fixed", "reinvestment_percent": "10", "public_party_names": "on",
                                 "public_party_amounts": "on", "summary": "First"}).status_code == 302
    assert c.post(v + "parties/", {"kind": "individual", "representative": patient.pk,
                                   "share_percent": "60"}).status_code == 302
    assert c.post(v + "parties/", {"kind": "organisation", "label": "Sensorco", "representative": industry_member.pk,
                                   "share_percent": "30"}).status_code == 302
    page = c.post(v + "propose/")
    assert page.status_code == 200
    assert "add up to exactly 100%, but they add up to 90%" in page.content.decode()
    bad = c.post(v + "parties/", {"kind": "organisation", "label": "X", "representative": facilitator.pk,
                                  "share_percent": "abc"})
    assert bad.status_code == 200 and "is not a percentage" in bad.content.decode()
    assert c.post(v + "parties/", {"kind": "organisation", "label": "Community fund partner",
                                   "representative": facilitator.pk, "share_percent": "10"}).status_code == 302
    assert c.post(v + "propose/").status_code == 302
    version = innovation.benefit_agreement.versions.get()
    assert version.status == VersionStatus.PROPOSED
    for person in (patient, industry_member, facilitator):
        c.force_login(person.user)
        party = version.terms.get(party__representative=person).party
        assert c.post(v + f"accept/{party.pk}/").status_code == 302
    version.refresh_from_db()
    assert version.status == VersionStatus.ADOPTED


def test_recording_a_payment_shows_the_distribution_adding_up(client_for, adopted, facilitator):
    c = client_for(facilitator)
    n, i = adopted.agreement.network.slug, adopted.agreement.innovation.slug
    form = c.get(reverse("benefits:record", args=[n, i]))
    token = form.context["form"].initial["token"]
    data = {"kind": "licence_income", "amount": "100.00", "occurred_on": "2026-03-01", "payer": "Acme",
            "token": token}
    response = c.post(reverse("benefits:record", args=[n, i]), data, follow=True)
    html = response.content.decode()
    assert "£30.00" in html and "£10.00" in html and "£100.00" in html
    assert "add up to the whole payment, to the penny" in html
    again = c.post(reverse("benefits:record", args=[n, i]), data, follow=True)
    assert "already posted" in again.content.decode()
    assert BenefitEvent.objects.count() == 1


def test_a_fraction_of_a_penny_in_the_form_is_explained_on_the_field(client_for, adopted, facilitator):
    c = client_for(facilitator)
    n, i = adopted.agreement.network.slug, adopted.agreement.innovation.slug
    response = c.post(reverse("benefits:record", args=[n, i]), {
        "kind": "royalties", "amount": "12.345", "occurred_on": "2026-03-01", "token": "t1"})
    assert response.status_code == 200
    assert "fraction of a penny" in response.content.decode()
    assert not BenefitEvent.objects.exists()


def test_the_public_statement_and_downloads_hide_what_the_agreement_keeps_private(
        client, three_way, facilitator, patient):
    version = _private(three_way, facilitator)
    _pay(version.agreement, facilitator, amount="1000.00")
    page = client.get(version.agreement.get_absolute_url()).content.decode()
    assert "£1,000.00" in page and "£100.00" in page  # earned; reinvested
    assert "Acme" not in page and patient.display_name not in page and "Test Hospitals" not in page
    n, i = version.agreement.network.slug, version.agreement.innovation.slug
    data = json.loads(client.get(reverse("benefits:statement_json", args=[n, i])).content)
    assert data["totals"] == {"earned": "1000.00", "saved": "0.00", "shared": "900.00", "reinvested": "100.00"}
    assert data["postings"][0]["payer"] is None
    assert [s["to"] for s in data["postings"][0]["shared"]] == ["Test Region community fund"]
    rows = list(csv.DictReader(io.StringIO(client.get(reverse("benefits:statement_csv", args=[n, i])).content
                                           .decode())))
    assert rows[0]["amount"] == "1000.00" and "Acme" not in str(rows)


def test_the_public_statement_names_parties_when_agreed_but_an_individual_only_by_their_choice(
        client, adopted, facilitator, patient):
    patient.show_name_publicly = False
    patient.save()
    _pay(adopted.agreement, facilitator)
    page = client.get(adopted.agreement.get_absolute_url()).content.decode()
    assert "Test Hospitals NHS Trust" in page and "Sensorco Ltd" in page
    assert patient.pseudonym in page and patient.display_name not in page


def test_the_statement_page_is_built_in_a_fixed_number_of_queries(client, adopted, facilitator,
                                                                   django_assert_max_num_queries):
    for k in range(12):
        _pay(adopted.agreement, facilitator, amount=f"{k + 1}.01", key=f"K{k}")
    with django_assert_max_num_queries(20):
        assert client.get(adopted.agreement.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("benefits:network", args=[adopted.agreement.network.slug])).status_code == 200


def test_every_posting_is_on_the_public_record_and_the_chain_verifies(client, adopted, facilitator):
    posting = _pay(adopted.agreement, facilitator)
    services.posting_reverse(actor=facilitator, posting=posting, reason="Wrong invoice")
    assert RecordEntry.objects.filter(action__startswith="benefits.").count() >= 3
    assert client.get(reverse("record:verify")).status_code == 200
    assert record_verify().ok


def test_amounts_sum_on_the_network_page(client, adopted, facilitator):
    _pay(adopted.agreement, facilitator, amount="10.00", key="a")
    _pay(adopted.agreement, facilitator, amount="0.01", key="b")
    page = client.get(reverse("benefits:network", args=[adopted.agreement.network.slug])).content.decode()
    assert "£10.01" in page


def test_the_innovation_page_links_to_its_benefit_statement(client, adopted, facilitator):
    _pay(adopted.agreement, facilitator, amount="100.00")
    page = client.get(adopted.agreement.innovation.get_absolute_url()).content.decode()
    assert adopted.agreement.get_absolute_url() in page
    assert "£90.00 shared" in page


def test_a_long_statement_shows_the_latest_postings_and_counts_them_all(client, adopted, facilitator, monkeypatch):
    from innovatorium.benefits import views

    monkeypatch.setattr(views, "PAGE_POSTINGS", 3)
    for k in range(5):
        _pay(adopted.agreement, facilitator, amount="1.00", key=f"L{k}")
    page = client.get(adopted.agreement.get_absolute_url()).content.decode()
    assert "Showing the latest 3 of 5 postings" in page
    assert 'data-total="earned">£5.00' in page
