"""Where the knowledge base is found."""

from pathlib import Path

from bot.kb.paths import KNOWLEDGE_DIR_ENV, resolve_knowledge_dir, shipped_knowledge_dir


def test_shipped_dir_is_found_from_any_working_directory(tmp_path, monkeypatch):
    """The shipped knowledge base is located from the package, not the working directory."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(KNOWLEDGE_DIR_ENV, raising=False)
    directory = shipped_knowledge_dir()
    assert (directory / "clusters.yaml").is_file()
    assert resolve_knowledge_dir() == directory


def test_environment_variable_overrides_shipped_dir(tmp_path, monkeypatch):
    """$KNOWLEDGE_DIR lets a deployer serve their own YAML."""
    monkeypatch.setenv(KNOWLEDGE_DIR_ENV, str(tmp_path))
    assert resolve_knowledge_dir() == tmp_path


def test_explicit_dir_wins_over_environment(tmp_path, monkeypatch):
    """An explicit --knowledge directory wins over the environment."""
    monkeypatch.setenv(KNOWLEDGE_DIR_ENV, "/elsewhere")
    assert resolve_knowledge_dir(tmp_path) == Path(tmp_path)


def test_every_package_and_catalogue_ships_in_the_wheel():
    """pyproject.toml lists every package under bot/ (a forgotten one is missing from an
    installed bot) and its package data takes every file of the knowledge directory."""
    import fnmatch

    import pytest

    tomllib = pytest.importorskip("tomllib")  # Python 3.11+

    root = Path(__file__).resolve().parents[1]
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    listed = set(config["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(root).parts)
        for init in (root / "bot").rglob("__init__.py")
    }
    assert found <= listed, f"not in pyproject.toml's packages: {sorted(found - listed)}"
    patterns = config["setuptools"]["package-data"]["bot.knowledge_files"]
    for path in (root / "knowledge").rglob("*.yaml"):
        relative = path.relative_to(root / "knowledge").as_posix()
        assert any(fnmatch.fnmatch(relative, p) for p in patterns), relative
