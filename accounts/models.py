import hashlib

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import NotificationKind, OrganisationKind, Role, WeightCategory


class Organisation(models.Model):
    """A partner organisation of the WSP: UWV, a municipality or a reintegration body (R-01)."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")

    def __str__(self):
        return self.name

    @property
    def is_uwv(self) -> bool:
        return self.kind == OrganisationKind.UWV


class StaffManager(UserManager):
    def get_queryset(self):
        return super().get_queryset().select_related("organisation")


class User(AbstractUser):
    """A staff member; belongs to exactly one partner organisation and has one role (R-01)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="staff", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.ADVISER)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    # the Monday overview of newly work-ready candidates is always on the page; by e-mail only when wanted.
    weekly_overview_email = models.BooleanField(_("weekly overview by e-mail"), default=False)
    daily_digest_email = models.BooleanField(_("daily worklist by e-mail"), default=False)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = StaffManager()
    REQUIRED_FIELDS = ["email", "organisation"]

    class Meta:
        ordering = ["first_name", "last_name", "username"]
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_manager(self) -> bool:
        return self.role in (Role.MANAGER, Role.ADMIN)

    @property
    def has_caseload(self) -> bool:
        """Advisers own employers; account managers acquire relations without a caseload."""
        return self.role == Role.ADVISER


class Sector(models.Model):
    """A sector of the sector approach: weight category, lead partner, focus flag (R-51)."""

    code = models.CharField(_("code"), max_length=16, unique=True, help_text=_("SBI section or group code"))
    name = models.CharField(_("name"), max_length=200)
    weight_category = models.PositiveSmallIntegerField(
        _("weight category"), choices=WeightCategory.choices, default=WeightCategory.MEDIUM
    )
    lead_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_sectors",
        verbose_name=_("lead partner"),
    )
    is_focus = models.BooleanField(_("focus sector"), default=False)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self):
        return self.name


class SectorTeam(models.Model):
    """The team of advisers that works a sector, led by the sector's lead partner (R-51)."""

    sector = models.OneToOneField(Sector, on_delete=models.CASCADE, related_name="team", verbose_name=_("sector"))
    name = models.CharField(_("name"), max_length=200)
    members = models.ManyToManyField(User, related_name="sector_teams", blank=True, verbose_name=_("members"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("sector team")
        verbose_name_plural = _("sector teams")

    def __str__(self):
        return self.name


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))


class ApiToken(models.Model):
    """An API key of a user (an adviser's integration) or of a partner organisation (data pulls).

    Only a SHA-256 hash of the key is stored; keys can expire and be revoked.
    """

    name = models.CharField(_("name"), max_length=100, blank=True)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8, help_text=_("first characters of the key, to recognise it"))
    user = models.ForeignKey(User, on_delete=models.CASCADE, null=True, blank=True, related_name="api_tokens")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="api_tokens"
    )
    read_only = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            # A token belongs to a user or to an organisation, never to both or neither.
            models.CheckConstraint(
                condition=Q(user__isnull=False, organisation__isnull=True)
                | Q(user__isnull=True, organisation__isnull=False),
                name="%(app_label)s_%(class)s_one_owner",
            ),
            # Organisation tokens are for data pulls: always read-only.
            models.CheckConstraint(
                condition=Q(organisation__isnull=True) | Q(read_only=True),
                name="%(app_label)s_%(class)s_organisation_read_only",
            ),
        ]

    def __str__(self):
        return f"{self.prefix}… ({self.user or self.organisation})"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A notice to a staff member: shown on their home page until read, and e-mailed when the sender asks.

    One per (user, kind, key): `key` names what it is about ("referral:55", "2026-W49"), so a job that runs twice, a
    retried task or two paths telling the same thing leave one notice and send at most one e-mail (`emailed_at`).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)
    key = models.CharField(max_length=120)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "key"], name="%(app_label)s_%(class)s_once_per_subject"),
        ]
        indexes = [
            models.Index(name="notification_unread", fields=["user", "-created_at"], condition=Q(read_at__isnull=True)),
        ]

    def __str__(self):
        return f"{self.user_id}: {self.title}"
