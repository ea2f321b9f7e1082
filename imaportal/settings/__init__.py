"""Settings split by environment: ``base`` (shared, read from the environment), ``local``
(``manage.py``'s default: SQLite and eager Celery unless configured), ``production`` and
``test``."""
