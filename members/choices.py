"""The member's choice values, importable by the pure rule modules (no ORM)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificationStatus(models.TextChoices):
    """The status values of SPEC section 3, as the API spells them."""

    NOT_CERTIFIED = "not_certified", _("Not certified")
    GRACE = "grace", _("Grace period")
    ACTIVE = "active", _("Active")
    EXEMPT = "exempt", _("Exempt")
    RETIRED = "retired", _("Retired")
    INACTIVE_MAKEUP = "inactive_makeup", _("Inactive (make-up)")
    INACTIVE_LAPSED = "inactive_lapsed", _("Inactive (lapsed)")
    INACTIVE_DUES = "inactive_dues", _("Inactive (dues)")
