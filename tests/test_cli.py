"""bot.cli: `python -m bot` / `kcbot` sub-commands, exit codes, and the default front-end."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import build_parser, main
from bot.kb.loader import FILES
from bot.kb.paths import KNOWLEDGE_DIR_ENV, shipped_knowledge_dir

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT_S = 60


@pytest.fixture(autouse=True)
def no_knowledge_dir_from_the_caller(monkeypatch):
    """Tests read the shipped knowledge base, whatever the developer's shell sets."""
    monkeypatch.delenv(KNOWLEDGE_DIR_ENV, raising=False)


@pytest.fixture
def broken_knowledge(tmp_path: Path) -> Path:
    target = tmp_path / "broken"
    target.mkdir()
    for name in FILES:
        shutil.copyfile(shipped_knowledge_dir() / name, target / name)
    (target / "faq.yaml").write_text("faq: {not: [valid\n", encoding="utf-8")
    return target


def clean_env() -> dict[str, str]:
    """The environment of a fresh shell on a machine with no Discord token configured."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISCORD_TOKEN", KNOWLEDGE_DIR_ENV)}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def run_bot(args, cwd, feed: str | None = None):
    """`python -m bot ARGS` in `cwd`; stdin is `feed`, or closed (EOF at once) without it."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=clean_env(),
        **({"input": feed} if feed is not None else {"stdin": subprocess.DEVNULL}),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT_S,
    )


# ----------------------------------------------------------------------------- in process


def test_check_on_the_shipped_base_exits_0(capsys):
    """`check` validates the shipped knowledge base and says so."""
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert "Clusters: 24" in out
    assert "OK" in out.splitlines()[-1]


def test_check_on_a_broken_base_exits_1(capsys, broken_knowledge):
    """`--knowledge DIR check` on an invalid base exits 1 and names the broken file."""
    assert main(["--knowledge", str(broken_knowledge), "check"]) == 1
    captured = capsys.readouterr()
    assert "faq.yaml" in captured.err


def test_knowledge_option_after_the_sub_command(capsys, broken_knowledge):
    """`check --knowledge DIR` works like `--knowledge DIR check`."""
    assert main(["check", "--knowledge", str(broken_knowledge)]) == 1
    assert "faq.yaml" in capsys.readouterr().err


def test_knowledge_option_before_the_sub_command_is_kept(capsys, broken_knowledge):
    """A directory given before `ask` is not reset by the sub-command's own default."""
    assert main(["--knowledge", str(broken_knowledge), "ask", "kyoto"]) == 1


def test_ask_prints_an_answer(capsys):
    """`ask QUESTION...` joins the words and prints the answer."""
    assert main(["ask", "what", "page", "is", "ube", "on"]) == 0
    assert "Page 30 of the 2008 edition" in capsys.readouterr().out


def test_ask_json_prints_json(capsys):
    """`ask --json QUESTION` prints one JSON object."""
    assert main(["ask", "--json", "contact", "for", "sendai"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["intent"] == "contact"
    assert data["question"] == "contact for sendai"


def test_ask_without_question_reads_stdin(monkeypatch, capsys):
    """`ask` with no words answers each line of standard input."""
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"kyoto\nube\n")))
    assert main(["ask"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2


def test_ask_with_an_empty_question_exits_2(capsys):
    """`ask ""` is a usage error."""
    assert main(["ask", ""]) == 2
    assert "empty" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["frobnicate"], ["ask", "--nope", "x"], ["--what"]])
def test_a_bad_command_line_exits_2(capsys, argv):
    """An unknown sub-command or option exits 2 with argparse's usage message."""
    with pytest.raises(SystemExit) as raised:
        main(argv)
    assert raised.value.code == 2
    assert "usage:" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["ask", ""],
        ["report", "--since", "forever"],
        ["map", "--status", "paused", "--out", "never-written.png"],
        ["map", "--stage", "third", "--out", "never-written.png"],
    ],
)
def test_every_usage_error_exits_2(capsys, argv, tmp_path, monkeypatch):
    """Values the command cannot use are usage errors too, like argparse's: exit 2 and a
    line on stderr saying what was wrong."""
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    assert capsys.readouterr().err
    assert not (tmp_path / "never-written.png").exists()


def test_version(capsys):
    """`--version` prints the installed distribution's version and exits 0."""
    from importlib.metadata import version

    with pytest.raises(SystemExit) as raised:
        main(["--version"])
    assert raised.value.code == 0
    assert capsys.readouterr().out == f"kcbot {version('kcbot')}\n"


def test_every_front_end_is_a_sub_command():
    """check, ask, chat, run and sync are all accepted by the parser."""
    parser = build_parser()
    for command in ("check", "ask", "chat", "run", "sync"):
        assert parser.parse_args([command]).command == command


def test_check_and_ask_do_not_import_discord():
    """`check` and `ask` run on a machine without discord.py installed (lazy imports)."""
    code = (
        "import sys, io\n"
        "from bot.cli import main\n"
        "assert main(['check']) == 0\n"
        "assert main(['ask', 'kyoto']) == 0\n"
        "bad = [m for m in sys.modules if m == 'discord' or m.startswith('discord.')]\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
    )
    assert result.returncode == 0, result.stderr


# ----------------------------------------------------------------------------- subprocess


def test_no_command_and_no_token_starts_the_console(tmp_path):
    """`python -m bot` without DISCORD_TOKEN says it starts the offline console; EOF exits 0."""
    result = run_bot([], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "DISCORD_TOKEN" in lines[0]
    assert "offline console" in lines[0]
    assert lines[1].startswith("kcbot console:")
    assert lines[-1].endswith("exit or Ctrl-D to leave.")  # the banner, wrapped to the width


def test_no_command_console_answers_piped_questions(tmp_path):
    """The default console reads questions from stdin and stops at /quit."""
    result = run_bot([], cwd=tmp_path, feed="ube page\n/quit\nkyoto\n")
    assert result.returncode == 0, result.stderr
    assert "Page 30 of the 2008 edition" in result.stdout
    assert "KYOTO" not in result.stdout


def test_ask_json_subprocess_prints_valid_json(tmp_path):
    """`python -m bot ask --json ...` writes one valid UTF-8 JSON object to stdout."""
    result = run_bot(["ask", "--json", "浜松の分野は"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["answered"] is True
    assert data["matches"][:2] == ["hamamatsu-second", "hamamatsu-first"]


def test_version_of_the_module_and_the_script(tmp_path):
    """`python -m bot --version` and the installed `kcbot` script print the same line."""
    from importlib.metadata import version

    result = run_bot(["--version"], cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, f"kcbot {version('kcbot')}\n")
    script = shutil.which("kcbot", path=str(Path(sys.executable).parent))
    assert script is not None, "the kcbot script is installed beside the interpreter"
    scripted = subprocess.run(
        [script, "--version"], env=clean_env(), capture_output=True, text=True, timeout=TIMEOUT_S
    )
    assert (scripted.returncode, scripted.stdout) == (0, result.stdout)


def test_unknown_sub_command_subprocess_exits_2(tmp_path):
    """`python -m bot frobnicate` exits 2 with the usage on stderr."""
    result = run_bot(["frobnicate"], cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "usage:" in result.stderr
