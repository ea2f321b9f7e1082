from django.urls import path

from cpe import status_views

urlpatterns = [
    path("status/", status_views.dashboard, name="dashboard"),
    path("staff/status/", status_views.staff_overview, name="staff_overview"),
]
