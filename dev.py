#!/usr/bin/env python3
"""The developer entry point. Needs only Python 3.11+ on the machine.

    python3 dev.py serve [ADDRESS]  # venv + install + migrate + demo data + embedded
                                    # PostgreSQL (.pgdata/) + http://127.0.0.1:8000
    python3 dev.py test    # the whole test suite (extra arguments go to pytest)
    python3 dev.py lint    # ruff format --check, ruff check, mypy, bandit

Everything lands in ./.venv, installed from the development lock file
``requirements-dev.lock`` (the runtime-only ``requirements.lock`` is the Docker image's).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
LOCK = ROOT / "requirements-dev.lock"
STAMP = VENV / ".lock-sha256"


def run(*args: str | os.PathLike[str], env: dict[str, str] | None = None) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], cwd=ROOT, check=True, env=env)


def ensure_venv() -> None:
    """Create .venv and install the locked dependencies when the lock file changed."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py runs before the venv exists
        sys.exit("Python 3.11 or newer is needed.")
    if not PY.exists():
        print(f"Creating {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256(LOCK.read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == digest:
        return
    run(PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "uv")
    run(BIN / "uv", "pip", "install", "--quiet", "--python", PY, "-r", LOCK)
    STAMP.write_text(digest)


def compile_messages() -> None:
    """Compile the translations (locale/*/LC_MESSAGES/django.po -> .mo): with gettext's
    msgfmt where it is installed (``manage.py compilemessages``, as CI does), else with Babel's
    compiler from the venv, so a fresh machine needs no system package."""
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="imaportal.settings.test")
    if shutil.which("msgfmt"):
        run(
            PY,
            "manage.py",
            "compilemessages",
            "--ignore",
            ".venv",
            "--ignore",
            "node_modules",
            env=env,
        )
    else:
        run(BIN / "pybabel", "--quiet", "compile", "--directory", "locale", "--domain", "django")


def local_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "imaportal.settings.local")
    return env


def serve(args: list[str]) -> None:
    ensure_venv()
    env = local_env()
    compile_messages()
    run(PY, "manage.py", "migrate", "--noinput", env=env)
    run(PY, "manage.py", "load_demo_data", env=env)
    address = args[0] if args else "127.0.0.1:8000"
    print(f"\nThe portal is at http://{address}/ (Ctrl+C stops it)\n", flush=True)
    os.execve(PY, [str(PY), "manage.py", "runserver", address], env)


def test(args: list[str]) -> None:
    ensure_venv()
    compile_messages()
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "imaportal.settings.test"
    result = subprocess.run([str(PY), "-m", "pytest", *args], cwd=ROOT, env=env, check=False)
    if result.returncode == 5:
        print("pytest collected no tests: that is a failure.", file=sys.stderr)
    sys.exit(result.returncode)


def lint(args: list[str]) -> None:
    ensure_venv()
    run(BIN / "ruff", "format", "--check", ".")
    run(BIN / "ruff", "check", ".")
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="imaportal.settings.test")
    run(BIN / "mypy", ".", env=env)
    # Medium and high security findings (config: [tool.bandit] in pyproject.toml).
    run(
        BIN / "bandit",
        "-c",
        "pyproject.toml",
        "-r",
        "imaportal",
        "members",
        "cpe",
        "refunds",
        "-ll",
        "-q",
    )


COMMANDS = {"serve": serve, "test": test, "lint": lint}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(__doc__)
    try:
        COMMANDS[sys.argv[1]](sys.argv[2:])
    except subprocess.CalledProcessError as exc:
        sys.exit(exc.returncode)
