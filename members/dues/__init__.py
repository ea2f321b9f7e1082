"""Dues (SPEC section 5): the pure rule (``rules``), the reads shaped for the pages
(``selectors``), the member's and staff pages (``views``, ``urls``, namespace ``dues``) and the
admin of payments (``admin``). Payments are recorded only through
``members.services.record_dues_payment``; the REST API is ``members.api.dues``."""

from members.dues.rules import DuesOutlook, dues_outlook

__all__ = ["DuesOutlook", "dues_outlook"]
