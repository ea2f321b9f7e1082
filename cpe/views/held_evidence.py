"""The evidence file a member chose on Add Transcript (or its change and resubmit variants)
when the form came back with errors: held for the retry so it need not be chosen again.

It is checked like any evidence (PDF, PNG or JPEG, size limit), stored in the private
evidence storage under ``held/`` with a random name, and known only to the session that
chose it: the page carries a random token, the session maps the token to the file. It is
removed once the entry is saved with it, and any held file older than a day is removed
whenever another is held."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.http import HttpRequest
from django.utils import timezone

from cpe.evidence import EvidenceRefused, evidence_type
from cpe.models import evidence_storage

HELD_DIR = "held"
SESSION_KEY = "held_evidence"
MAX_AGE = dt.timedelta(days=1)


def _held(request: HttpRequest) -> dict[str, dict[str, str]]:
    value: Any = request.session.get(SESSION_KEY, {})
    return value if isinstance(value, dict) else {}


def hold(request: HttpRequest, upload: UploadedFile[bytes] | None) -> dict[str, str] | None:
    """Keep an acceptable ``upload`` for the retry: its token and name, or ``None``."""
    if upload is None:
        return None
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    try:
        content_type, _extension = evidence_type(
            head=head, size=upload.size or 0, max_bytes=settings.EVIDENCE_MAX_BYTES
        )
    except EvidenceRefused:
        return None  # the page says why; a refused file is not kept
    _sweep()
    token = secrets.token_urlsafe(24)
    path = evidence_storage().save(f"{HELD_DIR}/{secrets.token_hex(16)}", upload)
    name = (upload.name or "evidence")[-200:]
    request.session[SESSION_KEY] = {
        **_held(request),
        token: {"path": path, "name": name, "type": content_type},
    }
    return {"token": token, "name": name}


def lookup(request: HttpRequest, token: str) -> dict[str, str] | None:
    """The held file of ``token`` (this session's only), as ``{"token", "name"}``."""
    held = _held(request).get(token)
    if not token or held is None or not evidence_storage().exists(held["path"]):
        return None
    return {"token": token, "name": held["name"]}


def take(request: HttpRequest, token: str) -> UploadedFile[bytes] | None:
    """The held file of ``token`` as an upload the services take, or ``None``."""
    held = _held(request).get(token)
    if lookup(request, token) is None or held is None:
        return None
    with evidence_storage().open(held["path"], "rb") as stored:
        data = stored.read()
    return SimpleUploadedFile(held["name"], data, content_type=held["type"])


def release(request: HttpRequest, token: str) -> None:
    """Forget the held file of ``token`` and remove it (the entry has its own copy)."""
    held = _held(request)
    entry = held.pop(token, None)
    if entry is None:
        return
    evidence_storage().delete(entry["path"])
    request.session[SESSION_KEY] = held


def evidence_to_save(request: HttpRequest, form: Any) -> UploadedFile[bytes] | None:
    """The file the entry is saved with: one chosen now, else the one held for the retry."""
    chosen: UploadedFile[bytes] | None = form.cleaned_data.get("evidence")
    return chosen or take(request, request.POST.get("evidence_token", ""))


def for_retry(request: HttpRequest, form: Any) -> dict[str, str] | None:
    """After errors: hold the file chosen now (unless it is the problem), else keep the one
    already held; the page shows its name and carries its token."""
    token = request.POST.get("evidence_token", "")
    if "evidence" in form.errors:
        release(request, token)
        return None
    upload = request.FILES.get("evidence")
    if upload is None:
        return lookup(request, token)
    release(request, token)
    return hold(request, upload)


def _sweep() -> None:
    """Remove held files older than ``MAX_AGE`` (forms left with errors and never sent)."""
    storage = evidence_storage()
    try:
        _dirs, files = storage.listdir(HELD_DIR)
    except (FileNotFoundError, NotADirectoryError):
        return
    cutoff = timezone.now() - MAX_AGE
    for name in files:
        path = f"{HELD_DIR}/{name}"
        try:
            if storage.get_modified_time(path) < cutoff:
                storage.delete(path)
        except (FileNotFoundError, NotImplementedError):
            # Gone already (another sweep), or a storage backend that keeps no modification
            # times (Django raises NotImplementedError): nothing to judge, leave the file.
            continue
