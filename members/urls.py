from django.urls import path

from members import language, views

app_name = "members"
urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("language/", language.set_language, name="set_language"),
]
