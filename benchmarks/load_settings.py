"""Settings of the load benchmark (``benchmarks/load.py``): production, served over plain
HTTP on the loopback interface.

Only what plain ``http://127.0.0.1`` needs is relaxed: no redirect to HTTPS, no HSTS, and
cookies not marked ``Secure`` (the load generator would not send them back over HTTP).
allauth's per-IP limit on sign-in attempts (``login``, 30 a minute by default) is raised,
because every simulated user signs in from 127.0.0.1 within a few seconds; the per-account
failed-login limit stays as configured. The Celery queue is the run's own, so a worker of
another run never takes its tasks. Never use this module for a real server.
"""

from imaportal.settings.base import ACCOUNT_RATE_LIMITS, env
from imaportal.settings.production import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

ACCOUNT_RATE_LIMITS = {
    **ACCOUNT_RATE_LIMITS,
    "login": env.str("LOAD_LOGIN_RATE", default="600/m/ip"),
}

CELERY_TASK_DEFAULT_QUEUE = env.str("LOAD_CELERY_QUEUE", default="celery")
