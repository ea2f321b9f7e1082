"""Dues pages (namespace ``dues``)."""

from django.urls import URLPattern, URLResolver, path

from members.dues import views as dues_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("dues/", dues_views.mine, name="mine"),
    path(
        "staff/members/<int:member_id>/dues/",
        dues_views.staff_member_dues,
        name="staff_member",
    ),
]
