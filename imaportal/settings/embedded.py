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
