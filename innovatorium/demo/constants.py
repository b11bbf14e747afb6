"""Documented demo logins, printed by `make run` and listed in the README."""

from __future__ import annotations

DEMO_PASSWORD = "innovatorium-demo"  # noqa: S105 - a published demo password for the demo data only
DEMO_DOMAIN = "demo.innovatorium.org"
DEMO_SEED = 2013  # the year the regional networks were licensed
DEMO_PEOPLE = 300
# The network the named demo logins belong to (its page, record and verification queue are the ones to try).
DEMO_NETWORK_SLUG = "eastern"
# The public-record action that marks a database as holding demo data (and makes loading it idempotent).
DEMO_MARKER_ACTION = "demo.data.loaded"

# (email, display name, what to try with it)
SUPERUSER_LOGIN = (f"superuser@{DEMO_DOMAIN}", "Sam Superuser", "site superuser: the Django admin at /admin/")
DEMO_LOGINS: list[tuple[str, str, str]] = [
    (f"patient@{DEMO_DOMAIN}", "Pat Patient", "patients & public member of Eastern and Wessex, pseudonymous"),
    (f"board@{DEMO_DOMAIN}", "Bola Adeyemi", "board member of Eastern (patients & public), named, declares interests"),
    (f"industry@{DEMO_DOMAIN}", "Ivan Industry", "verified industry member of Eastern, declares a financial interest"),
    (f"nhs@{DEMO_DOMAIN}", "Nia Nurse", "NHS member of Eastern waiting for a facilitator's verification"),
    (f"facilitator@{DEMO_DOMAIN}", "Farah Facilitator", "facilitator of Eastern: confirms waiting members"),
    (f"admin@{DEMO_DOMAIN}", "Adam Admin", "network admin of Eastern: changes roles, configures constituencies"),
    SUPERUSER_LOGIN,
]
