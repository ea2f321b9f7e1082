"""The IMA member portal project package: settings, URLs, Celery and the shared API plumbing."""

from imaportal.celery import app as celery_app

__all__ = ["celery_app"]
