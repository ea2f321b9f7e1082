"""Throwaway servers for the fault tests: a Redis and a PostgreSQL of their own, on free
ports in temporary directories, that a test may stop and start at will (the shared servers
on 6379 and 5432 are never touched), and the portal itself as a real server process."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import requests

from imaportal.celery import app

T = TypeVar("T")
ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
PG_BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def wait_until(check: Callable[[], T], timeout: float, what: str, interval: float = 0.1) -> T:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def kill(process: subprocess.Popen[bytes]) -> None:
    """Stop a process this test started (SIGTERM, then SIGKILL)."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


class ThrowawayRedis:
    """``redis-server`` on a free port, no persistence; ``stop()`` and ``start()`` again."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    @staticmethod
    def available() -> bool:
        return Path(REDIS_SERVER).exists()

    def start(self) -> None:
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--loglevel", "warning"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        wait_until(lambda: answers(self.port), 10, f"redis-server on port {self.port}")

    def stop(self) -> None:
        if self.process is not None:
            kill(self.process)
            self.process = None
        wait_until(lambda: not answers(self.port), 10, "redis-server to stop")


@contextlib.contextmanager
def throwaway_redis() -> Iterator[ThrowawayRedis]:
    server = ThrowawayRedis()
    server.start()
    try:
        yield server
    finally:
        server.stop()


class ThrowawayPostgres:
    """A PostgreSQL cluster of its own (``initdb`` + ``pg_ctl``) in a temporary directory,
    run as the ``postgres`` user when the tests run as root (PostgreSQL refuses root)."""

    def __init__(self, directory: Path) -> None:
        self.dir = directory
        self.data = directory / "data"
        self.log = directory / "server.log"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/portal"

    @staticmethod
    def bin_dir() -> Path | None:
        for directory in PG_BIN_DIRS:
            if (directory / "pg_ctl").exists() and (directory / "initdb").exists():
                return directory
        found = shutil.which("pg_ctl")
        return Path(found).parent if found and shutil.which("initdb") else None

    def _run(self, *args: str) -> None:
        bin_dir = self.bin_dir()
        assert bin_dir is not None
        command = [str(bin_dir / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def init(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--no-sync")  # fmt: skip
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "portal")

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c full_page_writes=off -c synchronous_commit=off"
        )
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")


@contextlib.contextmanager
def throwaway_postgres() -> Iterator[ThrowawayPostgres]:
    directory = Path(tempfile.mkdtemp(prefix="imaportal-faults-pg-"))
    server = ThrowawayPostgres(directory)
    try:
        server.init()
        yield server
    finally:
        with contextlib.suppress(Exception):
            server.stop()
        shutil.rmtree(directory, ignore_errors=True)


def portal_env(**more: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1", **more)
    return env


def manage(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    """``manage.py`` with ``args``, started in the background: ``finish()`` waits for it."""
    return subprocess.Popen(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


def finish(process: subprocess.Popen[str], timeout: float = 180) -> str:
    output, _ = process.communicate(timeout=timeout)
    assert process.returncode == 0, output
    return output


@contextlib.contextmanager
def gunicorn(env: dict[str, str]) -> Iterator[str]:
    """The portal under gunicorn (one sync worker) on a free port; yields its base URL."""
    port = free_port()
    log = tempfile.TemporaryFile()  # noqa: SIM115 (closed when the server is stopped)
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "imaportal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1",
         "--timeout", "60", "--access-logfile", "-"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: answers(port) or process.poll() is not None, 60, "gunicorn")
        assert process.poll() is None, "gunicorn exited"
        # The first request imports every view; the sign-in page needs no database.
        requests.get(f"{base}/accounts/login/", timeout=60)
        yield base
    finally:
        kill(process)
        log.close()


@contextlib.contextmanager
def celery_publishing_to(url: str) -> Iterator[None]:
    """Celery in this process publishes to ``url`` (not eagerly) until the block ends."""
    conf = app.conf
    saved = conf.broker_url, conf.task_always_eager

    def fresh_pools() -> None:
        # The app keeps one connection pool for its first broker URL.
        app._after_fork()

    conf.broker_url, conf.task_always_eager = url, False
    fresh_pools()
    try:
        yield
    finally:
        conf.broker_url, conf.task_always_eager = saved
        fresh_pools()
