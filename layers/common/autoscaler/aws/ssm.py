"""Systems Manager Parameter Store: the profiles."""

from __future__ import annotations

from dataclasses import dataclass

from autoscaler.aws.base import Clients
from autoscaler.aws.classify import classified
from autoscaler.errors import NotFoundError


@dataclass(frozen=True)
class ParameterText:
    name: str
    type: str
    value: str
    version: int


class SsmReads(Clients):
    def read_parameter(self, name: str) -> ParameterText | None:
        """GetParameter (``name`` may end in ``:version`` or ``:label``); None when it (or that version) is missing."""
        try:
            with classified(f"GetParameter {name}"):
                raw = self.ssm.get_parameter(Name=name, WithDecryption=False)["Parameter"]
        except NotFoundError:  # ParameterNotFound, ParameterVersionNotFound (autoscaler/aws/classify.py)
            return None
        return ParameterText(raw["Name"], raw["Type"], raw["Value"], int(raw.get("Version", 0)))
