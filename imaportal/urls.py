"""Top-level URLs: pages, accounts (django-allauth), admin, API v1 and its schema."""

from allauth.account.decorators import secure_admin_login
from csp.decorators import csp_update
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from certification import urls as certification_urls
from imaportal.health import healthz
from imaportal.wellknown import jwks
from members import views as member_views

# The Django admin signs in through allauth, so staff two-factor applies there too.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = "IMA Member Portal administration"

# Swagger UI comes from the pinned drf-spectacular-sidecar package's static files (same
# origin, no CDN); the split view serves its start-up script as a file, so the page needs
# no inline script. Swagger UI 5 applies inline styles as it renders
# (swagger-api/swagger-ui#10655), so this page alone allows inline *style* (never script);
# it shows only our own schema. Every other page allows no inline style either.
api_docs = csp_update({"style-src": ["'unsafe-inline'"]})(
    SpectacularSwaggerSplitView.as_view(url_name="api-schema")
)

api_v1: list[URLPattern | URLResolver] = [
    path("", include("members.api.urls")),
    path("", include("cpe.api.urls")),
    path("", include("certification.api.urls")),
    path("", include("refunds.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", api_docs, name="api-docs"),
]

urlpatterns = [
    path("", member_views.home, name="home"),
    path("", include("members.urls")),
    path("", include("cpe.urls")),
    path("", include((certification_urls.status_patterns, "status"))),
    path("", include((certification_urls.request_patterns, "requests"))),
    path("", include(("members.dues.urls", "dues"))),
    path("", include("refunds.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("healthz", healthz, name="healthz"),
    path(".well-known/jwks.json", jwks, name="jwks"),
]

# Errors answer JSON under /api/ and the usual pages elsewhere (imaportal.errors).
handler400 = "imaportal.errors.bad_request"
handler403 = "imaportal.errors.permission_denied"
handler404 = "imaportal.errors.page_not_found"
handler500 = "imaportal.errors.server_error"
