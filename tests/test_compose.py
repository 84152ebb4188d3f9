"""docker-compose.yml and the Dockerfile's health check, read as files (no Docker engine
runs here): two shards against one PostgreSQL, with settings the bot knows."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from bot.config import VARIABLES, load_settings
from bot.storage.urls import parse_database_url

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
INTERPOLATION = re.compile(r"\$\{(\w+):\?[^}]*\}")


def interpolated(value: str, values: dict[str, str]) -> str:
    """Compose's ${NAME:?message}, filled in (every use is required, none has a default)."""
    return INTERPOLATION.sub(lambda m: values[m.group(1)], value)


def bots() -> dict[str, dict]:
    return {name: s for name, s in COMPOSE["services"].items() if name.startswith("shard-")}


def test_two_bot_processes_one_shard_each():
    shards = bots()
    assert sorted(s["environment"]["SHARD_IDS"] for s in shards.values()) == ["0", "1"]
    assert {s["environment"]["SHARD_COUNT"] for s in shards.values()} == {"2"}


def test_bots_get_the_time_their_stop_takes():
    """Docker's 10 s before SIGKILL would cut the stop short (up to 5 s for the answers
    under way, then the question log's queue, bounded at 10 s)."""
    from bot.discord_app.stopping import STOP_GRACE_SECONDS
    from bot.storage.writer import DEFAULT_LIMITS

    needed = STOP_GRACE_SECONDS + DEFAULT_LIMITS.close_timeout
    for service in bots().values():
        assert int(service["stop_grace_period"].removesuffix("s")) >= needed


def test_bots_share_one_postgres_they_wait_for():
    db = COMPOSE["services"]["db"]
    assert db["image"].startswith("postgres:")
    assert "healthcheck" in db
    values = {"POSTGRES_PASSWORD": "pw", "FEEDBACK_SECRET": "x" * 32}
    for service in bots().values():
        assert service["depends_on"]["db"]["condition"] == "service_healthy"
        url = interpolated(service["environment"]["DATABASE_URL"], values)
        target = parse_database_url(url, ROOT)
        assert target.kind == "postgresql"
        assert target.display == (
            f"postgresql://{db['environment']['POSTGRES_USER']}@db:5432/"
            f"{db['environment']['POSTGRES_DB']}"
        )


def test_every_bot_setting_is_one_the_bot_reads_and_accepts():
    values = {"POSTGRES_PASSWORD": "pw", "FEEDBACK_SECRET": "x" * 32}
    for service in bots().values():
        environment = {k: interpolated(str(v), values) for k, v in service["environment"].items()}
        assert set(environment) <= set(VARIABLES)
        settings = load_settings(environment)
        assert settings.metrics_port == 8080
        assert settings.storage.feedback_secret == "x" * 32


def test_the_shared_secrets_are_required_not_defaulted():
    """Compose stops with a message unless .env sets them: both shards must share them."""
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    assert "${FEEDBACK_SECRET:?" in text
    assert "${POSTGRES_PASSWORD:?" in text


def test_the_image_checks_its_health():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r'^HEALTHCHECK .*CMD \["kcbot", "health"\]$', dockerfile, re.M)
    assert "METRICS_PORT=8080" in dockerfile
