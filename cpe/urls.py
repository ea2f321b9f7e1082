from django.urls import path

from cpe.views import certificate, corrections, exports, member, staff

app_name = "cpe"
urlpatterns = [
    path("transcript/", member.transcript, name="transcript"),
    path("transcript/add/", member.entry_add, name="entry_add"),
    path(
        "transcript/add/from-certificate/",
        certificate.entry_from_certificate,
        name="entry_from_certificate",
    ),
    path("transcript/preview/", member.entry_preview, name="entry_preview"),
    path("transcript/<int:entry_id>/", member.entry_detail, name="entry_detail"),
    path("transcript/<int:entry_id>/edit/", member.entry_edit, name="entry_edit"),
    path("transcript/<int:entry_id>/withdraw/", member.entry_withdraw, name="entry_withdraw"),
    path("transcript/<int:entry_id>/evidence/", member.entry_evidence, name="entry_evidence"),
    path(
        "transcript/<int:entry_id>/resubmit/",
        corrections.entry_resubmit,
        name="entry_resubmit",
    ),
    path(
        "transcript/<int:entry_id>/evidence/add/",
        corrections.entry_add_evidence,
        name="entry_add_evidence",
    ),
    path("transcript/export.csv", exports.transcript_csv, name="transcript_csv"),
    path("offerings/", member.offerings, name="offerings"),
    path("offerings/<int:offering_id>/enroll/", member.offering_enroll, name="offering_enroll"),
    path("staff/review/", staff.review_queue, name="review_queue"),
    path("staff/review/<int:entry_id>/", staff.review_entry, name="review_entry"),
    path(
        "staff/offerings/<int:offering_id>/attendance/",
        staff.attendance_import,
        name="attendance_import",
    ),
    path(
        "staff/transcripts/export.csv",
        exports.staff_transcripts_csv,
        name="staff_transcripts_csv",
    ),
]
