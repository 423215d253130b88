"""Systems Manager Parameter Store: the profiles."""

from __future__ import annotations

from dataclasses import dataclass

from botocore.exceptions import ClientError

from autoscaler.aws.base import Clients
from autoscaler.aws.classify import classified, error_code


@dataclass(frozen=True)
class ParameterText:
    name: str
    type: str
    value: str
    version: int


PARAMETER_MISSING_CODES = frozenset({"ParameterNotFound", "ParameterVersionNotFound"})


class SsmReads(Clients):
    def read_parameter(self, name: str) -> ParameterText | None:
        """GetParameter (``name`` may end in ``:version`` or ``:label``); None when it (or that version) is missing."""
        try:
            with classified(f"GetParameter {name}"):
                raw = self.ssm.get_parameter(Name=name, WithDecryption=False)["Parameter"]
        except ClientError as exc:
            if error_code(exc) in PARAMETER_MISSING_CODES:
                return None
            raise
        return ParameterText(raw["Name"], raw["Type"], raw["Value"], int(raw.get("Version", 0)))
