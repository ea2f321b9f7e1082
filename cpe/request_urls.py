"""Pages of exemption and retirement requests (namespace ``requests``)."""

from django.urls import URLPattern, URLResolver, path

from cpe import request_views as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("status/requests/", views.mine, name="mine"),
    path("status/exemptions/new/", views.exemption_new, name="exemption_new"),
    path(
        "status/exemptions/<int:exemption_id>/document/",
        views.exemption_document,
        name="exemption_document",
    ),
    path("status/retirement/new/", views.retirement_new, name="retirement_new"),
    path("staff/exemptions/", views.staff_exemptions, name="staff_exemptions"),
    path(
        "staff/exemptions/<int:exemption_id>/",
        views.decide_exemption,
        name="decide_exemption",
    ),
    path("staff/retirements/", views.staff_retirements, name="staff_retirements"),
    path(
        "staff/retirements/<int:retirement_id>/",
        views.decide_retirement,
        name="decide_retirement",
    ),
]
