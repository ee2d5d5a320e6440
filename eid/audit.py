from django.db import models
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    """Audit purposes of sign-in administration (``bus_portal.admin`` writes the code)."""

    SECOND_FACTOR_RESET = (
        "auth.second_factor.reset",
        _("Two-factor login reset by an administrator"),
    )
