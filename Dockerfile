# The portal's production image: gunicorn for web, the same image for the one-off migrate
# service, the Celery worker and beat. Runtime dependencies only (requirements.lock); the
# development tools (pytest, playwright, pgserver, mypy...) are in requirements-dev.lock.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=imaportal.settings.production \
    MEDIA_ROOT=/data/media \
    EVIDENCE_ROOT=/data/evidence

WORKDIR /app
RUN groupadd --system portal && useradd --system --gid portal --home /app portal

# WenQuanYi Micro Hei (Apache 2.0 or GPLv3 with the font exception): the PDF transcript
# draws Chinese names and titles in it (cpe/pdf/cjk.py), embedded as a subset.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-wqy-microhei \
    && rm -rf /var/lib/apt/lists/*

COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock

COPY . .
# The translations, compiled with Babel (a runtime dependency), so the image needs no gettext.
RUN pybabel --quiet compile --directory locale --domain django
# collectstatic needs settings, not secrets: a throwaway key, host and database URL for
# this step only (nothing connects to it).
RUN SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost \
    DATABASE_URL=postgres://build@localhost:5432/build \
    python manage.py collectstatic --noinput
# The evidence and media folders belong to the non-root user. A named volume mounted on an
# empty path of the image starts with that path's owner, so uploads are writable.
RUN mkdir -p /data/media /data/evidence && chown -R portal:portal /data
VOLUME ["/data/media", "/data/evidence"]

USER portal
EXPOSE 8000
CMD ["gunicorn", "imaportal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
