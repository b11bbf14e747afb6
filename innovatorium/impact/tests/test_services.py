from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from innovatorium.factories import member
from innovatorium.impact import selectors, services
from innovatorium.impact.models import Observation, ObservationSource, SurveyResponse, WeightVote
from innovatorium.impact.tests.conftest import SHIFT, months_back, series_csv
from innovatorium.record.models import RecordEntry


def test_a_member_proposes_a_measure_filed_under_their_partner_group(measure, patient):
    assert measure.proposed_by_constituency.slug == "patients-public"
    assert measure.slug == "i-felt-listened-to"
    entry = RecordEntry.objects.get(action="impact.measure.proposed")
    assert entry.payload["constituency"] == "patients-public"
    assert entry.actor_pseudonym == patient.pseudonym


def test_someone_outside_the_network_cannot_propose(network, other_admin):
    with pytest.raises(PermissionDenied):
        services.measure_propose(network=network, actor=other_admin, name="x", definition="d", unit="u",
                                 direction="higher", data_source="s")


def test_a_proposal_names_each_missing_field(network, patient):
    with pytest.raises(ValidationError) as exc:
        services.measure_propose(network=network, actor=patient, name=" ", definition="", unit="", direction="up",
                                 data_source="", survey_scale="five", survey_open=True)
    assert set(exc.value.message_dict) == {"name", "definition", "unit", "direction", "data_source",
                                            "survey_question"}


def test_an_open_survey_needs_a_survey(network, patient):
    with pytest.raises(ValidationError) as exc:
        services.measure_propose(network=network, actor=patient, name="n", definition="d", unit="u",
                                 direction="lower", data_source="s", survey_open=True)
    assert "survey_open" in exc.value.message_dict


def test_one_person_one_weight_and_the_group_weight_is_the_median(measure, network, patient):
    others = [member(network, "patients-public").person for _ in range(2)]
    services.weight_cast(measure=measure, actor=patient, weight=2)
    services.weight_cast(measure=measure, actor=patient, weight=9)  # changes, does not add
    services.weight_cast(measure=measure, actor=others[0], weight=10)
    services.weight_cast(measure=measure, actor=others[1], weight=3)
    assert WeightVote.objects.filter(measure=measure).count() == 3
    view = selectors.measure_view(measure=measure)
    patients = measure.proposed_by_constituency
    gw = view.weight_for(patients.pk)
    assert (gw.weight, gw.votes) == (9.0, 3)
    assert gw.mean == pytest.approx(22 / 3)
    assert RecordEntry.objects.filter(action="impact.weight.changed").count() == 1
    # the weight itself never goes on the public record
    assert all("weight" not in e.payload for e in RecordEntry.objects.filter(action__startswith="impact.weight"))


def test_weights_are_for_members_only_and_in_range(measure, other_admin, industry_member):
    with pytest.raises(PermissionDenied):
        services.weight_cast(measure=measure, actor=other_admin, weight=5)
    with pytest.raises(ValidationError):
        services.weight_cast(measure=measure, actor=industry_member, weight=11)
    vote = services.weight_cast(measure=measure, actor=industry_member, weight=0)
    assert vote.constituency.slug == "industry"


def test_the_proposer_and_facilitators_record_values_and_others_cannot(measure, patient, facilitator,
                                                                      industry_member):
    last = months_back(1)[0]
    services.observation_record(measure=measure, actor=patient, period=last + dt.timedelta(days=9),
                                value=Decimal("3.5"))
    obs = services.observation_record(measure=measure, actor=facilitator, period=last, value=Decimal("3.25"))
    assert obs.period == last and obs.value == Decimal("3.25")
    assert Observation.objects.filter(measure=measure).count() == 1
    last_entry = RecordEntry.objects.filter(action="impact.observation.recorded").order_by("sequence").last()
    assert last_entry.payload["replaced"] == "3.5000"
    with pytest.raises(PermissionDenied):
        services.observation_record(measure=measure, actor=industry_member, period=last, value=Decimal(1))


def test_a_future_month_is_refused(measure, facilitator):
    next_month = (timezone.localdate().replace(day=28) + dt.timedelta(days=5)).replace(day=1)
    with pytest.raises(ValidationError) as exc:
        services.observation_record(measure=measure, actor=facilitator, period=next_month, value=Decimal(1))
    assert "period" in exc.value.message_dict


def test_an_import_is_all_or_nothing_with_each_problem_by_line_and_column(measure, facilitator):
    good = months_back(2)
    text = f"period,value\n{good[0]:%Y-%m},3\n2024-13,4\n{good[1]:%Y-%m},three\n{good[0]:%Y-%m},2\n"
    with pytest.raises(services.ImportRefused) as exc:
        services.observations_import(measure=measure, actor=facilitator, text=text)
    found = [(p.line, p.column) for p in exc.value.problems]
    assert found == [(3, "period"), (4, "value"), (5, "period")]
    assert "line 4, column “value”" in str(exc.value.problems[1])
    assert not Observation.objects.filter(measure=measure).exists()
    assert not RecordEntry.objects.filter(action="impact.observations.imported").exists()


def test_an_import_writes_every_month_and_one_record_entry(measure, facilitator):
    assert services.observations_import(measure=measure, actor=facilitator, text=series_csv(SHIFT)) == 20
    assert Observation.objects.filter(measure=measure, source=ObservationSource.IMPORTED).count() == 20
    entry = RecordEntry.objects.get(action="impact.observations.imported")
    assert entry.payload["rows"] == 20 and entry.payload["new"] == 20
    # importing again replaces, and says so
    services.observations_import(measure=measure, actor=facilitator, text=series_csv(SHIFT))
    last_entry = RecordEntry.objects.filter(action="impact.observations.imported").order_by("sequence").last()
    assert last_entry.payload["replaced"] == 20


def test_a_header_problem_stops_the_import(measure, facilitator):
    with pytest.raises(services.ImportRefused) as exc:
        services.observations_import(measure=measure, actor=facilitator, text="month,valu\n2024-01,1\n")
    assert {p.column for p in exc.value.problems} >= {"period", "value", "month"}


def test_survey_answers_aggregate_into_the_months_mean(measure):
    today = timezone.localdate()
    for i, score in enumerate([5, 4, 2]):
        comment = "Kind staff" if i == 0 else ""
        services.survey_answer(measure=measure, score=score, comment=comment, token=f"t{i}")
    obs = Observation.objects.get(measure=measure, period=today.replace(day=1))
    assert obs.value == Decimal("3.6667") and obs.responses == 3 and obs.source == ObservationSource.SURVEY
    entry = RecordEntry.objects.filter(action="impact.survey.answered").order_by("sequence").last()
    assert entry.actor_pseudonym == "system" and "comment" not in entry.payload
    assert entry.payload["month_answers"] == 3


def test_one_answer_per_browser_a_month(measure):
    services.survey_answer(measure=measure, score=5, token="same")
    with pytest.raises(ValidationError):
        services.survey_answer(measure=measure, score=1, token="same")
    assert SurveyResponse.objects.count() == 1
    # the stored hash is not the token
    assert "same" not in SurveyResponse.objects.get().respondent_hash


def test_a_survey_answer_must_be_on_the_scale(measure):
    with pytest.raises(ValidationError):
        services.survey_answer(measure=measure, score=0, token="t")
    with pytest.raises(ValidationError):
        services.survey_answer(measure=measure, score=6, token="t")


def test_a_value_entered_by_hand_is_not_overwritten_by_survey_answers(measure, facilitator):
    this_month = timezone.localdate().replace(day=1)
    services.observation_record(measure=measure, actor=facilitator, period=this_month, value=Decimal("4.4"))
    services.survey_answer(measure=measure, score=1, token="t")
    assert Observation.objects.get(measure=measure, period=this_month).value == Decimal("4.4")


def test_a_retired_measure_takes_no_weights_or_answers(measure, patient):
    services.measure_retire(measure=measure, actor=patient)
    with pytest.raises(ValidationError):
        services.weight_cast(measure=measure, actor=patient, weight=5)
    with pytest.raises(ValidationError):
        services.survey_answer(measure=measure, score=3, token="t")


def test_the_spc_result_finds_the_shift(measure, facilitator):
    services.observations_import(measure=measure, actor=facilitator, text=series_csv(SHIFT))
    view = selectors.measure_view(measure=measure)
    assert view.result is not None
    assert view.variation.code == "improvement_high"
    assert view.signal == 1
    assert view.result.flagged("shift")  # the last eight months sit above the mean



def test_erasure_unlinks_the_proposer_and_keeps_the_measure_and_weights(measure, patient, facilitator):
    from innovatorium.impact.privacy import erase_person

    services.weight_cast(measure=measure, actor=patient, weight=7)
    services.observation_record(measure=measure, actor=patient, period=months_back(1)[0], value=Decimal(3))
    erase_person(person=patient)
    measure.refresh_from_db()
    assert measure.proposed_by is None and measure.proposed_by_constituency.slug == "patients-public"
    assert Observation.objects.get().entered_by is None
    assert WeightVote.objects.get().weight == 7
