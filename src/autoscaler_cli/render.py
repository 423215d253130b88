"""Human output (rich tables) and machine output (--json) for the CLI."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from rich.console import Console
from rich.table import Table

from autoscaler.actions import Action
from autoscaler.errors import Problem


class Output:
    def __init__(self, as_json: bool, console: Console | None = None) -> None:
        self.as_json = as_json
        # A terminal, or COLUMNS, sizes the tables; otherwise (CI logs, pipes) wide enough not to fold every cell.
        sized = sys.stdout.isatty() or os.environ.get("COLUMNS", "").isdigit()
        self.console = console or Console(highlight=False, soft_wrap=False, width=None if sized else 160)

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

    def status(self, entry: Mapping[str, Any]) -> None:
        """One endpoint of `status` (autoscaler_cli.status.status_entry): its variants, the inference components it
        hosts, their policies and scheduled actions, the alarms the controller owns, errors and pending changes."""
        last = f"; last outcome {entry['last_outcome']}" if entry["last_outcome"] else ""
        self.line(f"{entry['endpoint']} ({entry['status']}): {entry['state']}{last}", style="bold")
        if not entry["variants"]:
            return
        self.table(
            "Variants",
            ("variant", "kind", "instance type", "instances", "managed instance scaling", "bounds", "suspended"),
            (
                (
                    v["variant"],
                    v["kind"],
                    v["instance_type"],
                    v["instances"],
                    _instance_scaling(v),
                    _bounds(v["bounds"]),
                    v["suspended"],
                )
                for v in entry["variants"]
            ),
        )
        self._scaling("variant", ("Policies", "Scheduled actions"), [(v["variant"], v) for v in entry["variants"]])
        if entry["components"]:
            self.table(
                "Inference components",
                ("component", "variant", "status", "scalable target", "dimension", "bounds", "suspended", "managed"),
                (
                    (
                        c["component"],
                        c["variant"],
                        c["status"],
                        *(
                            (c["scalable_target"], c["dimension"], _bounds(c["bounds"]))
                            if c["bounds"]
                            else ("not registered", None, None)
                        ),
                        c["suspended"],
                        _managed(c),
                    )
                    for c in entry["components"]
                ),
            )
            self._scaling(
                "component",
                ("Component policies", "Component scheduled actions"),
                [(c["component"], c) for c in entry["components"]],
            )
        if entry["alarms"]:
            self.table(
                "Alarms",
                ("alarm", "for", "metric", "threshold", "triggers"),
                (_alarm_row(a) for a in entry["alarms"]),
            )
        if entry["errors"]:
            self.table("Errors", ("source", "problem"), ((e["source"], e["message"]) for e in entry["errors"]))
        if entry["warnings"]:
            self.table("Warnings", ("source", "problem"), ((w["source"], w["message"]) for w in entry["warnings"]))
        if entry["pending"]:
            self.table(
                "Pending",
                ("action", "subject", "reason"),
                ((a["action"], a["subject"], a["reason"]) for a in entry["pending"]),
            )

    def _scaling(self, label: str, titles: tuple[str, str], scaled: Sequence[tuple[str, Mapping[str, Any]]]) -> None:
        """The policies and scheduled actions of variants or inference components (``scaled``: name, entry)."""
        policies = [(name, p) for name, s in scaled for p in s["policies"]]
        if policies:
            self.table(
                titles[0],
                (label, "policy", "type", "metric", "target", "owner"),
                ((name, p["name"], p["type"], p["metric"], p["target"], p["owner"]) for name, p in policies),
            )
        schedules = [(name, a) for name, s in scaled for a in s["schedules"]]
        if schedules:
            self.table(
                titles[1],
                (label, "name", "schedule", "time zone", "next run (local)", "min..max", "owner"),
                (
                    (
                        name,
                        a["name"],
                        a["schedule"],
                        a["timezone"],
                        a["next_run"] or "-",
                        f"{a['min']}..{a['max']}",
                        a["owner"],
                    )
                    for name, a in schedules
                ),
            )


def actions_json(actions: Sequence[Action]) -> list[dict[str, str]]:
    return [{"action": a.verb, "subject": a.subject, "reason": a.reason} for a in actions]


def problems_json(problems: Sequence[Problem]) -> list[dict[str, str]]:
    return [{"source": p.source, "message": p.message} for p in problems]


def _bounds(bounds: Sequence[int] | None) -> str:
    return f"{bounds[0]}..{bounds[1]}" if bounds else "not registered"


def _alarm_row(alarm: Mapping[str, Any]) -> tuple[Any, ...]:
    if alarm["metric"] is None:  # a shape the controller never writes
        return alarm["name"], alarm["for"], None, None, ", ".join(alarm["policies"])
    return (
        alarm["name"],
        alarm["for"],
        f"{alarm['statistic']} of {alarm['metric']}",
        f"{alarm['comparison']} {alarm['threshold']:g} in {alarm['datapoints_to_alarm']} of "
        f"{alarm['evaluation_periods']} periods of {alarm['period']}s",
        ", ".join(alarm["policies"]),
    )


def _instance_scaling(variant: Mapping[str, Any]) -> str | None:
    """A variant's managed instance scaling; none for a serverless variant, which has no instances."""
    if variant["kind"] == "serverless":
        return None
    scaling = variant["managed_instance_scaling"]
    return str(scaling["summary"]) if scaling else "off"


def _managed(component: Mapping[str, Any]) -> str:
    if component["held"]:
        return f"held: {component['held']}"
    return "" if component["managed"] is None else "yes" if component["managed"] else "no"


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    return str(value)
