"""The deployment files in deploy/: the systemd unit passes systemd-analyze, the Dockerfile and compose.yaml hold together."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"
SYSTEMD_ANALYZE = shutil.which("systemd-analyze") or ("/usr/bin/systemd-analyze" if Path("/usr/bin/systemd-analyze").exists() else None)
needs_systemd_analyze = pytest.mark.skipif(SYSTEMD_ANALYZE is None, reason="systemd-analyze is not installed (apt-get install systemd)")


def verify(unit: str, folder: Path) -> str:
    """What systemd-analyze verify says about a unit, ExecStart pointed at this Python (the unit's path is not installed here)."""
    runnable = re.sub(r"(?m)^ExecStart=\S+", f"ExecStart={sys.executable} -m bot.cli", unit)
    path = folder / "newsbrief.service"
    path.write_text(runnable)
    result = subprocess.run([SYSTEMD_ANALYZE, "verify", str(path)], capture_output=True, text=True, timeout=60)
    return (result.stdout + result.stderr).strip() + ("" if result.returncode == 0 else f"\n(exit {result.returncode})")


@needs_systemd_analyze
def test_the_systemd_unit_verifies_without_a_complaint(tmp_path):
    assert verify((DEPLOY / "newsbrief.service").read_text(), tmp_path) == ""


@needs_systemd_analyze
@pytest.mark.parametrize(
    ("broken", "complaint"),
    [
        (("Restart=on-failure", "Restart=sometimes"), "Failed to parse service restart specifier"),
        (("KillSignal=SIGTERM", "KillSignal=SIGNOPE"), "Failed to parse"),
        (("[Service]", "[Servce]"), "Unknown section 'Servce'"),
    ],
)
def test_the_check_fails_on_a_broken_unit(tmp_path, broken, complaint):
    unit = (DEPLOY / "newsbrief.service").read_text()
    assert broken[0] in unit
    assert complaint in verify(unit.replace(broken[0], broken[1]), tmp_path)


def test_the_unit_runs_the_bot_as_its_own_user_and_stops_it_with_sigterm():
    settings = dict(
        line.split("=", 1) for line in (DEPLOY / "newsbrief.service").read_text().splitlines() if "=" in line and not line.startswith("#")
    )
    assert settings["ExecStart"].endswith("/newsbrief run")
    assert (settings["User"], settings["Restart"], settings["KillSignal"]) == ("newsbrief", "on-failure", "SIGTERM")
    assert (settings["NoNewPrivileges"], settings["ProtectSystem"], settings["ReadWritePaths"]) == ("yes", "strict", "/var/lib/newsbrief")
    # The bot's own stop bound (STOP_TIMEOUT_SECONDS, 20 s by default) fits in systemd's.
    from bot.config import Settings

    assert Settings(_env_file=None).stop_timeout_seconds < int(settings["TimeoutStopSec"])


def test_the_dockerfile_copies_what_exists_and_runs_newsbrief_as_a_user():
    lines = [line.strip() for line in (DEPLOY / "Dockerfile").read_text().splitlines() if line.strip() and not line.startswith("#")]
    assert lines[0] == "FROM python:3.11-slim"
    root = DEPLOY.parent
    copied = [part for line in lines if line.startswith("COPY ") for part in line.split()[1:-1]]
    assert copied and all((root / part).exists() for part in copied), copied
    # Every package pyproject.toml installs is copied in.
    assert {"bot", "handlers", "summaries", "telegram_loopback", "pyproject.toml"} <= set(copied)
    assert "RUN pip install --no-cache-dir ." in lines
    assert [line for line in lines if line.startswith("USER ")] == ["USER newsbrief"]
    assert lines[-2:] == ['ENTRYPOINT ["newsbrief"]', 'CMD ["run"]']


def test_compose_runs_the_bot_on_a_healthy_postgresql_with_a_volume():
    yaml = pytest.importorskip("yaml", reason="PyYAML (the test extra) reads compose.yaml")
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    db, bot = compose["services"]["db"], compose["services"]["bot"]
    assert db["image"].startswith("postgres:")
    assert db["healthcheck"]["test"][0] == "CMD-SHELL" and "pg_isready" in db["healthcheck"]["test"][1]
    volume = db["volumes"][0].split(":")[0]
    assert volume in compose["volumes"]
    assert bot["depends_on"] == {"db": {"condition": "service_healthy"}}
    user, password, name = db["environment"]["POSTGRES_USER"], db["environment"]["POSTGRES_PASSWORD"], db["environment"]["POSTGRES_DB"]
    assert bot["environment"]["DATABASE_URL"] == f"postgresql+psycopg://{user}:{password}@db:5432/{name}"
    assert (DEPLOY / bot["build"]["context"] / bot["build"]["dockerfile"]).resolve() == DEPLOY / "Dockerfile"
