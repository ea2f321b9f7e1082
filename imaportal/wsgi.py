"""WSGI entry point (gunicorn imaportal.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imaportal.settings.production")

application = get_wsgi_application()

# After Django is set up: no lazy, thread-unsafe resolution on the first schema requests.
from imaportal.schema import load_schema_extensions  # noqa: E402

load_schema_extensions()
