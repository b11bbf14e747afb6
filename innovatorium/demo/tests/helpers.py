from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from innovatorium.people.models import Membership

SMALL = 80  # the logins, every network's staff and a few ordinary members: enough to see every case, and fast


def load(**options: object) -> str:
    """Run `manage.py demo_data` at the small size and return what it printed."""
    out = StringIO()
    options.setdefault("people", SMALL)
    options.setdefault("no_content", True)  # other apps test their own demo content; one test here loads it all
    call_command("demo_data", verbosity=0, stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def snapshot() -> list[tuple]:
    """Everything that makes one load what it is: who joined where, as what, with which consent."""
    return list(
        Membership.objects.order_by("person__user__email", "network__slug").values_list(
            "person__user__email", "person__display_name", "person__pseudonym", "person__show_name_publicly",
            "network__slug", "constituency__kind", "role", "verification", "organisation__name",
        )
    )
