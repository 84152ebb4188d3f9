"""Deployment files: a reproducible image that stops cleanly, locks in step with pyproject,
and a systemd unit that never gives up after an outage. (No Docker engine runs in CI: the
Dockerfile is checked by reading it.)"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

tomllib = pytest.importorskip("tomllib")  # Python 3.11+, as in CI

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")
UNIT = (ROOT / "deploy" / "kcbot.service").read_text(encoding="utf-8")
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def instructions(text: str) -> list[str]:
    """Dockerfile instructions with continuation lines joined, comments dropped."""
    joined = re.sub(r"\\\n", " ", text)
    return [line.strip() for line in joined.splitlines() if line.strip() and line[0] != "#"]


def lock(name: str) -> dict[str, tuple[str, int]]:
    """Package name to (pinned version, number of hashes) in requirements/NAME.lock."""
    pins: dict[str, tuple[str, int]] = {}
    text = (ROOT / "requirements" / f"{name}.lock").read_text(encoding="utf-8")
    for block in re.split(r"\n(?=\S)", re.sub(r"\\\n", " ", text)):
        match = re.match(r"([A-Za-z0-9_.\-]+)==(\S+)", block)
        if match:
            pins[canonicalize_name(match[1])] = (match[2], block.count("--hash=sha256:"))
    return pins


def test_docker_stops_the_bot_with_sigint():
    """`docker stop` sends SIGINT (SIGTERM would stop the bot the same way: see
    tests/test_e2e_stopping.py)."""
    assert "STOPSIGNAL SIGINT" in instructions(DOCKERFILE)


def test_docker_base_image_is_pinned_by_digest():
    """Every FROM resolves to an image pinned by its sha256 digest."""
    args = dict(re.findall(r"^ARG (\w+)=(\S+)$", "\n".join(instructions(DOCKERFILE)), re.MULTILINE))
    bases = [line.split()[1] for line in instructions(DOCKERFILE) if line.startswith("FROM ")]
    assert bases
    for base in bases:
        image = re.sub(r"\$\{(\w+)\}", lambda m: args[m[1]], base)
        assert re.search(r"@sha256:[0-9a-f]{64}$", image), image


def test_docker_installs_only_hash_checked_packages():
    """Dependencies come from the locks with --require-hashes; the project itself with
    --no-deps, so nothing is resolved at build time."""
    installs = [
        part.strip()
        for line in instructions(DOCKERFILE)
        for part in line.split("&&")
        if "pip install" in part
    ]
    assert installs
    for install in installs:
        assert "--require-hashes -r requirements/" in install or "--no-deps" in install, install


@pytest.mark.parametrize(("lock_name", "extras"), [("runtime", ()), ("test", ("test",))])
def test_locks_satisfy_pyproject(lock_name, extras):
    """Each dependency of pyproject.toml is pinned in the lock, within its range, with hashes."""
    pins = lock(lock_name)
    wanted = list(PYPROJECT["project"]["dependencies"])
    for extra in extras:
        wanted += PYPROJECT["project"]["optional-dependencies"][extra]
    for line in wanted:
        requirement = Requirement(line)
        version, _ = pins[canonicalize_name(requirement.name)]
        assert requirement.specifier.contains(version), f"{line}: locked {version}"
    assert all(hashes for _, hashes in pins.values())


def test_discord_py_reads_and_writes_json_with_orjson():
    """orjson is a dependency because discord.py then uses it for every gateway event and
    HTTP body; an environment installed from the locks has discord.py using it."""
    import discord.utils
    import orjson

    assert discord.utils.HAS_ORJSON
    assert discord.utils._from_json is orjson.loads


def test_build_backend_is_locked():
    """The build backend the image uses satisfies pyproject's build requirement."""
    pins = lock("build")
    for line in PYPROJECT["build-system"]["requires"]:
        requirement = Requirement(line)
        assert requirement.specifier.contains(pins[canonicalize_name(requirement.name)][0])


def _readme_command(comment: str) -> str:
    """The Quick start command written on the line after `comment` in README.md."""
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    return lines[lines.index(comment) + 1]


def test_ci_runs_the_readme_test_command_as_written():
    """.ci/run runs exactly the README's test command, read from the README itself."""
    printed = subprocess.run(
        ["bash", str(ROOT / ".ci" / "run"), "--print"],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout.strip()
    assert printed == _readme_command("# install the test dependencies and run every test")


@pytest.mark.parametrize(
    ("comment", "lock_name"),
    [
        ("# install and run the bot (the offline console when no DISCORD_TOKEN is set)", "runtime"),
        ("# install the test dependencies and run every test", "test"),
    ],
)
def test_readme_commands_install_exactly_the_locked_versions(comment, lock_name):
    """A fresh clone gets what CI tested: dependencies only from the hash-pinned lock, then
    the project itself with nothing resolved."""
    command = _readme_command(comment)
    installs = [part.strip() for part in command.split("&&") if "pip install" in part]
    assert installs == [
        f"pip install -q --require-hashes -r requirements/{lock_name}.lock",
        "pip install -q --no-deps -e .",
    ]


def test_systemd_unit_rides_out_outages_and_stops_cleanly():
    """No start limit that would leave the service stopped for good; SIGINT to stop."""
    settings = dict(
        line.split("=", 1) for line in UNIT.splitlines() if "=" in line and line[0] != "#"
    )
    assert settings["StartLimitIntervalSec"] == "0"
    assert settings["Restart"] == "on-failure"
    assert settings["KillSignal"] == "SIGINT"
    assert settings["CacheDirectory"] == "kcbot"
