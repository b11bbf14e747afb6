"""Documented demo logins, printed by `make run` and listed in the README."""

DEMO_PASSWORD = "innovatorium-demo"  # noqa: S105 - a published demo password for the demo data only
