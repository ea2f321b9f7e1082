"""The cache (rate limits, used TOTP codes) keeps working while Redis is down.

``ResilientRedisCache`` is Django's ``RedisCache`` with short socket timeouts; when Redis
cannot be reached it logs a warning and serves the operation from a local-memory cache of
the same process instead of raising, and keeps doing so for ``RETRY_AFTER`` seconds before
it tries Redis again (so an outage costs one failed connection per process every few
seconds, not one per cache call).

The trade-off, accepted for an outage: while the fallback is in use the counters and the
used-code list are per process, not shared by every gunicorn worker. A sign-in rate limit
then counts per process (with N processes an attacker gets at most N times the attempts for
the length of the outage), and a TOTP code used in one process could be accepted once more
in another within its 30-second window. Nothing the fallback stored is copied back to
Redis: once Redis answers again its own counters apply.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

RETRY_AFTER = 5.0  # seconds without trying Redis after a failure
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


def redis_cache_settings(url: str) -> dict[str, Any]:
    """The ``CACHES["default"]`` entry for a Redis URL (short timeouts, local fallback)."""
    return {
        "BACKEND": "imaportal.cache.ResilientRedisCache",
        "LOCATION": url,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }


class _Outage:
    """Per process: when Redis failed last, shared by every thread's cache instance."""

    lock = threading.Lock()
    down_until = 0.0


class ResilientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        # LocMemCache keeps its data per name in module-level dicts: every thread's
        # instance of this backend shares the one fallback.
        self._fallback = LocMemCache(
            f"imaportal-redis-fallback-{server}",
            {"TIMEOUT": params.get("TIMEOUT", 300), "OPTIONS": {"MAX_ENTRIES": 10_000}},
        )

    def _run(self, name: str, *args: Any, **kwargs: Any) -> Any:
        if time.monotonic() >= _Outage.down_until:
            try:
                return getattr(super(), name)(*args, **kwargs)
            except UNREACHABLE as exc:
                with _Outage.lock:
                    first = time.monotonic() >= _Outage.down_until
                    _Outage.down_until = time.monotonic() + RETRY_AFTER
                if first:
                    logger.warning("Redis cache unreachable (%s); using the local fallback.", exc)
        return getattr(self._fallback, name)(*args, **kwargs)

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        return bool(self._run("add", key, value, timeout, version=version))

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._run("get", key, default, version=version)

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        self._run("set", key, value, timeout, version=version)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return bool(self._run("touch", key, timeout, version=version))

    def delete(self, key: Any, version: int | None = None) -> bool:
        return bool(self._run("delete", key, version=version))

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        result: dict[Any, Any] = self._run("get_many", keys, version=version)
        return result

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return bool(self._run("has_key", key, version=version))

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        return int(self._run("incr", key, delta, version=version))

    def set_many(
        self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[Any]:
        failed: list[Any] = self._run("set_many", data, timeout, version=version)
        return failed

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        self._run("delete_many", keys, version=version)

    def clear(self) -> None:
        self._run("clear")
