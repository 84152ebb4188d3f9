"""`python -m bot map ... --out FILE.png` and the console's `/map`: real files, real PNGs."""

from __future__ import annotations

from PIL import Image

from bot.app import Application
from bot.chat import handle_line
from bot.cli import main
from tests.support import shipped_knowledge


def test_map_command_writes_the_png(tmp_path, capsys):
    out = tmp_path / "maps" / "second.png"
    assert main(["map", "--stage", "second", "--out", str(out)]) == 0
    with Image.open(out) as image:
        assert (image.format, image.size) == ("PNG", (1200, 900))
    said = capsys.readouterr().out
    assert said.startswith(f"{out}: 1200x900 PNG, 6 clusters")
    assert "6 clusters in the Second Stage" in said


def test_map_command_in_japanese(tmp_path, capsys):
    out = tmp_path / "ja.png"
    assert main(["map", "--field", "environment", "--lang", "ja", "--out", str(out)]) == 0
    assert out.stat().st_size > 10_000
    assert "環境" in capsys.readouterr().out


def test_an_unknown_option_writes_nothing_and_says_why(tmp_path, capsys):
    """An option the map does not know is a usage error (exit 2), like argparse's."""
    out = tmp_path / "x.png"
    assert main(["map", "--status", "paused", "--out", str(out)]) == 2
    assert not out.exists()
    assert "Unknown status “paused”" in capsys.readouterr().err


def test_console_map_writes_a_file_and_prints_its_path(tmp_path, monkeypatch):
    monkeypatch.setenv("MAP_DIR", str(tmp_path))
    app = Application(shipped_knowledge())
    text = handle_line(app, "/map first ended environment")
    path = tmp_path / "map-first-ended-environment-en.png"
    assert text.endswith(f"Map: {path}")
    assert "2 ended clusters in the First Stage working in Environment." in text
    with Image.open(path) as image:
        assert image.size == (1200, 900)
    assert "Unknown stage" not in handle_line(app, "/map")
