from django.urls import path

from cpe.api import status_views

urlpatterns = [
    path(
        "members/<int:member_id>/status/",
        status_views.MemberStatusView.as_view(),
        name="api-member-status",
    ),
    path(
        "members/<int:member_id>/status/history/",
        status_views.MemberStatusHistoryView.as_view(),
        name="api-member-status-history",
    ),
]
