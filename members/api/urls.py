from django.urls import path

from members.api import dues, views

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="api-token"),
    path("me/", views.MeView.as_view(), name="api-me"),
    path("members/", views.MemberCreateView.as_view(), name="api-member-create"),
    path("members/<int:member_id>/", views.MemberDetailView.as_view(), name="api-member-detail"),
    path("members/<int:member_id>/dues/", dues.MemberDuesView.as_view(), name="api-member-dues"),
]
