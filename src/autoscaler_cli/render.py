"""Human output (rich tables) and machine output (--json) for the CLI."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from rich.console import Console
from rich.table import Table

from autoscaler.actions import Action
from autoscaler.errors import Problem


class Output:
    def __init__(self, as_json: bool, console: Console | None = None) -> None:
        self.as_json = as_json
        # Not a terminal (CI logs, pipes): wide enough that tables do not fold every cell.
        self.console = console or Console(highlight=False, soft_wrap=False, width=None if sys.stdout.isatty() else 160)

    def json(self, data: Any) -> None:
        print(json.dumps(data, indent=2, default=_default, sort_keys=False))

    def table(self, title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        table = Table(title=title, title_justify="left", show_lines=False)
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*("" if cell is None else str(cell) for cell in row))
        self.console.print(table)

    def line(self, text: str, style: str | None = None) -> None:
        self.console.print(text, style=style)

    def actions(self, title: str, actions: Sequence[Action]) -> None:
        if actions:
            self.table(title, ("action", "subject", "reason"), ((a.verb, a.subject, a.reason) for a in actions))

    def problems(self, title: str, problems: Sequence[Problem], style: str) -> None:
        if problems:
            self.table(title, ("source", "problem"), ((p.source, p.message) for p in problems))
            self.console.print(f"{len(problems)} {title.lower()}", style=style)


def actions_json(actions: Sequence[Action]) -> list[dict[str, str]]:
    return [{"action": a.verb, "subject": a.subject, "reason": a.reason} for a in actions]


def problems_json(problems: Sequence[Problem]) -> list[dict[str, str]]:
    return [{"source": p.source, "message": p.message} for p in problems]


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    return str(value)
