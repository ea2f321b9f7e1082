"""Reading an attendance file (a CSV of member numbers or emails) into members, before
``cpe.services.offerings.record_attendance`` posts their credit. Changes nothing."""

from __future__ import annotations

import csv
import io

from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from imaportal.exceptions import InvalidInput
from members.models import Member


def members_from_attendance_csv(text: str) -> list[Member]:
    """Read an attendance file: one member per row, by member number or email in the first
    column; a first row that is neither is taken as a header. Every row is checked first;
    bad rows are reported by line number."""
    rows: list[tuple[int, str]] = []
    try:
        for line_no, row in enumerate(csv.reader(io.StringIO(text.lstrip("\ufeff"))), start=1):
            cells = [c.strip() for c in row if c.strip()]
            if not cells:
                continue
            value = cells[0]
            if line_no == 1 and "@" not in value and not value.isdigit():
                continue  # a header row such as "member_number" or "Email address"
            rows.append((line_no, value))
    except csv.Error as exc:
        raise InvalidInput(
            {"file": [_("The file is not a readable CSV file: %(problem)s.") % {"problem": exc}]}
        ) from None
    if not rows:
        raise InvalidInput({"file": [_("The file lists no members.")]})
    numbers = {v for _, v in rows if "@" not in v}
    emails = {v.lower() for _, v in rows if "@" in v}
    found: dict[str, Member] = {}
    for m in Member.objects.select_related("user").filter(member_number__in=numbers):
        found[m.member_number] = m
    by_email = Member.objects.select_related("user").annotate(email_lower=Lower("user__email"))
    for m in by_email.filter(email_lower__in=emails):
        found[m.user.email.lower()] = m
    errors: list[str] = []
    members: list[Member] = []
    for line_no, value in rows:
        member = found.get(value.lower() if "@" in value else value)
        if member is None:
            errors.append(
                _("Line %(line)s: no member with number or email “%(value)s”.")
                % {"line": line_no, "value": value}
            )
        else:
            members.append(member)
    if errors:
        raise InvalidInput({"file": errors})
    return members
