"""Settings parsing: defaults, every variable, and errors that name the variable and value."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from dotenv import dotenv_values

from bot import config
from bot.config import VARIABLES, ConfigError, Settings, load_settings, token_configured

ENV_EXAMPLE = Path(__file__).resolve().parents[1] / ".env.example"

TOKEN = "MTIzNDU2Nzg5.secret-token-value"


def test_empty_environment_gives_defaults():
    """An empty environment parses to the documented defaults."""
    assert load_settings({}) == Settings()


def test_defaults_are_the_documented_ones():
    """Default cooldowns, length cap and log level are those in .env.example."""
    settings = Settings()
    assert (settings.command_cooldown_rate, settings.command_cooldown_seconds) == (5, 30.0)
    assert (settings.free_text_cooldown_rate, settings.free_text_cooldown_seconds) == (3, 30.0)
    assert settings.max_question_length == 500
    assert settings.log_level == "INFO"


def test_every_variable_is_read():
    """Each documented variable lands in its own setting."""
    settings = load_settings(
        {
            "DISCORD_TOKEN": f"  {TOKEN}  ",
            "DEV_GUILD_ID": "111111111111111111",
            "FREE_TEXT_CHANNEL_IDS": "222222222222222222, 333333333333333333",
            "OWNER_IDS": "444444444444444444",
            "KNOWLEDGE_DIR": "/srv/kcbot/knowledge",
            "LOG_LEVEL": "debug",
            "MESSAGE_CONTENT_INTENT": "yes",
            "COMMAND_COOLDOWN_RATE": "2",
            "COMMAND_COOLDOWN_SECONDS": "10.5",
            "FREE_TEXT_COOLDOWN_RATE": "4",
            "FREE_TEXT_COOLDOWN_SECONDS": "60",
            "MAX_QUESTION_LENGTH": "300",
            "SHARD_COUNT": "4",
            "SHARD_IDS": "0,2",
        }
    )
    assert settings == Settings(
        token=TOKEN,
        dev_guild_id=111111111111111111,
        free_text_channel_ids=frozenset({222222222222222222, 333333333333333333}),
        owner_ids=frozenset({444444444444444444}),
        knowledge_dir="/srv/kcbot/knowledge",
        log_level="DEBUG",
        message_content_intent=True,
        command_cooldown_rate=2,
        command_cooldown_seconds=10.5,
        free_text_cooldown_rate=4,
        free_text_cooldown_seconds=60.0,
        max_question_length=300,
        shard_count=4,
        shard_ids=(0, 2),
    )


def test_env_example_documents_every_variable():
    """.env.example lists exactly the variables load_settings reads."""
    assert set(dotenv_values(ENV_EXAMPLE)) == set(VARIABLES)


def test_env_example_values_are_the_defaults():
    """The values shown in .env.example parse to the defaults."""
    assert load_settings(dotenv_values(ENV_EXAMPLE)) == Settings()


def test_every_listed_variable_is_read():
    """Each name in VARIABLES changes the settings when given a valid value."""
    valid = {
        "LOG_LEVEL": "DEBUG",
        "LOG_FORMAT": "json",
        "MESSAGE_CONTENT_INTENT": "true",
        "KNOWLEDGE_DIR": "/kb",
        "KNOWLEDGE_MAX_FILE_BYTES": "4096",
        "KNOWLEDGE_MAX_VALUES": "500",
        "KNOWLEDGE_MAX_DEPTH": "8",
        "ENGINE_CACHE_DIR": "off",
        "DATABASE_URL": "postgresql://kcbot@db/kcbot",
        "QUESTION_LOG": "false",
        "QUESTION_LOG_TEXT": "false",
        "FEEDBACK_SECRET": "0123456789abcdef0123",
        "METRICS_HOST": "0.0.0.0",
    }
    for name in VARIABLES:
        value = valid.get(name, "1")
        environ = {name: value, "SHARD_COUNT": "2"} if name == "SHARD_IDS" else {name: value}
        baseline = load_settings({"SHARD_COUNT": "2"} if name == "SHARD_IDS" else {})
        assert load_settings(environ) != baseline, name


def test_token_is_hidden_from_repr():
    """Neither repr() nor str() of the settings shows the token."""
    settings = load_settings({"DISCORD_TOKEN": TOKEN})
    assert settings.token == TOKEN
    assert TOKEN not in repr(settings)
    assert TOKEN not in str(settings)


def test_blank_token_is_no_token():
    """A whitespace-only token counts as unset."""
    assert load_settings({"DISCORD_TOKEN": "   "}).token is None


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DEV_GUILD_ID", "my-guild"),
        ("FREE_TEXT_CHANNEL_IDS", "123456789012345678,general"),
        ("OWNER_IDS", "12.5"),
        ("COMMAND_COOLDOWN_RATE", "five"),
        ("COMMAND_COOLDOWN_SECONDS", "soon"),
        ("FREE_TEXT_COOLDOWN_RATE", "0"),
        ("FREE_TEXT_COOLDOWN_SECONDS", "-3"),
        ("MAX_QUESTION_LENGTH", "0"),
        ("MAX_QUESTION_LENGTH", "99999"),
        ("SHARD_COUNT", "zero"),
        ("LOG_LEVEL", "chatty"),
        ("LOG_FORMAT", "logfmt"),
        ("MESSAGE_CONTENT_INTENT", "maybe"),
        ("COMMAND_COOLDOWN_SECONDS", "nan"),
        ("KNOWLEDGE_MAX_FILE_BYTES", "1MB"),
        ("KNOWLEDGE_MAX_FILE_BYTES", "10"),
        ("KNOWLEDGE_MAX_VALUES", "-1"),
        ("KNOWLEDGE_MAX_DEPTH", "1000"),
        ("RELOAD_TIMEOUT_SECONDS", "0"),
        ("CONNECT_RETRY_MAX_SECONDS", "forever"),
    ],
)
def test_bad_value_error_names_variable_and_value(variable, value):
    """A bad value raises ConfigError naming both the variable and the offending text."""
    with pytest.raises(ConfigError) as caught:
        load_settings({variable: value})
    message = str(caught.value)
    assert variable in message
    bad_part = "general" if variable == "FREE_TEXT_CHANNEL_IDS" else value
    assert bad_part.upper() in message.upper()


def test_shard_ids_need_shard_count():
    """SHARD_IDS without SHARD_COUNT is refused, naming both."""
    with pytest.raises(ConfigError, match=r"SHARD_IDS.*SHARD_COUNT"):
        load_settings({"SHARD_IDS": "0"})


def test_shard_ids_must_be_below_count():
    """A shard id not below SHARD_COUNT is refused."""
    with pytest.raises(ConfigError, match="SHARD_IDS"):
        load_settings({"SHARD_COUNT": "2", "SHARD_IDS": "0,2"})


def test_id_lists_ignore_blanks_and_spaces():
    """Empty items and spaces in an id list are ignored."""
    settings = load_settings({"OWNER_IDS": " 444444444444444444 ,, 555555555555555555 ,"})
    assert settings.owner_ids == {444444444444444444, 555555555555555555}


def test_message_content_wanted_for_free_text_channels():
    """Listing free-text channels requests the Message Content intent."""
    assert load_settings({"FREE_TEXT_CHANNEL_IDS": "222222222222222222"}).wants_message_content


def test_message_content_not_wanted_by_default():
    """Mentions and DMs need no privileged intent, so none is requested by default."""
    assert not load_settings({}).wants_message_content


def test_message_content_can_be_forced():
    """MESSAGE_CONTENT_INTENT=true requests the intent without any channel."""
    assert load_settings({"MESSAGE_CONTENT_INTENT": "true"}).wants_message_content


def test_token_configured_reads_the_mapping():
    """token_configured is true only for a non-blank DISCORD_TOKEN."""
    assert token_configured({"DISCORD_TOKEN": TOKEN})
    assert not token_configured({"DISCORD_TOKEN": " "})
    assert not token_configured({})


@pytest.fixture
def dotenv_dir(monkeypatch, tmp_path):
    """A working directory with a .env file, and a fresh load_dotenv_once latch."""
    monkeypatch.setattr(config, "_dotenv_loaded", [])
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    monkeypatch.setenv("KCBOT_TEST_ONLY", "placeholder")
    monkeypatch.delenv("KCBOT_TEST_ONLY")  # restored (removed) after the test
    (tmp_path / ".env").write_text("KCBOT_TEST_ONLY=from-dotenv\nLOG_LEVEL=DEBUG\n")
    return tmp_path


def test_dotenv_fills_unset_variables(dotenv_dir):
    """load_dotenv_once sets variables from ./.env that the environment lacks."""
    assert config.load_dotenv_once() == dotenv_dir / ".env"
    assert os.environ["KCBOT_TEST_ONLY"] == "from-dotenv"


def test_dotenv_never_overrides_the_environment(dotenv_dir):
    """A variable already in the environment wins over .env."""
    config.load_dotenv_once()
    assert os.environ["LOG_LEVEL"] == "WARNING"


def test_dotenv_is_read_only_once(dotenv_dir):
    """A second call does not read .env again."""
    config.load_dotenv_once()
    (dotenv_dir / ".env").write_text("KCBOT_TEST_ONLY=changed\n")
    os.environ.pop("KCBOT_TEST_ONLY")
    config.load_dotenv_once()
    assert "KCBOT_TEST_ONLY" not in os.environ


# --- the question log's settings ----------------------------------------------------------


def test_storage_defaults_keep_the_documented_log():
    """By default: a log with texts of unanswered questions, no guild ids, 30 days."""
    storage = load_settings({}).storage
    assert (storage.question_log, storage.keep_question_text, storage.keep_guild_id) == (
        True,
        True,
        False,
    )
    assert storage.retention_days == 30
    assert storage.retry_seconds == 60
    assert load_settings({"QUESTION_LOG_RETRY_SECONDS": "0"}).storage.retry_seconds == 0
    assert load_settings({}).metrics_port is None
    assert load_settings({}).metrics_host == "127.0.0.1"


@pytest.mark.parametrize(
    ("variable", "value", "said"),
    [
        ("DATABASE_URL", "mysql://db/kcbot", "mysql"),
        ("DATABASE_URL", "kcbot.sqlite3", "kcbot.sqlite3"),
        ("DATABASE_URL", "sqlite://kcbot.sqlite3", "three slashes"),
        ("DATABASE_URL", "sqlite:///x.db?mode=fast", "fast"),
        ("FEEDBACK_SECRET", "tooshort", "at least 16"),
        ("METRICS_PORT", "70000", "70000"),
        ("QUESTION_LOG_RETENTION_DAYS", "0", "0"),
        ("QUESTION_LOG_RETRY_SECONDS", "601", "from 0 to 600"),
        ("QUESTION_LOG_RETRY_SECONDS", "a minute", "a minute"),
        ("QUESTION_LOG", "sometimes", "sometimes"),
    ],
)
def test_bad_storage_settings_name_the_variable(variable, value, said):
    with pytest.raises(ConfigError) as caught:
        load_settings({variable: value})
    assert variable in str(caught.value)
    assert said in str(caught.value)


def test_secrets_and_passwords_stay_out_of_repr():
    settings = load_settings(
        {
            "DATABASE_URL": "postgresql://kcbot:hunter2-password@db/kcbot",
            "FEEDBACK_SECRET": "a-very-secret-feedback-key",
        }
    )
    assert "hunter2" not in repr(settings)
    assert "a-very-secret" not in repr(settings)


def test_the_database_is_a_file_in_the_data_directory_by_default(tmp_path):
    from bot.storage.paths import database_target

    target = database_target(load_settings({"DATA_DIR": str(tmp_path)}).storage, environ={})
    assert (target.kind, target.path) == ("sqlite", tmp_path / "kcbot.sqlite3")
    relative = load_settings({"DATA_DIR": str(tmp_path), "DATABASE_URL": "sqlite:///logs/q.db"})
    assert database_target(relative.storage, environ={}).path == tmp_path / "logs" / "q.db"
    absolute = load_settings({"DATABASE_URL": "sqlite:////srv/kcbot/q.db"})
    assert database_target(absolute.storage, environ={}).path == Path("/srv/kcbot/q.db")


def test_without_data_dir_systemd_state_then_the_user_data_dir(tmp_path):
    from bot.storage.paths import data_dir

    storage = load_settings({}).storage
    assert data_dir(storage, {"STATE_DIRECTORY": "/var/lib/kcbot"}) == Path("/var/lib/kcbot")
    assert data_dir(storage, {}).name == "kcbot"


def test_a_postgres_url_is_shown_without_its_password():
    from bot.storage.urls import parse_database_url

    target = parse_database_url("postgresql://kcbot:s3cret@db.internal:5433/log", Path("."))
    assert target.display == "postgresql://kcbot@db.internal:5433/log"
    assert "s3cret" not in repr(target)
