"""`python -m bot check`: a summary and exit 0 on a valid base, every problem and exit 1 if not."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.i18n.loading import load_catalogues
from bot.kb.check import run_check
from bot.kb.loader import FILES, KnowledgeBaseError, load_knowledge
from bot.kb.paths import KNOWLEDGE_DIR_ENV, MESSAGES_DIR, shipped_knowledge_dir
from tools.guide import MISTAKES, Mistake, make_mistakes

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


def run_bot(*args: str, knowledge_dir: Path | None = None) -> subprocess.CompletedProcess:
    """`python -m bot ARGS` in a real process, $KNOWLEDGE_DIR set only when given."""
    env = {k: v for k, v in os.environ.items() if k != KNOWLEDGE_DIR_ENV}
    env["PYTHONPATH"] = str(ROOT)
    if knowledge_dir is not None:
        env[KNOWLEDGE_DIR_ENV] = str(knowledge_dir)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_real_process_checks_the_directory_from_the_environment(broken_copy):
    """`python -m bot check` in a real process reads $KNOWLEDGE_DIR and exits 1 on errors."""
    result = run_bot("check", knowledge_dir=broken_copy)
    assert result.returncode == 1, result.stderr
    assert "unknown field 'bio'" in result.stderr
    assert result.stderr.splitlines()[-1] == f"2 problems found in {broken_copy.resolve()}"


def test_real_process_exits_0_on_the_shipped_base():
    """`python -m bot check` on the shipped base exits 0 and prints the summary."""
    result = run_bot("check")
    assert result.returncode == 0, result.stderr
    assert "Clusters: 24" in result.stdout


# --- every blind spot at once -----------------------------------------------------------------


def expected_reports(copy: Path) -> list[tuple[str, int, str]]:
    """(file, line, words) of each mistake of tools/guide.py's MISTAKES, in the changed copy."""
    reports = []
    for mistake in MISTAKES:
        text = (copy / mistake.file).read_text(encoding="utf-8")
        if mistake.at is not None:
            assert text.count(mistake.at) == 1, mistake.at
            line = text.count("\n", 0, text.index(mistake.at)) + 1
        else:  # a removed message: placed after the message English has before it
            line = line_of_previous_message(copy, mistake)
        reports.append((mistake.file, line, mistake.says))
    return reports


def line_of_previous_message(copy: Path, mistake: Mistake) -> int:
    removed = mistake.old.split(":")[0].strip()
    english = (copy / MESSAGES_DIR / "en.yaml").read_text(encoding="utf-8").splitlines()
    ids = [line.split(":")[0].strip() for line in english if re.match(r"  [\w.]+:", line)]
    translation = (copy / mistake.file).read_text(encoding="utf-8").splitlines()
    at = {line.split(":")[0].strip(): n for n, line in enumerate(translation, 1)}
    previous = [i for i in ids[: ids.index(removed)] if i in at]
    return at[previous[-1]]


def test_every_blind_spot_is_reported_in_one_run_of_the_real_process(tmp_path):
    """YAML mistakes in a knowledge file and in a catalogue, a phrase under two intents, a
    missing Japanese question, an organization dated by itself, a missing message and the
    usual schema problems: one `python -m bot check` lists each at its file and line, and
    nothing else."""
    copy = tmp_path / "knowledge"
    shutil.copytree(SHIPPED, copy)
    make_mistakes(copy)
    result = run_bot("--knowledge", str(copy), "check")
    assert result.returncode == 1, result.stderr
    *reported, count = result.stderr.splitlines()
    assert count == f"{len(MISTAKES)} problems found in {copy}"
    assert len(reported) == len(MISTAKES), result.stderr
    for file, line, says in expected_reports(copy):
        assert any(r.startswith(f"{file}:{line} ") and says in r for r in reported), (
            f"{file}:{line} {says}\n{result.stderr}"
        )


def test_the_loaders_report_every_blind_spot_at_once(tmp_path):
    """The same, from Python: the knowledge loader and the catalogue loader, one call each."""
    copy = tmp_path / "knowledge"
    shutil.copytree(SHIPPED, copy)
    make_mistakes(copy)
    found = []
    for load in (load_knowledge, load_catalogues):
        with pytest.raises(KnowledgeBaseError) as raised:
            load(copy)
        found += [*raised.value.problems, *raised.value.gaps]
    assert sorted((p.file, p.line) for p in found) == sorted(
        (file, line) for file, line, _ in expected_reports(copy)
    )
