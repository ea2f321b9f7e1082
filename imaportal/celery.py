"""Celery application. The broker is Redis from ``REDIS_URL``; without it tasks run eagerly."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imaportal.settings.local")

app = Celery("imaportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
