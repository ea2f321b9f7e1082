"""The words of the transcript's reasons (``transcript.*``): why a member's status was
recomputed after a write here; and of an offering's refund terms (``offering.*``, from
``cpe.terms``), shown before the member confirms a purchase. Registered from
``CpeConfig.ready``; the credit rules' own words are in ``cpe/credit/words.py``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from imaportal import reasons

MESSAGES = {
    "transcript.entry_approved": _("CPE entry “%(title)s” approved."),
    "transcript.attendance_posted": _("Attendance of “%(title)s” posted."),
}

reasons.register("transcript", MESSAGES)

OFFERING_MESSAGES = {
    # A number of days inside a sentence (the window, the notice).
    "offering.days": ngettext_lazy("%(n)s day", "%(n)s days", "n"),
    "offering.terms_free": _(
        "Refund policy: this registration costs nothing, so there is nothing to refund."
    ),
    "offering.terms_self_paced": _(
        "Refund policy: you can ask for a refund within %(window)s of purchase (until "
        "%(last_day)s) and before you take the final test; the refund is the price less a "
        "%(percent)s %% processing fee."
    ),
    "offering.terms_live": _(
        "Refund policy: cancel at least %(notice)s before the event starts on %(starts_on)s "
        "(by %(last_day)s) for a refund of the price less a %(percent)s %% processing fee; "
        "there is no refund if you do not attend."
    ),
    "offering.terms_live_too_late": _(
        "Refund policy: cancellations must reach IMA at least %(notice)s before the event; "
        "it starts on %(starts_on)s, so if you enroll now, a cancellation is not refunded."
    ),
    "offering.terms_conference": _(
        "Refund policy of this conference: cancel at least %(notice)s before it starts on "
        "%(starts_on)s (by %(last_day)s) for a refund of the price less a %(percent)s %% "
        "processing fee; there is no refund if you do not attend."
    ),
    "offering.terms_conference_too_late": _(
        "Refund policy of this conference: cancellations must reach IMA at least %(notice)s "
        "before it starts on %(starts_on)s, so if you enroll now, a cancellation is not "
        "refunded."
    ),
}

reasons.register("offering", OFFERING_MESSAGES)
