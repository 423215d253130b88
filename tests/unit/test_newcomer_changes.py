"""The changes a newcomer makes most often each touch at most three files, and work as made.

Each folder of ``examples/newcomer/`` holds a real change (``change.patch``, as ``git diff`` wrote it) and a script
(``check.py``) showing it works. The test applies the patch to a copy of the repository, runs the script there, and
runs the unit tests of the vocabularies on the copy: the change needs no other file, tests included. A patch that no
longer applies fails here, so the examples follow the code."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "newcomer"
MAX_FILES = 3
COPIED = ("layers", "src", "tests", "examples", "README.md", "pyproject.toml")
# The tests that read the vocabularies, the README's examples and the profile grammar.
TESTS = ("tests/unit/test_vocabulary.py", "tests/unit/test_profiles.py", "tests/unit/test_tags.py")


def changes() -> list[Path]:
    return sorted(p for p in EXAMPLES.iterdir() if (p / "change.patch").is_file())


def touched(patch: Path) -> list[str]:
    return re.findall(r"^diff --git a/(\S+) b/", patch.read_text(encoding="utf-8"), flags=re.MULTILINE)


def test_there_are_examples() -> None:
    assert {p.name for p in changes()} >= {"metric-key"}


@pytest.mark.parametrize("example", changes(), ids=lambda p: p.name)
def test_a_newcomer_change_touches_at_most_three_files_and_works(example: Path, tmp_path: Path) -> None:
    files = touched(example / "change.patch")
    assert 0 < len(files) <= MAX_FILES, files
    copy = tmp_path / "repo"
    copy.mkdir()
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__", ".aws-sam"))
        elif source.exists():
            shutil.copy2(source, copy / name)
    subprocess.run(["git", "apply", str(example / "change.patch")], cwd=copy, check=True)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(str(copy / p) for p in ("layers/common", "src", "."))}
    checked = subprocess.run(
        [sys.executable, str(copy / "examples/newcomer" / example.name / "check.py")],
        check=False,
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr
    tested = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *TESTS, "-k", "metric or tag or key"],
        check=False,
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
    )
    assert tested.returncode == 0, tested.stdout[-3000:]
