"""Sign-in, failed sign-in and sign-out, heard from Django's auth signals (sent by allauth's views too)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from innovatorium.audit.models import EventKind
from innovatorium.audit.services import _person_of, record_event


def on_sign_in(sender: Any, request: Any, user: Any, **_: Any) -> None:
    record_event(kind=EventKind.SIGN_IN, request=request, person=_person_of(user))


def on_sign_out(sender: Any, request: Any, user: Any, **_: Any) -> None:
    record_event(kind=EventKind.SIGN_OUT, request=request, person=_person_of(user))


def on_sign_in_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **_: Any) -> None:
    # The address tried is looked up, never stored: the event points at the account's person when one exists.
    login = credentials.get("email") or credentials.get("login") or credentials.get("username") or ""
    person = None
    if isinstance(login, str) and login:
        user = get_user_model().objects.filter(email__iexact=login.strip()).select_related("person").first()
        person = getattr(user, "person", None) if user is not None else None
    record_event(kind=EventKind.SIGN_IN_FAILED, request=request, person=person, detail="wrong email or password")


def connect() -> None:
    user_logged_in.connect(on_sign_in, dispatch_uid="innovatorium.audit.sign_in")
    user_logged_out.connect(on_sign_out, dispatch_uid="innovatorium.audit.sign_out")
    user_login_failed.connect(on_sign_in_failed, dispatch_uid="innovatorium.audit.sign_in_failed")
