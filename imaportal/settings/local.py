"""``manage.py``'s default: everything from the environment, DEBUG on unless set, eager
Celery unless ``REDIS_URL`` is set, and an embedded PostgreSQL (the ``pgserver`` package)
when ``DATABASE_URL`` is unset. Its data persists in ``EMBEDDED_PG_DIR`` (default
``.pgdata/`` beside manage.py)."""

from pathlib import Path

import environ

from imaportal.settings.base import *  # noqa: F403
from imaportal.settings.base import BASE_DIR, DATABASE_URL, env
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
