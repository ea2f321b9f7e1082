"""The words of the members app's reasons (``member.*``): why a member's status was
recomputed after a write here. Registered from ``MembersConfig.ready``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from imaportal import reasons

MESSAGES = {
    "member.created": _("Member created."),
    "member.dues_recorded": _("Dues payment recorded (paid through %(paid_through)s)."),
    "member.changed_by_staff": _("Member record changed by staff."),
}

reasons.register("member", MESSAGES)
