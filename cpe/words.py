"""The words of the transcript's reasons (``transcript.*``): why a member's status was
recomputed after a write here. Registered from ``CpeConfig.ready``; the credit rules'
own words are in ``cpe/credit/words.py``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from imaportal import reasons

MESSAGES = {
    "transcript.entry_approved": _("CPE entry “%(title)s” approved."),
    "transcript.attendance_posted": _("Attendance of “%(title)s” posted."),
}

reasons.register("transcript", MESSAGES)
