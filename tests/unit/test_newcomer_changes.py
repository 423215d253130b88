"""The changes a newcomer makes most often each touch at most three files, and work as made.

Each folder of ``examples/newcomer/`` holds a real change (``change.patch``, as ``git diff`` wrote it) and a script
(``check.py``) showing it works. The test applies the patch to a copy of the repository, runs the script there, and
runs the unit tests of the vocabularies on the copy: the change needs no other file, tests included. A patch that no
longer applies fails here, so the examples follow the code.

An example whose AWS member is made up (AWS has none left to add) names it in ``aws-members.json`` (service -> shape ->
member -> its definition): both runs then get a home of their own whose ``~/.aws/models`` holds botocore's model of the
service with that member, as ``aws configure add-model`` would install it, so the controller's check of every request
against the service model (``autoscaler.constraints``) knows it. Nothing calls AWS."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from botocore.loaders import create_loader

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
    assert {p.name for p in changes()} >= {"metric-key", "tracking-setting"}


def with_members(members: dict[str, dict[str, dict[str, Any]]], home: Path) -> Path:
    """A home whose ``.aws/models`` holds, for each service, botocore's shipped model with the members added."""
    loader = create_loader()
    for service, shapes in members.items():
        model = loader.load_service_model(service, "service-2")
        for shape, added in shapes.items():
            model["shapes"][shape]["members"].update(added)
        where = home / ".aws" / "models" / service / model["metadata"]["apiVersion"]
        where.mkdir(parents=True)
        (where / "service-2.json").write_text(json.dumps(model), encoding="utf-8")
    return home


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
    members = example / "aws-members.json"
    if members.is_file():
        env["HOME"] = str(with_members(json.loads(members.read_text(encoding="utf-8")), tmp_path / "home"))
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
