"""The words of the refund rule (``refunds.policy``): one gettext message per ``refund.*``
reason code, with named placeholders for the policy numbers, dates and amounts the rule
used. Registered with ``imaportal.reasons`` when the app is ready (``RefundsConfig``), so a
page, the API, an email or the admin renders a stored reason in the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from imaportal import reasons

MESSAGES = {
    # A number of days inside a sentence (the window, the notice, the days that passed).
    "refund.days": ngettext_lazy("%(n)s day", "%(n)s days", "n"),
    "refund.eligible": _(
        "Eligible: a refund of %(refund)s (the price of %(price)s less the %(percent)s %% "
        "processing fee of %(fee)s)."
    ),
    "refund.final_test_taken": _(
        "Not eligible: the final test has been taken, and a course is refunded only before "
        "its final test."
    ),
    "refund.window_expired": _(
        "Not eligible: the request comes %(days)s after the purchase on %(purchased_on)s; "
        "refunds are given within %(window)s of purchase."
    ),
    "refund.no_show": _(
        "Not eligible: the event started on %(starts_on)s and the member did not attend; "
        "refunds are not given for no-shows."
    ),
    "refund.conference_policy": _(
        "Not eligible under this conference's policy: cancellations must reach IMA at least "
        "%(deadline)s before it starts on %(starts_on)s."
    ),
    "refund.too_late_before": _(
        "Not eligible: the request comes only %(days)s before the event on %(starts_on)s; "
        "cancellations must reach IMA at least %(notice)s before the event."
    ),
    "refund.too_late_after": _(
        "Not eligible: the request comes after the event started on %(starts_on)s; "
        "cancellations must reach IMA at least %(notice)s before the event."
    ),
    # Why staff may not approve a request as asked (refunds.policy.approval_errors).
    "refund.approve_no_show": _(
        "Refunds are not given for no-shows, and no special circumstances apply to them. "
        "Deny the request instead."
    ),
    "refund.approve_needs_amount": _(
        "The policy refunds nothing here (%(why)s). To grant special circumstances, enter "
        "the amount to refund and the reason."
    ),
    "refund.approve_amount_not_positive": _("Enter an amount above 0; to refund nothing, deny."),
    "refund.approve_above_price": _("The refund cannot exceed the price paid, %(price)s."),
    "refund.approve_needs_reason": _("Special circumstances need a reason; the member sees it."),
    "refund.text_too_long": _("Keep it under %(n)s characters."),
}

reasons.register("refund", MESSAGES)
