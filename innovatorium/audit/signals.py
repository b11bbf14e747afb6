"""Sign-in, failed sign-in and sign-out, heard from Django's auth signals (sent by allauth's views too), and
wrong two-factor codes, heard from allauth's MFA signal.

A correct code needs no handler of its own: allauth completes the sign-in and Django's `user_logged_in` is
sent once, so a staff sign-in with a code is one "Signed in" event (allauth's `authenticator_used` is not
heard, or it would be two).
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.signals import authentication_failed as mfa_authentication_failed
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from innovatorium.audit.models import EventKind
from innovatorium.audit.services import _person_of, person_for_login, record_event

WRONG_CODE = "wrong authentication code"


def on_sign_in(sender: Any, request: Any, user: Any, **_: Any) -> None:
    record_event(kind=EventKind.SIGN_IN, request=request, person=_person_of(user))


def on_sign_out(sender: Any, request: Any, user: Any, **_: Any) -> None:
    record_event(kind=EventKind.SIGN_OUT, request=request, person=_person_of(user))


def on_sign_in_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **_: Any) -> None:
    # The address tried is looked up, never stored: the event points at the account's person when one exists.
    login = credentials.get("email") or credentials.get("login") or credentials.get("username") or ""
    person = person_for_login(login)
    record_event(kind=EventKind.SIGN_IN_FAILED, request=request, person=person, detail="wrong email or password")


def on_wrong_mfa_code(
    sender: Any, request: Any = None, user: Any = None, reauthentication: bool = False, **_: Any,
) -> None:
    # The right password was given (or the person is already signed in and re-confirming), then a wrong
    # authenticator-app or recovery code. The code itself is never stored.
    detail = f"{WRONG_CODE} when confirming it is them" if reauthentication else WRONG_CODE
    record_event(kind=EventKind.SIGN_IN_FAILED, request=request, person=_person_of(user), detail=detail)


def connect() -> None:
    user_logged_in.connect(on_sign_in, dispatch_uid="innovatorium.audit.sign_in")
    user_logged_out.connect(on_sign_out, dispatch_uid="innovatorium.audit.sign_out")
    user_login_failed.connect(on_sign_in_failed, dispatch_uid="innovatorium.audit.sign_in_failed")
    mfa_authentication_failed.connect(on_wrong_mfa_code, dispatch_uid="innovatorium.audit.wrong_mfa_code")
