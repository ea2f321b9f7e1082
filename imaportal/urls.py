"""Top-level URLs: pages, accounts (django-allauth), admin, API v1 and its schema."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from imaportal.health import healthz
from members import views as member_views

# The Django admin signs in through allauth, so staff two-factor applies there too.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = "IMA Member Portal administration"

api_v1: list[URLPattern | URLResolver] = [
    path("", include("members.api.urls")),
    path("", include("cpe.api.urls")),
    path("", include("cpe.api.status_urls")),
    path("", include("cpe.api.request_urls")),
    path("", include("members.api.dues_urls")),
    path("", include("refunds.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

handler404 = "imaportal.api.page_not_found"

urlpatterns = [
    path("", member_views.home, name="home"),
    path("", include("members.urls")),
    path("", include("cpe.urls")),
    path("", include(("cpe.status_urls", "status"))),
    path("", include(("cpe.request_urls", "requests"))),
    path("", include(("members.dues_urls", "dues"))),
    path("", include("refunds.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("healthz", healthz, name="healthz"),
]
