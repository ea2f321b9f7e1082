from django.urls import path

from cpe.api import prefill, views

urlpatterns = [
    path(
        "members/<int:member_id>/activities/",
        views.MemberActivitiesView.as_view(),
        name="api-member-activities",
    ),
    path(
        "members/<int:member_id>/activities/prefill/",
        prefill.ActivityPrefillView.as_view(),
        name="api-member-activities-prefill",
    ),
    path("activities/<int:entry_id>/", views.ActivityDetailView.as_view(), name="api-activity"),
    path(
        "activities/<int:entry_id>/approve/",
        views.ActivityApproveView.as_view(),
        name="api-activity-approve",
    ),
    path(
        "activities/<int:entry_id>/reject/",
        views.ActivityRejectView.as_view(),
        name="api-activity-reject",
    ),
    path(
        "activities/<int:entry_id>/withdraw/",
        views.ActivityWithdrawView.as_view(),
        name="api-activity-withdraw",
    ),
    path(
        "activities/<int:entry_id>/resubmit/",
        views.ActivityResubmitView.as_view(),
        name="api-activity-resubmit",
    ),
    path(
        "activities/<int:entry_id>/evidence/",
        views.ActivityEvidenceView.as_view(),
        name="api-activity-evidence",
    ),
    path("offerings/", views.OfferingsView.as_view(), name="api-offerings"),
    path(
        "offerings/<int:offering_id>/enrollments/",
        views.OfferingEnrollmentsView.as_view(),
        name="api-offering-enrollments",
    ),
    path(
        "offerings/<int:offering_id>/attendance/",
        views.OfferingAttendanceView.as_view(),
        name="api-offering-attendance",
    ),
    path(
        "members/<int:member_id>/enrollments/",
        views.MemberEnrollmentsView.as_view(),
        name="api-member-enrollments",
    ),
    path(
        "enrollments/<int:enrollment_id>/",
        views.EnrollmentDetailView.as_view(),
        name="api-enrollment",
    ),
]
