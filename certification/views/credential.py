"""My CMA credential as a file: the signed Open Badges 3.0 credential of the member's status
today (the same as ``GET /api/v1/members/{id}/credential/``), to put in a wallet."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from certification.services.credential import issue_credential
from imaportal.exceptions import Unavailable
from imaportal.web import member_required
from members.models import Member


@require_GET
@never_cache
@member_required
def credential_json(request: HttpRequest, member: Member) -> HttpResponse:
    try:
        signed = issue_credential(member)
    except Unavailable as exc:
        return HttpResponse(exc.message, status=503, content_type="text/plain; charset=utf-8")
    body = json.dumps(
        {"credential": signed.credential, "jwt": signed.jwt}, ensure_ascii=False, indent=2
    )
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"cma-credential-{member.member_number}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
