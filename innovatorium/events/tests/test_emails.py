"""Confirmation and promotion emails go out only after the transaction commits."""

from __future__ import annotations

from django.core import mail
from django.db import transaction

from innovatorium.events import services
from innovatorium.factories import member


def test_the_confirmation_email_waits_for_the_commit(event, patient, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.register(event=event, actor=patient)
        assert mail.outbox == []  # still inside the transaction
    assert callbacks and len(mail.outbox) == 1  # sent by a callback on commit, once
    assert mail.outbox[0].to == [patient.user.email]
    assert "Your place is confirmed" in mail.outbox[0].subject
    assert "Step-free access" in mail.outbox[0].body


def test_no_email_is_sent_when_the_transaction_rolls_back(event, patient, django_capture_on_commit_callbacks):
    class Undo(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                services.register(event=event, actor=patient)
                raise Undo
        except Undo:
            pass
    assert callbacks == [] and mail.outbox == []


def test_the_wait_list_email_and_the_promotion_email(event, network, django_capture_on_commit_callbacks):
    a, b, c = (member(network).person for _ in range(3))
    with django_capture_on_commit_callbacks(execute=True):
        first = services.register(event=event, actor=a)
        services.register(event=event, actor=b)
        services.register(event=event, actor=c)
    assert "wait list" in mail.outbox[-1].subject
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(registration=first, actor=a)
    assert [m.to for m in mail.outbox] == [[c.user.email]]
    assert "A place came free" in mail.outbox[0].subject
