"""django-allauth hooks: every new sign-in gets its Person profile in the same transaction."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse

from innovatorium.people import services
from innovatorium.people.models import Person


class AccountAdapter(DefaultAccountAdapter):
    @transaction.atomic
    def save_user(self, request, user, form, commit=True):  # noqa: ANN001, ANN201 - allauth's signature
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            services.person_create(user=user, display_name=form.cleaned_data.get("display_name", ""))
        return user

    def login(self, request: HttpRequest, user) -> None:  # noqa: ANN001 - allauth's signature
        # Accounts made outside sign-up (`createsuperuser`, the shell) get their profile on first sign-in, so
        # "My account" and joining a network work for them too.
        if not Person.objects.filter(user=user).exists():
            services.person_create(user=user)
        super().login(request, user)

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        """After creating an account, people go home to choose a network (unless `next` says where).

        A `next` from a network's Join link is honoured by allauth before this is asked, so the journey
        home → network → create an account → join carries on where it started.
        """
        return reverse("core:home")
