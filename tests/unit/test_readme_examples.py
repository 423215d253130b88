"""Every invalid profile shown in the README is rejected with exactly the error the README shows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from autoscaler.errors import ConfigError
from autoscaler.profiles import parse_profile

README = (Path(__file__).parents[2] / "README.md").read_text()
EXAMPLES = re.findall(r"```(?:yaml|json)\n# rejected: ([^\n]+)\n(.*?)```", README, flags=re.DOTALL)


def test_the_readme_has_invalid_profile_examples() -> None:
    assert len(EXAMPLES) >= 5


@pytest.mark.parametrize(("expected", "body"), EXAMPLES, ids=[e[0][:60] for e in EXAMPLES])
def test_readme_invalid_profile_is_rejected_with_its_path(expected: str, body: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_profile(body, "profile bad")
    assert expected in [str(p) for p in caught.value.problems]


def test_readme_example_profile_file_is_valid() -> None:
    text = (Path(__file__).parents[2] / "examples" / "profiles" / "business-hours.yaml").read_text()
    assert parse_profile(text, "profile business-hours").top.max_capacity == 8
