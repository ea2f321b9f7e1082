"""``manage.py``'s default: everything from the environment, with embedded defaults that
need no services (SQLite file, in-process cache, eager Celery) and DEBUG on unless set."""

from imaportal.settings.base import *  # noqa: F403
from imaportal.settings.base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="insecure-local-development-key-change-me")
