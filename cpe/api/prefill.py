"""``POST /api/v1/members/{id}/activities/prefill/``: read a certificate, store nothing."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cpe.evidence import EvidenceRefused, evidence_type
from cpe.prefill import read_certificate, reading_message, text_of_pdf
from imaportal.exceptions import InvalidInput
from members.selectors import member_for


class PrefillInputSerializer(serializers.Serializer[Any]):
    """The certificate, and optionally the language that decides 05/06/2026 (en-US: May 6)."""

    evidence = serializers.FileField()
    language = serializers.CharField(max_length=20, required=False, allow_blank=True)


# The answer's schema, written out: a serializer cannot have a field named ``fields``.
PREFILL_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": (
        "What the certificate states: `fields` under the names `POST .../activities/` takes "
        "(only those read: activity_type, title, provider, completed_on, minutes or "
        "recommended_hours, ethics), `found` the words each was read from, and a `message` "
        "when nothing could be read."
    ),
    "properties": {
        "fields": {"type": "object", "additionalProperties": True},
        "found": {"type": "object", "additionalProperties": {"type": "string"}},
        "message": {"type": "string", "nullable": True},
    },
    "required": ["fields", "found", "message"],
}


def _pdf_bytes(upload: UploadedFile[bytes]) -> tuple[bytes | None, str]:
    """The PDF's bytes (None for an image), after the evidence upload's type and size rule."""
    head = upload.read(16)
    upload.seek(0)
    try:
        content_type, _extension = evidence_type(
            head=head, size=upload.size or 0, max_bytes=settings.EVIDENCE_MAX_BYTES
        )
    except EvidenceRefused as exc:
        raise InvalidInput({"evidence": [str(exc)]}) from None
    if content_type != "application/pdf":
        return None, content_type
    return upload.read(), content_type


class ActivityPrefillView(APIView):
    """Read the fields of Add Transcript from a certificate PDF's text layer; nothing is
    stored (the member checks the fields and submits them with the certificate)."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": PrefillInputSerializer}, responses={200: PREFILL_SCHEMA}
    )
    def post(self, request: Request, member_id: int) -> Response:
        member_for(user=request.user, member_id=member_id)
        data = PrefillInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        pdf, _content_type = _pdf_bytes(data.validated_data["evidence"])
        hint = data.validated_data.get("language") or get_language() or ""
        text = text_of_pdf(pdf) if pdf is not None else ""
        prefill = read_certificate(text, hint)
        message = reading_message(text, prefill)
        body = {"fields": prefill.fields, "found": prefill.found, "message": message}
        return Response(body)
