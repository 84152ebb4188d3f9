"""`python -m bot check`: a summary and exit 0 on a valid base, every problem and exit 1 if not."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.kb.check import run_check
from bot.kb.loader import FILES
from bot.kb.paths import KNOWLEDGE_DIR_ENV, shipped_knowledge_dir

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = shipped_knowledge_dir()


@pytest.fixture(autouse=True)
def no_knowledge_dir_from_the_caller(monkeypatch):
    """Tests start without $KNOWLEDGE_DIR, whatever the developer's shell has."""
    monkeypatch.delenv(KNOWLEDGE_DIR_ENV, raising=False)


def copy_knowledge(target: Path) -> Path:
    target.mkdir()
    for name in FILES:
        shutil.copyfile(SHIPPED / name, target / name)
    return target


@pytest.fixture
def valid_copy(tmp_path: Path) -> Path:
    return copy_knowledge(tmp_path / "valid")


@pytest.fixture
def broken_copy(tmp_path: Path) -> Path:
    """A copy with two problems: an unknown field and a dangling organization."""
    directory = copy_knowledge(tmp_path / "broken")
    path = directory / "clusters.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "    fields: [nanotech-materials]\n    places: [kyoto]",
        "    fields: [bio]\n    places: [kyoto]",
    )
    text = text.replace("organization: {id: astf,", "organization: {id: asft,")
    path.write_text(text, encoding="utf-8")
    return directory


def test_valid_base_exits_0(capsys):
    """`check` on the shipped base exits 0 and writes nothing to stderr."""
    assert main(["check"]) == 0
    assert capsys.readouterr().err == ""


def test_summary_counts_clusters_per_stage_and_status(capsys):
    """The summary gives the clusters per stage and status."""
    main(["check"])
    out = capsys.readouterr().out.splitlines()
    assert "Clusters: 24" in out
    assert "  Second Stage: 6 active" in out
    assert "  First Stage: 7 active, 11 ended" in out


def test_summary_counts_the_rest(capsys):
    """The summary counts FAQ entries, aliases, places, organizations, documents and the
    located places."""
    main(["check"])
    out = capsys.readouterr().out
    for start in (
        "FAQ entries: 22 ",
        "Aliases: ",
        "Places: 26 (9 shared",
        "Organizations: 7 ",
        "Documents: 14",
        "Geography: 25 places located (22 points, 3 areas), 47 prefectures, 8 regions",
    ):
        assert f"\n{start}" in out


def test_summary_names_the_directory_and_the_shared_places(capsys):
    """The summary names the directory read and lists the shared places as notes."""
    main(["check"])
    out = capsys.readouterr().out
    assert out.startswith(f"Knowledge base: {SHIPPED.resolve()}\n")
    assert "  - place 'hamamatsu' heads 2 clusters: hamamatsu-second, hamamatsu-first\n" in out
    assert out.rstrip().endswith("OK: the knowledge base is valid.")


def test_broken_base_exits_1_with_every_problem_on_stderr(broken_copy, capsys):
    """A broken base: exit 1, one problem per line on stderr, then the count."""
    assert main(["--knowledge", str(broken_copy), "check"]) == 1
    captured = capsys.readouterr()
    err = captured.err.splitlines()
    assert captured.out == ""
    assert len(err) == 3
    assert err[0].startswith("clusters.yaml:")
    assert "[aichi-first] organization: unknown organization 'asft'" in err[0]
    assert "[kyoto-first] fields: unknown field 'bio'" in err[1]  # in file order
    assert err[2] == f"2 problems found in {broken_copy.resolve()}"


def test_knowledge_option_is_honoured(valid_copy, capsys):
    """`--knowledge DIR` selects the directory checked."""
    assert main(["--knowledge", str(valid_copy), "check"]) == 0
    assert f"Knowledge base: {valid_copy.resolve()}\n" in capsys.readouterr().out


def test_environment_variable_is_honoured(broken_copy, monkeypatch, capsys):
    """$KNOWLEDGE_DIR selects the directory when no option is given."""
    monkeypatch.setenv(KNOWLEDGE_DIR_ENV, str(broken_copy))
    assert main(["check"]) == 1
    assert "unknown field 'bio'" in capsys.readouterr().err


def test_option_wins_over_environment_variable(valid_copy, broken_copy, monkeypatch, capsys):
    """An explicit --knowledge wins over $KNOWLEDGE_DIR."""
    monkeypatch.setenv(KNOWLEDGE_DIR_ENV, str(broken_copy))
    assert main(["--knowledge", str(valid_copy), "check"]) == 0


def test_missing_directory_exits_1(tmp_path, capsys):
    """A directory that does not exist is reported, not a traceback."""
    missing = tmp_path / "nowhere"
    assert run_check(str(missing)) == 1
    assert f"{missing} knowledge directory does not exist" in capsys.readouterr().err


def test_real_process_checks_the_directory_from_the_environment(broken_copy):
    """`python -m bot check` in a real process reads $KNOWLEDGE_DIR and exits 1 on errors."""
    env = {**os.environ, KNOWLEDGE_DIR_ENV: str(broken_copy), "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert "unknown field 'bio'" in result.stderr
    assert result.stderr.splitlines()[-1] == f"2 problems found in {broken_copy.resolve()}"


def test_real_process_exits_0_on_the_shipped_base():
    """`python -m bot check` on the shipped base exits 0 and prints the summary."""
    env = {k: v for k, v in os.environ.items() if k != KNOWLEDGE_DIR_ENV}
    env["PYTHONPATH"] = str(ROOT)
    result = subprocess.run(
        [sys.executable, "-m", "bot", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Clusters: 24" in result.stdout
