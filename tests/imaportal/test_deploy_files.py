"""docker-compose.yml, the Dockerfile, .dockerignore, ops/Caddyfile and the lock files
keep the properties production relies on (no Docker engine runs here: ``.ci/run`` also
validates the compose file with ``docker compose config``)."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]


def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return data


def locked_names(lock: str) -> set[str]:
    lines = (ROOT / lock).read_text().splitlines()
    return {m.group(1).lower() for li in lines if (m := re.match(r"^([A-Za-z0-9_.-]+)==", li))}


def test_a_tls_proxy_fronts_gunicorn_and_web_is_not_published():
    services = compose()["services"]
    proxy = services["proxy"]
    assert proxy["image"].startswith("caddy:")
    assert {"80:80", "443:443"} <= set(proxy["ports"])
    assert "./ops/Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]
    assert "ports" not in services["web"]
    caddyfile = (ROOT / "ops" / "Caddyfile").read_text()
    assert "{$SITE_ADDRESS}" in caddyfile and "reverse_proxy web:8000" in caddyfile
    assert services["web"]["environment"]["TRUSTED_PROXY_COUNT"].endswith(":-1}")


def test_web_worker_and_beat_wait_for_a_one_off_migrate_service():
    services = compose()["services"]
    migrate = services["migrate"]
    assert migrate["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert migrate["restart"] == "no"
    for name in ("web", "worker", "beat"):
        depends = services[name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully", name
        assert "migrate" not in " ".join(map(str, services[name]["command"])), name


def test_worker_and_beat_have_healthchecks():
    services = compose()["services"]
    worker = services["worker"]["healthcheck"]["test"]
    assert "inspect ping -d celery@$$HOSTNAME" in " ".join(worker)
    beat = services["beat"]
    assert "imaportal.beat:HeartbeatScheduler" in beat["command"]
    assert "/tmp/celerybeat-heartbeat" in " ".join(beat["healthcheck"]["test"])  # noqa: S108
    assert "healthcheck" in services["web"]


def test_evidence_lives_on_a_named_volume_the_portal_user_owns():
    data = compose()
    assert "evidence" in data["volumes"]
    for name in ("web", "worker", "beat", "migrate"):
        service = data["services"][name]
        assert "evidence:/data/evidence" in service["volumes"], name
        assert service["environment"]["EVIDENCE_ROOT"] == "/data/evidence", name
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "chown -R portal:portal /data" in dockerfile
    assert dockerfile.index("chown -R portal:portal /data") < dockerfile.index("USER portal")
    assert re.search(r"^USER portal$", dockerfile, re.M)


def test_the_image_installs_runtime_dependencies_only():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install --no-cache-dir -r requirements.lock" in dockerfile
    instructions = [li for li in dockerfile.splitlines() if not li.startswith("#")]
    assert not any("requirements-dev.lock" in li for li in instructions)
    runtime = locked_names("requirements.lock")
    dev = locked_names("requirements-dev.lock")
    assert {"django", "gunicorn", "celery", "psycopg", "drf-spectacular-sidecar"} <= runtime
    for tool in ("playwright", "pgserver", "mypy", "pytest", "ruff", "schemathesis", "locust"):
        assert tool not in runtime, tool
        assert tool in dev, tool
    assert runtime <= dev
    dev_py = (ROOT / "dev.py").read_text()
    assert 'LOCK = ROOT / "requirements-dev.lock"' in dev_py


def test_dockerignore_keeps_secrets_and_local_data_out():
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".env", "private", ".venv", "db.sqlite3", ".pgdata", "tests", ".git"} <= ignored


def test_beat_scheduler_touches_its_heartbeat_on_every_tick(tmp_path, monkeypatch):
    from imaportal import beat
    from imaportal.celery import app

    heartbeat = tmp_path / "heartbeat"
    monkeypatch.setattr(beat, "HEARTBEAT", heartbeat)
    scheduler = beat.HeartbeatScheduler(app=app, schedule_filename=str(tmp_path / "schedule"))
    try:
        scheduler.tick()
        assert heartbeat.exists()
        os.utime(heartbeat, (0, 0))
        scheduler.tick()
        assert time.time() - heartbeat.stat().st_mtime < 60
    finally:
        scheduler.close()


def test_readme_stays_inside_the_repository_and_documents_serve_tls_and_evidence():
    readme = (ROOT / "README.md").read_text()
    links = re.findall(r"\]\(([^)]+)\)", readme)
    assert all(not re.match(r"[a-z]+://", link) and not link.startswith("..") for link in links)
    assert "../shared" not in readme and "https://" not in readme
    assert (ROOT / "docs" / "rules.md").exists() and "docs/rules.md" in readme
    assert "python3 dev.py serve 0.0.0.0:8080" in readme  # the address argument
    assert "Caddy" in readme and "ops/Caddyfile" in readme  # the TLS proxy
    assert "/data/evidence" in readme and "EVIDENCE_ROOT" in readme  # where evidence lives
