from django.urls import URLPattern, URLResolver, path

from refunds.api import views

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "enrollments/<int:enrollment_id>/refund-request/",
        views.RefundRequestView.as_view(),
        name="api-enrollment-refund-request",
    ),
    path("refunds/", views.RefundsView.as_view(), name="api-refunds"),
    path("refunds/<int:refund_id>/", views.RefundDetailView.as_view(), name="api-refund"),
    path(
        "refunds/<int:refund_id>/approve/",
        views.RefundApproveView.as_view(),
        name="api-refund-approve",
    ),
    path("refunds/<int:refund_id>/deny/", views.RefundDenyView.as_view(), name="api-refund-deny"),
    path(
        "refunds/<int:refund_id>/issue/", views.RefundIssueView.as_view(), name="api-refund-issue"
    ),
]
