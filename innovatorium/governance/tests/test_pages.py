from __future__ import annotations

import pytest
from django.urls import reverse

from innovatorium.governance import services
from innovatorium.governance.models import BodyKind, ElectionBallot, ElectionVoter, MotionVote
from innovatorium.people.models import DeclarationOfInterest, InterestType

PERSONAS = ["anonymous", "patient", "industry_member", "facilitator", "other_admin"]

EXPECTED = {
    # persona: (public, staff, signed-in) - "signed-in" pages answer anyone with a profile (the page then says
    # plainly whether they may stand or vote)
    "anonymous": (200, 302, 302),
    "patient": (200, 403, 200),
    "industry_member": (200, 403, 200),
    "facilitator": (200, 200, 200),
    "other_admin": (200, 403, 200),
}


@pytest.fixture
def world(network, facilitator, board, election, patients, industry):
    panel = services.body_create(network=network, actor=facilitator, name="Panel", kind=BodyKind.PANEL,
                                 seats={"patients-public": 1})
    draw = services.draw_panel(body=panel, actor=facilitator, seed="seed")
    motion = services.motion_propose(body=board, actor=facilitator, title="M", text="t")
    return {"board": board, "election": election, "draw": draw, "motion": motion}


def _urls(world):
    n = world["board"].network.slug
    b = world["board"].slug
    e, d, m = world["election"].pk, world["draw"].pk, world["motion"].pk
    return {
        "index": (reverse("governance:index", args=[n]), "public"),
        "how": (reverse("governance:how_draws_work", args=[n]), "public"),
        "body": (reverse("governance:body", args=[n, b]), "public"),
        "election": (reverse("governance:election", args=[n, e]), "public"),
        "count": (reverse("governance:election_count", args=[n, e]), "public"),
        "draw": (reverse("governance:draw", args=[n, d]), "public"),
        "draw_json": (reverse("governance:draw_candidates", args=[n, d]), "public"),
        "motion": (reverse("governance:motion", args=[n, m]), "public"),
        "body_new": (reverse("governance:body_new", args=[n]), "staff"),
        "seats": (reverse("governance:body_seats", args=[n, b]), "staff"),
        "appoint": (reverse("governance:body_appoint", args=[n, b]), "staff"),
        "election_new": (reverse("governance:election_new", args=[n, b]), "staff"),
        "election_manage": (reverse("governance:election_manage", args=[n, e]), "staff"),
        "draw_new": (reverse("governance:draw_new", args=[n, world["draw"].body.slug]), "staff"),
        "minutes": (reverse("governance:motion_minutes", args=[n, m]), "staff"),
        "nominate": (reverse("governance:nominate", args=[n, e]), "signed_in"),
        "vote": (reverse("governance:election_vote", args=[n, e]), "signed_in"),
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_permission_matrix(request, client, persona, world):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona).user)
    failures = []
    for name, (url, level) in _urls(world).items():
        expected = dict(zip(("public", "staff", "signed_in"), EXPECTED[persona], strict=True))[level]
        status = client.get(url).status_code
        if status != expected:
            failures.append(f"{name}: {status} != {expected}")
    assert failures == []


def test_proposing_a_motion_is_for_body_members_and_staff(client, seated_board, patients, facilitator):
    url = reverse("governance:motion_new", args=[seated_board.network.slug, seated_board.slug])
    client.force_login(patients[3].user)  # not on the board
    assert client.get(url).status_code == 403
    client.force_login(patients[0].user)  # on the board
    assert client.get(url).status_code == 200


def test_staff_posts_are_refused_to_members(client, seated_board, patients, election):
    client.force_login(patients[0].user)
    n = seated_board.network.slug
    assert client.post(reverse("governance:election_manage", args=[n, election.pk]),
                       {"action": "close"}).status_code == 403
    motion = services.motion_propose(body=seated_board, actor=None, title="M", text="t")
    assert client.post(reverse("governance:motion_close", args=[n, motion.pk])).status_code == 403
    motion.refresh_from_db()
    assert motion.status == "open"


def test_another_networks_admin_cannot_run_this_networks_election(client, election, other_admin, network):
    client.force_login(other_admin.user)
    response = client.post(reverse("governance:election_manage", args=[network.slug, election.pk]),
                           {"action": "open"})
    assert response.status_code == 403


def test_the_body_page_says_plainly_when_a_reserved_seat_is_empty(client, seated_board):
    page = client.get(seated_board.get_absolute_url()).content.decode()
    assert "1 empty seat" in page and "1 for NHS" in page


def test_pseudonymous_members_are_listed_by_pseudonym_only(client, seated_board, patients):
    patients[0].show_name_publicly = False
    patients[0].save()
    patients[1].show_name_publicly = True
    patients[1].save()
    page = client.get(seated_board.get_absolute_url()).content.decode()
    assert patients[0].display_name not in page and patients[0].pseudonym in page
    assert patients[1].display_name in page


def test_an_election_from_the_pages_nominate_vote_close_and_count(client, election, facilitator, patients):
    n = election.body.network.slug
    for p in patients[:3]:
        client.force_login(p.user)
        r = client.post(reverse("governance:nominate", args=[n, election.pk]), {"statement": "Patients first"})
        assert r.status_code == 302
    client.force_login(facilitator.user)
    assert client.post(reverse("governance:election_manage", args=[n, election.pk]),
                       {"action": "open"}).status_code == 302
    noms = list(election.contests.get(constituency__slug="patients-public").nominations.order_by("pk"))
    for voter in patients:
        client.force_login(voter.user)
        r = client.post(reverse("governance:election_vote", args=[n, election.pk]),
                        {f"rank-{noms[0].pk}": "1", f"rank-{noms[1].pk}": "2"})
        assert r.status_code == 302
    page = client.get(election.get_absolute_url()).content.decode()
    assert "You have voted" in page
    # a second ballot is refused plainly, and nothing is written
    r = client.post(reverse("governance:election_vote", args=[n, election.pk]), {f"rank-{noms[0].pk}": "1"})
    assert "already voted" in r.content.decode()
    assert ElectionBallot.objects.count() == 4 == ElectionVoter.objects.count()
    client.force_login(facilitator.user)
    r = client.post(reverse("governance:election_manage", args=[n, election.pk]), {"action": "close"})
    assert r.status_code == 302
    count = client.get(r.url).content.decode()
    assert 'data-stage="1"' in count and "Elected" in count


def test_a_ballot_with_repeated_numbers_shows_an_error_and_writes_nothing(client, election, facilitator, patients):
    a = services.nominate(election=election, actor=patients[0], statement="s")
    b = services.nominate(election=election, actor=patients[1], statement="s")
    services.election_open_voting(election=election, actor=facilitator)
    client.force_login(patients[2].user)
    r = client.post(reverse("governance:election_vote", args=[election.body.network.slug, election.pk]),
                    {f"rank-{a.pk}": "1", f"rank-{b.pk}": "1"})
    assert r.status_code == 200 and "same number" in r.content.decode()
    assert not ElectionVoter.objects.exists()


def test_a_member_who_must_recuse_is_told_and_cannot_vote(client, seated_board, network, industry, facilitator):
    DeclarationOfInterest.objects.create(person=industry[0], network=network, interest_type=InterestType.FINANCIAL,
                                         organisation_name="Acme Health Ltd", description="Shareholder")
    motion = services.motion_propose(body=seated_board, actor=facilitator, title="Buy from Acme", text="t",
                                     interests="Acme Health")
    client.force_login(industry[0].user)
    page = client.get(motion.get_absolute_url()).content.decode()
    assert "You must recuse" in page and 'name="option"' not in page
    r = client.post(reverse("governance:motion_vote", args=[network.slug, motion.pk]), {"option": "agree"})
    assert r.status_code == 403 and "must recuse" in r.content.decode()
    assert not MotionVote.objects.exists()


def test_hidden_results_stay_hidden_until_close(client, seated_board, patients, facilitator):
    motion = services.motion_propose(body=seated_board, actor=facilitator, title="Secret-ish", text="t",
                                     hide_results=True, quorum=1)
    services.motion_vote(motion=motion, actor=patients[0], option="disagree")
    page = client.get(motion.get_absolute_url()).content.decode()
    assert "hidden until the motion closes" in page and "Disagree</strong>" not in page
    assert client.get(f"/api/governance/motions/{motion.pk}").json()["votes"] is None
    services.motion_close(motion=motion, actor=facilitator)
    page = client.get(motion.get_absolute_url()).content.decode()
    assert "Disagree</strong>" in page


def test_a_block_without_a_reason_shows_on_the_field(client, seated_board, patients, facilitator):
    motion = services.motion_propose(body=seated_board, actor=facilitator, title="M", text="t")
    client.force_login(patients[0].user)
    r = client.post(reverse("governance:motion_vote", args=[seated_board.network.slug, motion.pk]),
                    {"option": "block"})
    assert r.status_code == 200 and "needs a reason" in r.content.decode()


def test_the_governance_pages_take_a_fixed_number_of_queries(
    client, seated_board, facilitator, patients, django_assert_max_num_queries,
):
    for i in range(6):
        m = services.motion_propose(body=seated_board, actor=facilitator, title=f"M{i}", text="t")
        services.motion_vote(motion=m, actor=patients[0], option="agree")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("governance:index", args=[seated_board.network.slug])).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(seated_board.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(m.get_absolute_url()).status_code == 200


def test_the_api_reads_bodies_elections_draws_and_motions(client, world):
    n = world["board"].network.slug
    bodies = client.get(f"/api/governance/networks/{n}/bodies").json()
    assert {b["slug"] for b in bodies} == {"board", "panel"}
    assert client.get(f"/api/governance/elections/{world['election'].pk}").json()["status"] == "nominations"
    assert client.get(f"/api/governance/draws/{world['draw'].pk}/rerun").json()["same"] is True
    assert client.get(f"/api/governance/motions/{world['motion'].pk}").json()["status"] == "open"


def test_api_votes_need_a_session_and_csrf_and_refuse_double_votes(client, seated_board, patients, facilitator):
    from django.test import Client

    motion = services.motion_propose(body=seated_board, actor=facilitator, title="M", text="t")
    url = f"/api/governance/motions/{motion.pk}/vote"
    assert client.post(url, {"option": "agree"}, content_type="application/json").status_code == 401
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(patients[0].user)
    assert strict.post(url, {"option": "agree"}, content_type="application/json").status_code == 403
    client.force_login(patients[0].user)
    assert client.post(url, {"option": "agree"}, content_type="application/json").status_code == 201
    r = client.post(url, {"option": "agree"}, content_type="application/json")
    assert r.status_code == 409 and "already voted" in r.json()["detail"]
    r = client.post(url.replace(str(motion.pk), str(motion.pk)), {"option": "block"},
                    content_type="application/json")
    assert MotionVote.objects.count() == 1


def test_rerun_sortition_command_reproduces_the_draw(world, capsys):
    from django.core.management import call_command

    call_command("rerun_sortition", str(world["draw"].pk))
    assert "same panel" in capsys.readouterr().out


def test_the_involvement_report_shows_seats_by_partner_group(client, seated_board, network):
    page = client.get(reverse("projects:what_we_do", args=[network.slug])).content.decode()
    assert 'data-body="board"' in page and "3 of 4 seats filled, 1 empty" in page


def test_hammering_the_vote_endpoint_is_rate_limited(client, seated_board, patients, facilitator):
    motion = services.motion_propose(body=seated_board, actor=facilitator, title="M", text="t")
    client.force_login(patients[0].user)
    url = f"/api/governance/motions/{motion.pk}/vote"
    statuses = [client.post(url, {"option": "agree"}, content_type="application/json").status_code
                for _ in range(11)]
    assert statuses[0] == 201 and set(statuses[1:10]) == {409} and statuses[10] == 429
    assert MotionVote.objects.count() == 1


def test_the_motions_api_lists_in_a_fixed_number_of_queries(
    client, seated_board, facilitator, patients, django_assert_max_num_queries,
):
    for i in range(8):
        m = services.motion_propose(body=seated_board, actor=facilitator, title=f"M{i}", text="t")
        services.motion_vote(motion=m, actor=patients[0], option="agree")
        services.motion_recuse(motion=m, actor=patients[1])
    with django_assert_max_num_queries(6):
        response = client.get(f"/api/governance/networks/{seated_board.network.slug}/motions")
    assert len(response.json()) == 8


def test_a_candidate_withdraws_and_stands_again(client, election, patients):
    nom = services.nominate(election=election, actor=patients[0], statement="First go")
    client.force_login(patients[0].user)
    n = election.body.network.slug
    assert client.post(reverse("governance:nomination_withdraw", args=[n, nom.pk])).status_code == 302
    nom.refresh_from_db()
    assert nom.withdrawn_at is not None
    assert "Stand for a Patients and public seat" in client.get(election.get_absolute_url()).content.decode()
    client.force_login(patients[1].user)  # someone else cannot withdraw it
    services.nominate(election=election, actor=patients[0], statement="Second go")
    assert client.post(reverse("governance:nomination_withdraw", args=[n, nom.pk])).status_code == 302
    nom.refresh_from_db()
    assert nom.withdrawn_at is None and nom.statement == "Second go"


def test_ballots_are_published_by_receipt_only_after_the_count(client, election, facilitator, patients):
    nom = services.nominate(election=election, actor=patients[0], statement="s")
    services.election_open_voting(election=election, actor=facilitator)
    receipt = services.ballot_cast(election=election, actor=patients[1], ranking=[nom.pk])
    url = reverse("governance:election_ballots", args=[election.body.network.slug, election.pk])
    assert client.get(url).status_code == 404
    services.election_close(election=election, actor=facilitator)
    data = client.get(url).json()
    [contest] = [c for c in data["contests"] if c["constituency"] == "patients-public"]
    assert contest["ballots"] == [{"receipt": receipt, "ranking": [nom.option_id]}]
    assert patients[1].pseudonym not in str(data) and str(patients[1].pk) not in {b["receipt"] for b in
                                                                                   contest["ballots"]}


def test_a_facilitator_appoints_to_an_empty_seat_and_a_member_stands_down(client, seated_board, facilitator, network):
    from innovatorium.factories import member

    nurse = member(network, "nhs").person
    client.force_login(facilitator.user)
    url = reverse("governance:body_appoint", args=[network.slug, seated_board.slug])
    assert nurse.public_name in client.get(url).content.decode()
    assert client.post(url, {"person": nurse.pk}).status_code == 302
    assert "empty seat" not in client.get(seated_board.get_absolute_url()).content.decode()
    client.force_login(nurse.user)
    r = client.post(reverse("governance:stand_down", args=[network.slug, seated_board.slug]))
    assert r.status_code == 302
    assert "1 empty seat" in client.get(seated_board.get_absolute_url()).content.decode()
