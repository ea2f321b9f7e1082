"""The words of the status rule's reasons (``status.*``), registered with the reason kit.

Each message is a whole sentence with named parameters; the numbers that policy can change
(the annual hours, the hours that restore a lapsed member) arrive as parameters, so the
sentence shows the value that was in force for the year judged. Imported by
``CertificationConfig.ready()``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from imaportal import reasons

MESSAGES = {
    # Dues and retirement (they take precedence over the CPE state).
    "status.no_dues": _("No dues payment is on record: pay your dues to become active."),
    "status.dues_expired": _(
        "Dues were paid through %(date)s: pay the current dues to become active."
    ),
    "status.retired_since": _("Retired since %(date)s: no CPE requirement."),
    # Before the first reporting year.
    "status.not_certified": _("Not a CMA: no CPE requirement."),
    "status.not_yet_certified": _("Not yet certified on this date (%(date)s)."),
    "status.grace_period": _(
        "Grace period until %(until)s: no requirement yet. "
        "Hours earned now count toward %(first_year)s."
    ),
    # A lapsed member.
    "status.restored": _(
        "Restored: %(earned)s hours earned in %(year)s, at least %(required)s in one calendar year."
    ),
    "status.lapsed": _(
        "Lapsed: return to active by earning %(required)s hours within one calendar year; "
        "%(earned)s earned in %(year)s, %(needed)s to go."
    ),
    # An exempt year.
    "status.exempt": _("Exempt from the CPE requirement for %(year)s."),
    "status.exemption_clears_makeup": _("The exemption clears the make-up from last year."),
    # An active member's year.
    "status.more_hours": _(
        "%(needed)s more hours by %(deadline)s to stay active (%(available)s of %(required)s)."
    ),
    "status.more_hours_with_carry": _(
        "%(needed)s more hours by %(deadline)s to stay active (%(available)s of %(required)s, "
        "including %(carried_in)s carried in)."
    ),
    "status.ethics_needed": _("%(ethics_needed)s of them must be ethics hours."),
    "status.pending_review": _("%(hours)s hours are waiting for review."),
    "status.requirement_met": _("The %(year)s requirement of %(required)s hours is met."),
    "status.makeup_completed": _("Make-up completed: %(available)s of %(required)s hours."),
    # A make-up year not yet made up.
    "status.makeup_more_hours": _("%(needed)s more hours by %(deadline)s to return to active."),
    "status.makeup_more_ethics": _(
        "%(ethics_needed)s more ethics hours by %(deadline)s to return to active."
    ),
    "status.makeup_year_hours": _(
        "%(last_year)s ended short (%(shortfall)s hours): make-up year, %(required)s hours "
        "needed in %(year)s."
    ),
    "status.makeup_year_ethics": _(
        "%(last_year)s ended short (%(ethics_shortfall)s ethics hours): make-up year, "
        "%(required)s hours needed in %(year)s."
    ),
    "status.makeup_year_both": _(
        "%(last_year)s ended short (%(shortfall)s hours, %(ethics_shortfall)s ethics hours): "
        "make-up year, %(required)s hours needed in %(year)s."
    ),
    # Why a status was recomputed (the start of a recorded change's reason): the nightly
    # job, or an approved request (one sentence per exemption reason).
    "status.recomputed": _("Recomputed as of %(date)s."),
    "status.exemption_approved_military": _("Exemption for %(years)s approved (military service)."),
    "status.exemption_approved_illness": _(
        "Exemption for %(years)s approved (serious illness or disability)."
    ),
    "status.exemption_approved_hardship": _(
        "Exemption for %(years)s approved (severe personal financial hardship)."
    ),
    "status.retirement_approved": _("Retirement from %(date)s approved."),
}

reasons.register("status", MESSAGES)
