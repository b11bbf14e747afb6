from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from innovatorium.benefits import selectors, services
from innovatorium.benefits.models import (
    AccountKind,
    AppendOnlyError,
    BenefitEvent,
    PartyKind,
    Posting,
    PostingLine,
    VersionStatus,
)
from innovatorium.benefits.tests.conftest import adopt
from innovatorium.record.models import RecordEntry
from innovatorium.record.services import record_append  # noqa: F401 - the record is checked below

pytestmark = pytest.mark.django_db


def post(agreement, facilitator, amount="100.00", key="INV-1", kind="licence_income", day=None):
    return services.event_record(
        actor=facilitator, agreement=agreement, kind=kind, amount=amount,
        occurred_on=day or dt.date(2026, 1, 15), idempotency_key=key, payer="Acme Health", description="Licence",
    )


def test_a_version_is_adopted_only_when_every_party_has_accepted(three_way, facilitator, patient, trust_rep):
    services.version_propose(actor=facilitator, version=three_way)
    trust_party = three_way.terms.get(party__representative=trust_rep).party
    services.version_accept(actor=trust_rep, version=three_way, party=trust_party)
    three_way.refresh_from_db()
    assert three_way.status == VersionStatus.PROPOSED
    adopt_rest = [t for t in three_way.terms.select_related("party") if t.accepted_at is None]
    for term in adopt_rest:
        services.version_accept(actor=term.party.representative, version=three_way, party=term.party)
    three_way.refresh_from_db()
    assert three_way.status == VersionStatus.ADOPTED
    assert RecordEntry.objects.filter(action="benefits.version.adopted").count() == 1


def test_someone_else_cannot_accept_for_a_party(three_way, facilitator, patient, trust_rep):
    services.version_propose(actor=facilitator, version=three_way)
    trust_party = three_way.terms.get(party__representative=trust_rep).party
    with pytest.raises(PermissionDenied):
        services.version_accept(actor=patient, version=three_way, party=trust_party)


def test_shares_not_summing_to_100_are_refused_with_the_sum_and_nothing_changes(draft, facilitator, patient,
                                                                               industry_member):
    services.party_add(actor=facilitator, version=draft, kind=PartyKind.INDIVIDUAL, representative=patient,
                       share_percent="33.33")
    services.party_add(actor=facilitator, version=draft, kind=PartyKind.ORGANISATION, label="Co",
                       representative=industry_member, share_percent="66.66")
    before = RecordEntry.objects.count()
    with pytest.raises(ValidationError, match=r"add up to 99\.99%"):
        services.version_propose(actor=facilitator, version=draft)
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT
    assert RecordEntry.objects.count() == before


def test_a_licence_payment_is_shared_to_the_penny_with_the_fund_first(adopted, facilitator):
    event, created = post(adopted.agreement, facilitator, amount="1000.00")
    assert created
    lines = list(PostingLine.objects.filter(posting__event=event))
    assert sum(line.amount for line in lines) == 0
    fund = [ln for ln in lines if ln.account_kind == AccountKind.FUND]
    assert -fund[0].amount == Decimal("100.00")
    parties = sorted(-ln.amount for ln in lines if ln.account_kind == AccountKind.PARTY)
    assert sum(parties) == Decimal("900.00")
    assert parties == [Decimal("300.00"), Decimal("300.00"), Decimal("300.00")]
    totals = selectors.benefit_totals(network=adopted.agreement.network)
    assert totals == selectors.BenefitTotals(earned=Decimal("1000.00"), saved=Decimal("0.00"),
                                             shared=Decimal("900.00"), reinvested=Decimal("100.00"))


def test_an_awkward_amount_still_adds_up_to_the_penny(adopted, facilitator):
    event, _ = post(adopted.agreement, facilitator, amount="100.01")
    amounts = [-ln.amount for ln in PostingLine.objects.filter(posting__event=event) if ln.amount < 0]
    assert sum(amounts) == Decimal("100.01")
    assert all(a >= 0 for a in amounts)


def test_the_same_event_twice_posts_once(adopted, facilitator):
    first, created = post(adopted.agreement, facilitator)
    again, created_again = post(adopted.agreement, facilitator)
    assert created and not created_again
    assert again.pk == first.pk
    assert Posting.objects.count() == 1
    assert RecordEntry.objects.filter(action="benefits.event.posted").count() == 1


def test_the_same_reference_for_a_different_event_is_refused(adopted, facilitator):
    post(adopted.agreement, facilitator)
    with pytest.raises(ValidationError, match="already used for a different event"):
        post(adopted.agreement, facilitator, amount="200.00")


@pytest.mark.parametrize("amount", ["10.005", "0.001", "-5", "0", "abc", "", "1e400"])
def test_bad_amounts_are_refused_and_nothing_is_written(adopted, facilitator, amount):
    before = RecordEntry.objects.count()
    with pytest.raises(ValidationError) as info:
        post(adopted.agreement, facilitator, amount=amount)
    assert "amount" in info.value.message_dict
    assert BenefitEvent.objects.count() == 0
    assert RecordEntry.objects.count() == before


def test_a_fraction_of_a_penny_is_explained(adopted, facilitator):
    with pytest.raises(ValidationError, match="fraction of a penny"):
        post(adopted.agreement, facilitator, amount="10.005")


def test_nothing_posts_under_an_unadopted_agreement(three_way, facilitator):
    services.version_propose(actor=facilitator, version=three_way)
    with pytest.raises(ValidationError, match="no adopted version"):
        post(three_way.agreement, facilitator)
    assert BenefitEvent.objects.count() == 0


def test_a_reversal_restores_every_balance_and_deletes_nothing(adopted, facilitator):
    agreement = adopted.agreement
    post(agreement, facilitator, amount="50.00", key="A")
    before = selectors.party_balances(agreement=agreement)
    event, _ = post(agreement, facilitator, amount="333.33", key="B")
    posting = event.postings.get()
    services.posting_reverse(actor=facilitator, posting=posting, reason="Invoice cancelled")
    assert selectors.party_balances(agreement=agreement) == before
    assert Posting.objects.count() == 3
    with pytest.raises(ValidationError, match="already been reversed"):
        services.posting_reverse(actor=facilitator, posting=posting, reason="again")
    with pytest.raises(AppendOnlyError):
        posting.delete()
    with pytest.raises(AppendOnlyError):
        PostingLine.objects.all().delete()


def test_an_amendment_is_a_new_version_and_the_old_one_stays(adopted, facilitator, patient):
    amendment = services.version_draft(actor=facilitator, innovation=adopted.agreement.innovation,
                                       summary="More to the fund")
    assert amendment.number == 2
    assert amendment.terms.count() == 3
    services.version_set_terms(actor=facilitator, version=amendment, basis="fixed", reinvestment_percent="20",
                               public_party_names=True, public_party_amounts=True, public_event_details=False)
    adopt(amendment, facilitator)
    adopted.refresh_from_db()
    assert adopted.status == VersionStatus.SUPERSEDED
    event, _ = post(adopted.agreement, facilitator, amount="100.00")
    assert event.version == amendment
    fund = PostingLine.objects.get(posting__event=event, account_kind=AccountKind.FUND)
    assert fund.amount == Decimal("-20.00")


def test_a_proposed_version_cannot_be_changed(three_way, facilitator, patient):
    services.version_propose(actor=facilitator, version=three_way)
    with pytest.raises(ValidationError, match="cannot be changed"):
        services.version_set_terms(actor=facilitator, version=three_way, basis="fixed", reinvestment_percent="0",
                                   public_party_names=True, public_party_amounts=True, public_event_details=True)


def test_only_the_networks_facilitators_record_events(adopted, patient, other_admin):
    for person in (patient, other_admin):
        with pytest.raises(PermissionDenied):
            post(adopted.agreement, person)


def test_the_record_leaves_out_what_the_agreement_keeps_private(three_way, facilitator):
    services.version_set_terms(actor=facilitator, version=three_way, basis="fixed", reinvestment_percent="10",
                               public_party_names=False, public_party_amounts=False, public_event_details=False)
    adopted = adopt(three_way, facilitator)
    post(adopted.agreement, facilitator)
    payload = RecordEntry.objects.get(action="benefits.event.posted").payload
    assert payload["amount"] == "100.00"
    assert payload["community_fund"] == "10.00"
    assert "parties" not in payload and "payer" not in payload
    assert "Acme" not in str(payload)


def test_the_record_never_names_an_individual_party(adopted, facilitator, patient):
    patient.show_name_publicly = True
    patient.save()
    post(adopted.agreement, facilitator)
    payload = RecordEntry.objects.get(action="benefits.event.posted").payload
    names = [p["party"] for p in payload["parties"]]
    assert "Test Hospitals NHS Trust" in names and "Sensorco Ltd" in names
    assert patient.display_name not in str(payload) and patient.pseudonym not in str(payload)
