"""CloudWatch: the owned alarms of step scaling policies (read and deleted; they are put by the renderer,
autoscaler/actions.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from autoscaler.aws.base import Clients
from autoscaler.aws.classify import classified
from autoscaler.names import alarm_prefix

DELETE_ALARMS_BATCH = 100


class CloudWatchReads(Clients):
    def read_owned_alarms(self, name_prefix: str, endpoint: str | None = None) -> tuple[str, ...]:
        return tuple(a["AlarmName"] for a in self._owned_alarms(name_prefix, endpoint))

    def _owned_alarms(self, name_prefix: str, endpoint: str | None) -> list[dict[str, Any]]:
        with classified("DescribeAlarms"):
            return self._pages(
                self.cloudwatch,
                "describe_alarms",
                "MetricAlarms",
                AlarmNamePrefix=alarm_prefix(name_prefix, endpoint),
                AlarmTypes=["MetricAlarm"],
            )


class CloudWatchWrites(Clients):
    def delete_alarms(self, names: Sequence[str]) -> None:
        for start in range(0, len(names), DELETE_ALARMS_BATCH):
            with classified("DeleteAlarms"):
                self.cloudwatch.delete_alarms(AlarmNames=list(names[start : start + DELETE_ALARMS_BATCH]))
