"""The county directory: areas, principals, units, local BUS groups and memberships.

Agreements, bodies and meetings build on these (issue: agreements and meetings).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bus_portal.roles import Role
from bus_portal.validity import ValidityQuerySet, validity_constraint


class ServiceType(models.TextChoices):
    SOCIAL_SERVICES = "social_services", _("Social services (IFO)")
    DISABILITY = "disability", _("Disability services (LSS/SoL)")
    PRESCHOOL = "preschool", _("Preschool")
    COMPULSORY_SCHOOL = "compulsory_school", _("Compulsory school")
    UPPER_SECONDARY = "upper_secondary", _("Upper secondary school")
    STUDENT_HEALTH = "student_health", _("Student health")
    BUP = "bup", _("BUP (child and adolescent psychiatry)")
    HABILITATION = "habilitation", _("Habilitation")
    BUMM = "bumm", _("BUMM (child and adolescent medicine)")
    BVC = "bvc", _("BVC (child health centre)")
    MVC = "mvc", _("MVC (maternity clinic)")
    PRIMARY_CARE = "primary_care", _("Primary care")
    DENTAL = "dental", _("Dental care")
    POLICE = "police", _("Police")
    CULTURE_LEISURE = "culture_leisure", _("Culture and leisure")
    USER_ORG = "user_org", _("User organisation")
    OTHER = "other", _("Other service")


EDUCATION_SERVICES = frozenset(
    {
        ServiceType.PRESCHOOL,
        ServiceType.COMPULSORY_SCHOOL,
        ServiceType.UPPER_SECONDARY,
        ServiceType.STUDENT_HEALTH,
    }
)

# DESIGN.md: a local group must have social services, education, BUP, habilitation and BUMM.
REQUIRED_REPRESENTATION: dict[str, frozenset[str]] = {
    "social_services": frozenset({ServiceType.SOCIAL_SERVICES}),
    "education": EDUCATION_SERVICES,
    "bup": frozenset({ServiceType.BUP}),
    "habilitation": frozenset({ServiceType.HABILITATION}),
    "bumm": frozenset({ServiceType.BUMM}),
}
REQUIRED_REPRESENTATION_LABELS = {
    "social_services": _("Social services"),
    "education": _("Preschool/school/student health"),
    "bup": _("BUP"),
    "habilitation": _("Habilitation"),
    "bumm": _("BUMM"),
}


class AreaQuerySet(ValidityQuerySet):
    """Areas existing on a date: ``valid_on()`` (city districts are merged and split over time)."""


class Area(models.Model):
    """A municipality or one of Stockholm's city districts, with the period it existed."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality")
        DISTRICT = "district", _("City district")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    code = models.CharField(
        _("code"), max_length=10, blank=True, help_text=_("Statistics Sweden municipality code")
    )
    municipality = models.ForeignKey(
        "self",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="districts",
        limit_choices_to={"kind": "municipality"},
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "valid_from"], name="area_unique_name_period"),
            validity_constraint("area_valid_period"),
        ]

    def __str__(self) -> str:
        return self.name


class Principal(models.Model):
    """A huvudman: municipality, city district, region, independent school provider or federation."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality")
        CITY_DISTRICT = "city_district", _("City district")
        REGION = "region", _("Region")
        SCHOOL_PROVIDER = "school_provider", _("Independent school provider")
        FEDERATION = "federation", _("Federation of municipalities")

    name = models.CharField(_("name"), max_length=150, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="principals",
    )
    org_number = models.CharField(_("organisation number"), max_length=11, blank=True)

    class Meta:
        verbose_name = _("principal")
        verbose_name_plural = _("principals")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """A verksamhet of a principal, with its service type."""

    principal = models.ForeignKey(
        Principal, verbose_name=_("principal"), on_delete=models.PROTECT, related_name="units"
    )
    name = models.CharField(_("name"), max_length=150)
    service_type = models.CharField(_("service type"), max_length=30, choices=ServiceType.choices)
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
    )
    email = models.EmailField(_("shared mailbox"), blank=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["principal__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["principal", "name"], name="unit_unique_name_per_principal"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.principal.name})"


class LocalGroupQuerySet(ValidityQuerySet):
    """Groups in force on a date (``valid_on()``): the county's groupings change over the years,
    and the follow-up of an earlier year is about the groups of that year."""

    def visible_to(self, user) -> LocalGroupQuerySet:
        """Everyone logged in to the county's portal may read the local groups."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self


class LocalGroup(models.Model):
    """A local BUS group, covering one or more areas (some are shared between municipalities)."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    areas = models.ManyToManyField(Area, verbose_name=_("areas"), related_name="local_groups")
    principals = models.ManyToManyField(
        Principal, verbose_name=_("principals"), related_name="local_groups", blank=True
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    valid_from = models.DateField(
        _("valid from"),
        null=True,
        blank=True,
        help_text=_("Empty for a group that has always existed in the portal's records."),
    )
    valid_to = models.DateField(
        _("valid to"), null=True, blank=True, help_text=_("Empty for a group still in force.")
    )

    objects = LocalGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("local BUS group")
        verbose_name_plural = _("local BUS groups")
        ordering = ["name"]
        constraints = [validity_constraint("localgroup_valid_period")]

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(ValidityQuerySet):
    """Memberships in force on a date: ``valid_on()``."""


class Membership(models.Model):
    """A user's role in a unit; steering and working-group roles also name the local group."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    local_group = models.ForeignKey(
        LocalGroup,
        verbose_name=_("local BUS group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    valid_from = models.DateField(_("from"), null=True, blank=True)
    valid_to = models.DateField(_("to"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("membership")
        ordering = ["user__username", "unit__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "role", "local_group"], name="membership_unique_role"
            ),
            validity_constraint("membership_valid_period"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.unit}"
