"""Production: DEBUG off, a real SECRET_KEY and ALLOWED_HOSTS are required, HTTPS only."""

from imaportal.settings.base import *  # noqa: F403
from imaportal.settings.base import env

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
# Links in emails: required (startup error without it), https (checked by check --deploy).
PORTAL_URL = env.str("PORTAL_URL")
# A real database is required: no embedded default in production.
DATABASES["default"] = {  # noqa: F405
    **env.db("DATABASE_URL"),
    "ATOMIC_REQUESTS": False,
    "CONN_HEALTH_CHECKS": True,
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
