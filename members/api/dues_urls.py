from django.urls import URLPattern, URLResolver, path

from members.api import dues_views

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "members/<int:member_id>/dues/",
        dues_views.MemberDuesView.as_view(),
        name="api-member-dues",
    ),
]
