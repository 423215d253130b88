"""Deterministic names of everything the controller owns. The name prefix is ownership.

- policies and scheduled actions: ``<prefix>-<variant>-<metric or name>`` (scheduled-action names forbid ``:``, ``/``,
  ``|``; policy names cannot be changed, so a name never depends on where a setting came from);
- step-scaling alarms: ``<prefix>/<endpoint>/<variant>/<policy>``. Neither the prefix nor SageMaker endpoint and
  variant names may contain ``/``, so the name splits back into its parts (the sweep uses that to find the alarms of
  endpoints that no longer exist).
"""

from __future__ import annotations

from dataclasses import dataclass


def owned_prefix(name_prefix: str) -> str:
    return f"{name_prefix}-"


def policy_name(name_prefix: str, variant: str, key: str) -> str:
    return f"{name_prefix}-{variant}-{key}"


def alarm_prefix(name_prefix: str, endpoint: str | None = None) -> str:
    return f"{name_prefix}/" if endpoint is None else f"{name_prefix}/{endpoint}/"


def alarm_name(name_prefix: str, endpoint: str, variant: str, policy: str) -> str:
    return f"{alarm_prefix(name_prefix, endpoint)}{variant}/{policy}"


@dataclass(frozen=True)
class AlarmOwner:
    endpoint: str
    variant: str
    policy: str


def parse_alarm_name(name_prefix: str, name: str) -> AlarmOwner | None:
    head = alarm_prefix(name_prefix)
    if not name.startswith(head):
        return None
    parts = name[len(head) :].split("/", 2)
    if len(parts) != 3 or not all(parts):
        return None
    return AlarmOwner(*parts)
