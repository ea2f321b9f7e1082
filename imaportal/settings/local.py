"""``manage.py``'s default: everything from the environment, DEBUG on unless set, eager
Celery unless ``REDIS_URL`` is set, and an embedded PostgreSQL (the ``pgserver`` package)
when ``DATABASE_URL`` is unset. Its data persists in ``EMBEDDED_PG_DIR`` (default
``.pgdata/`` beside manage.py)."""

from pathlib import Path

import environ

from imaportal.settings.base import *  # noqa: F403
from imaportal.settings.base import BASE_DIR, DATABASE_URL, ISSUER_KEY_FILE, ISSUER_KEYS, env
from imaportal.settings.embedded import embedded_postgres_url

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="insecure-local-development-key-change-me")

if not DATABASE_URL:
    _datadir = Path(env.str("EMBEDDED_PG_DIR", default=str(BASE_DIR / ".pgdata")))
    DATABASES["default"] = {  # noqa: F405
        **environ.Env.db_url_config(embedded_postgres_url(_datadir)),
        "ATOMIC_REQUESTS": False,
        "CONN_HEALTH_CHECKS": True,
    }

# The credential issuer's key: generated once into .keys/ beside manage.py (never committed)
# unless IMAPORTAL_ISSUER_KEYS or IMAPORTAL_ISSUER_KEY_FILE name one.
if not ISSUER_KEYS and not ISSUER_KEY_FILE:
    ISSUER_KEY_FILE = str(BASE_DIR / ".keys" / "issuer-keys.json")
    ISSUER_KEY_GENERATE = True
