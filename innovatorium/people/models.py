"""People, their organisations and their memberships of networks."""

from __future__ import annotations

import re
import secrets

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from innovatorium.networks.models import Constituency, Network

# ODS codes are upper-case letters and digits, 3 to 6 characters (trust "RJ1", ICB "QHM", sub-ICB "15E",
# GP practice "A81001", site "RJ122"). Never all digits.
ODS_CODE_RE = re.compile(r"\A(?=.*[A-Z])[A-Z0-9]{3,6}\Z")  # \Z: "$" would let a trailing newline through


def validate_ods_code(value: str) -> None:
    if not ODS_CODE_RE.match(value or ""):
        raise ValidationError(
            "An ODS code is 3 to 6 capital letters and digits with at least one letter, like RJ1 or A81001.",
            code="invalid_ods_code",
        )


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A sign-in identity. Everything about the person lives on `Person`."""

    email = models.EmailField(unique=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="Can reach the Django admin.")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    def __str__(self) -> str:
        return self.email


def new_pseudonym() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I, so it can be read aloud
    return "Member " + "".join(secrets.choice(alphabet) for _ in range(8))


class Person(models.Model):
    """A person's profile. Personal data stays private unless the person consented."""

    user = models.OneToOneField(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="person")
    display_name = models.CharField(max_length=120, blank=True)
    show_name_publicly = models.BooleanField(
        default=False, help_text="Show my name on public pages. Otherwise a pseudonym is shown."
    )
    contact_consent = models.BooleanField(default=False, help_text="Facilitators may contact me about taking part.")
    access_needs = models.TextField(blank=True, help_text="Seen only by organisers of what you register for.")
    pseudonym = models.CharField(max_length=40, unique=True, default=new_pseudonym, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.public_name

    @property
    def public_name(self) -> str:
        """The name anyone may see: the display name only with consent, else the pseudonym."""
        if self.show_name_publicly and self.display_name and not self.erased_at:
            return self.display_name
        return self.pseudonym


class OrganisationType(models.TextChoices):
    NHS_TRUST = "nhs_trust", "NHS trust"
    ICB = "icb", "Integrated care board"
    GP_PRACTICE = "gp_practice", "GP practice"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    CARE_PROVIDER = "care_provider", "Care provider"
    UNIVERSITY = "university", "University"
    COMPANY = "company", "Company"
    VCSE = "vcse", "Voluntary, community or social enterprise"
    PATIENT_GROUP = "patient_group", "Patient group"
    OTHER = "other", "Other"


class Organisation(models.Model):
    name = models.CharField(max_length=200)
    type = models.CharField(max_length=20, choices=OrganisationType.choices)
    ods_code = models.CharField(
        "ODS code", max_length=6, unique=True, null=True, blank=True, validators=[validate_ods_code],
        help_text="NHS Organisation Data Service code, where it has one.",
    )
    network = models.ForeignKey(
        Network, on_delete=models.SET_NULL, null=True, blank=True, related_name="organisations"
    )
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.ods_code})" if self.ods_code else self.name


class Role(models.TextChoices):
    MEMBER = "member", "Member"
    FACILITATOR = "facilitator", "Facilitator"
    BOARD_MEMBER = "board_member", "Board member"
    ADMIN = "admin", "Network admin"


STAFF_ROLES = (Role.FACILITATOR, Role.ADMIN)


class Verification(models.TextChoices):
    NOT_REQUIRED = "not_required", "Not required"
    PENDING = "pending", "Waiting for verification"
    VERIFIED = "verified", "Verified"
    REJECTED = "rejected", "Not verified"


# Members who count in public figures: those whose declaration needs no check, or was checked.
COUNTED_VERIFICATION = (Verification.NOT_REQUIRED, Verification.VERIFIED)


class Membership(models.Model):
    """A person's membership of one network, with one declared constituency."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="memberships")
    constituency = models.ForeignKey(Constituency, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    verification = models.CharField(max_length=20, choices=Verification.choices, default=Verification.NOT_REQUIRED)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="memberships",
        help_text="The organisation that backs a declaration (e.g. the NHS trust someone works for).",
    )
    joined_at = models.DateTimeField(default=timezone.now)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="verifications_made"
    )
    verification_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["network_id", "joined_at"]
        constraints = [
            models.UniqueConstraint(fields=["person", "network"], name="membership_one_per_network"),
        ]
        indexes = [
            models.Index(fields=["network", "constituency", "verification"]),
            # the network page's named staff and board (a few rows among 40,000 members of a network)
            models.Index(fields=["network", "role"], name="people_memb_network_role"),
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.network_id} as {self.constituency_id}"

    @property
    def is_counted(self) -> bool:
        return self.verification in COUNTED_VERIFICATION

    @property
    def is_staff_role(self) -> bool:
        return self.role in STAFF_ROLES


class InterestType(models.TextChoices):
    FINANCIAL = "financial", "Financial interest"
    PROFESSIONAL = "professional", "Non-financial professional interest"
    PERSONAL = "personal", "Non-financial personal interest"
    INDIRECT = "indirect", "Indirect interest"


class DeclarationOfInterest(models.Model):
    """A public declaration, so that decisions can be seen to be free of conflicts."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="declarations")
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="declarations")
    interest_type = models.CharField(max_length=20, choices=InterestType.choices)
    organisation_name = models.CharField(max_length=200, blank=True)
    description = models.TextField()
    declared_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-declared_at"]

    def __str__(self) -> str:
        return f"{self.get_interest_type_display()}: {self.organisation_name or self.description[:40]}"
