from django.urls import path

from cpe import export_views, staff_views, views

app_name = "cpe"
urlpatterns = [
    path("transcript/", views.transcript, name="transcript"),
    path("transcript/add/", views.entry_add, name="entry_add"),
    path("transcript/preview/", views.entry_preview, name="entry_preview"),
    path("transcript/<int:entry_id>/", views.entry_detail, name="entry_detail"),
    path("transcript/<int:entry_id>/edit/", views.entry_edit, name="entry_edit"),
    path("transcript/<int:entry_id>/withdraw/", views.entry_withdraw, name="entry_withdraw"),
    path("transcript/<int:entry_id>/evidence/", views.entry_evidence, name="entry_evidence"),
    path("transcript/export.pdf", export_views.transcript_pdf, name="transcript_pdf"),
    path("transcript/export.csv", export_views.transcript_csv, name="transcript_csv"),
    path("offerings/", views.offerings, name="offerings"),
    path("offerings/<int:offering_id>/enroll/", views.offering_enroll, name="offering_enroll"),
    path("staff/review/", staff_views.review_queue, name="review_queue"),
    path("staff/review/<int:entry_id>/", staff_views.review_entry, name="review_entry"),
    path(
        "staff/offerings/<int:offering_id>/attendance/",
        staff_views.attendance_import,
        name="attendance_import",
    ),
    path(
        "staff/transcripts/export.csv",
        export_views.staff_transcripts_csv,
        name="staff_transcripts_csv",
    ),
]
