"""The controller's exception types: temporary errors are retried, permanent ones are reported and acknowledged."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or risky) with a configuration, with the place it came from."""

    source: str  # a tag key, an environment variable, or "profile NAME: path"
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


class AutoscalerError(Exception):
    """Base class of the controller's own errors."""


class ConfigError(AutoscalerError):
    """The configuration asked for is invalid: permanent, nothing is written."""

    def __init__(self, problems: Sequence[Problem], warnings: Sequence[Problem] = ()) -> None:
        self.problems = tuple(problems)
        self.warnings = tuple(warnings)
        super().__init__("; ".join(str(p) for p in self.problems))


class SettingsError(AutoscalerError):
    """An environment variable of the stack is missing or malformed."""


class TemporaryError(AutoscalerError):
    """AWS throttled, failed or timed out, or a concurrent update is pending: retry later."""


class EndpointNotReadyError(AutoscalerError):
    """The endpoint is not InService (creating, updating, ...): skipped, the IN_SERVICE event brings it back."""


class EvaluationError(ConfigError):
    """Evaluating an endpoint's configuration crashed in pure code (a parser, a date out of range): a defect met on
    that endpoint's own data. Deterministic, so permanent for that input like an invalid configuration: rejected,
    nothing written, never retried."""


class RefusedError(AutoscalerError):
    """AWS refused a write for what it asked (ValidationException and the like): permanent for that request.

    ``operation`` is the AWS API operation (``PutScalingPolicy``), ``what`` the action it was carrying out."""

    def __init__(self, what: str, operation: str, code: str, message: str) -> None:
        self.what, self.operation, self.code, self.message = what, operation, code, message
        super().__init__(f"{what}: AWS refused {operation}: {code}: {message}")


class AwsError(AutoscalerError):
    """AWS failed a call in a way the controller has no other type for (access denied, a quota reached, a bad
    credential or region): re-raised, so retries, the dead-letter queue and alarms see it. ``code`` is AWS's error code
    (``AccessDeniedException``), or the botocore exception's name when AWS did not answer."""

    def __init__(self, what: str, operation: str, code: str, message: str) -> None:
        self.what, self.operation, self.code, self.message = what, operation, code, message
        super().__init__(f"{what}: {operation}: {code}: {message}" if operation else f"{what}: {code}: {message}")


class NotFoundError(AwsError):
    """What a read asked for does not exist (an endpoint, a parameter or its version, an inference component)."""
