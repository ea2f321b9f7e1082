"""Pages of the certification app: the member's status and requests, and staff's overview
and request queues. Two namespaces, as the pages always had: ``status`` and ``requests``."""

from django.urls import URLPattern, URLResolver, path

from certification.views import credential, requests, status, transcript, verification

status_patterns: list[URLPattern | URLResolver] = [
    path("status/", status.dashboard, name="dashboard"),
    path("status/credential.json", credential.credential_json, name="credential"),
    path("staff/status/", status.staff_overview, name="staff_overview"),
    # The PDF transcript carries the status summary, so it is served here (same path as ever).
    path("transcript/export.pdf", transcript.transcript_pdf, name="transcript_pdf"),
    # Verification links: the public page (no sign-in) and the member's buttons on My status.
    path("v/<str:token>/", verification.public_page, name="verification"),
    path("status/verification-links/", verification.create, name="verification_create"),
    path(
        "status/verification-links/<int:link_id>/revoke/",
        verification.revoke,
        name="verification_revoke",
    ),
]

request_patterns: list[URLPattern | URLResolver] = [
    path("status/requests/", requests.mine, name="mine"),
    path("status/exemptions/new/", requests.exemption_new, name="exemption_new"),
    path(
        "status/exemptions/<int:exemption_id>/document/",
        requests.exemption_document,
        name="exemption_document",
    ),
    path("status/retirement/new/", requests.retirement_new, name="retirement_new"),
    path("staff/exemptions/", requests.staff_exemptions, name="staff_exemptions"),
    path(
        "staff/exemptions/<int:exemption_id>/",
        requests.decide_exemption,
        name="decide_exemption",
    ),
    path("staff/retirements/", requests.staff_retirements, name="staff_retirements"),
    path(
        "staff/retirements/<int:retirement_id>/",
        requests.decide_retirement,
        name="decide_retirement",
    ),
]
