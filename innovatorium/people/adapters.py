"""django-allauth hooks: every new sign-in gets its Person profile in the same transaction."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.db import transaction

from innovatorium.people import services


class AccountAdapter(DefaultAccountAdapter):
    @transaction.atomic
    def save_user(self, request, user, form, commit=True):  # noqa: ANN001, ANN201 - allauth's signature
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            services.person_create(user=user, display_name=form.cleaned_data.get("display_name", ""))
        return user
