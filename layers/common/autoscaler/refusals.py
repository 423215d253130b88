"""Refusals: a plan AWS refused, remembered so that the sweep stops enqueueing it every pass.

When AWS refuses a write of a plan for what it asks (``autoscaler.aws.REFUSED_CODES``: a RegisterScalableTarget whose
bounds AAS refuses, a PutMetricAlarm CloudWatch refuses), the same request is refused again however often it is
sent. The reconciler reports it (outcome ``rejected``) and records a ``Refusal``: which endpoint, the fingerprint of
the requests it still had to make (the refused one and those after it), AWS's operation, code and message, and when.
The sweep reads every record once per pass and treats an endpoint whose plan has exactly that fingerprint like an
invalid configuration: logged with AWS's message, counted in ``SweepRejected``, not enqueued. A change of tags or
profile (a new desired state), or of the scaling configuration by hand, makes another plan, another fingerprint: the
sweep enqueues it again. A later reconcile that writes its plan deletes the record.

Why the fingerprint is of the requests still to make, not of the whole plan: the writes made before the refused one
stand (AWS applied them), so the sweep's next plan is what was left. Each action's request counts, without its
``reason`` (which describes the state it was planned against) and without a put alarm's policy ARN (known only once
its policy has been put, so a plan made after the put carries it and one made before does not).

Where the records live: a DynamoDB table of the stack (template.yaml ``RefusalsTable``; ``REFUSALS_TABLE``),
pay-per-request, keyed by endpoint name, with DynamoDB time to live on ``expires_at``. Chosen because:

- the sweep reads all of it in one Scan call per 1 MB (a few hundred bytes per refused endpoint), a constant per
  sweep rather than calls per endpoint, and the reconciler writes one item;
- the status tags cannot hold it: they are off by default (``WriteStatusTags``), a tag value holds 256 characters of a
  restricted alphabet (not AWS's message), and writing tags regardless would cost tag slots and drift under
  infrastructure as code, the reasons they are off;
- SSM parameters would cost a GetParametersByPath call per 10 records and a throttled PutParameter per refusal;
- IAM can scope every call to the one table (the reconciler: PutItem and DeleteItem; the sweeper: Scan);
- moto implements it, in-process and in moto_server.

A record is honoured for REFUSAL_TTL after the refusal, then ignored by the sweep itself, since DynamoDB's time to
live deletes it only later (Amazon DynamoDB API Reference, UpdateTimeToLive: "DynamoDB typically deletes expired items
within two days of expiration. [...] Items that have expired and not been deleted will still show up in reads,
queries, and scans."): a refusal caused by something outside the plan is tried again at least that often, and the
records of deleted endpoints go away by themselves. Without a table configured nothing is remembered: the sweep then
enqueues a refused plan every pass, as before.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from autoscaler.actions import Action
from autoscaler.errors import RefusedError

KEY = "endpoint"  # the table's partition key (a string): the endpoint's name
TTL_ATTRIBUTE = "expires_at"  # epoch seconds, DynamoDB's time-to-live attribute
REFUSAL_TTL = timedelta(days=7)
MESSAGE_LIMIT = 2000  # characters of AWS's message kept (a DynamoDB item holds 400 KB; AWS's messages are short)
_UNREQUESTED = ("reason", "policy_arn")  # fields of an action that are not part of its request (see the docstring)


def fingerprint(actions: Sequence[Action]) -> str:
    """A stable digest of the actions' requests, in order: equal for the same requests in any process."""
    requests = [[a.verb, {k: v for k, v in asdict(a).items() if k not in _UNREQUESTED}] for a in actions]
    text = json.dumps(requests, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Refusal:
    endpoint: str
    fingerprint: str  # of the requests still to make when AWS refused (the refused one first)
    action: str  # the planned action refused: its verb and subject
    operation: str  # the AWS API operation that refused it
    code: str
    message: str  # AWS's
    refused_at: datetime
    written: int = 0  # writes of the plan made before the refused one, which stand

    @classmethod
    def of(
        cls, endpoint: str, error: RefusedError, action: Action, rest: Sequence[Action], written: int, now: datetime
    ) -> Refusal:
        """The refusal of ``action``, with ``rest`` the actions planned after it (not attempted)."""
        return cls(
            endpoint,
            fingerprint([action, *rest]),
            f"{action.verb} {action.subject}",
            error.operation,
            error.code,
            error.message[:MESSAGE_LIMIT],
            now,
            written,
        )

    @property
    def expires_at(self) -> datetime:
        return self.refused_at + REFUSAL_TTL

    def holds_for(self, actions: Sequence[Action], now: datetime) -> bool:
        """Whether this refusal answers a plan of ``actions`` now: the same requests, and not expired."""
        return bool(actions) and now < self.expires_at and fingerprint(actions) == self.fingerprint

    def describe(self) -> str:
        return f"AWS refused {self.operation} ({self.action}): {self.code}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "operation": self.operation,
            "code": self.code,
            "message": self.message,
            "refused_at": self.refused_at.isoformat(),
            "written_before": self.written,
            "fingerprint": self.fingerprint,
        }

    def item(self) -> dict[str, dict[str, str]]:
        """The DynamoDB item (attribute values)."""
        return {
            KEY: {"S": self.endpoint},
            "fingerprint": {"S": self.fingerprint},
            "action": {"S": self.action},
            "operation": {"S": self.operation},
            "code": {"S": self.code},
            "message": {"S": self.message},
            "refused_at": {"S": self.refused_at.isoformat()},
            "written": {"N": str(self.written)},
            TTL_ATTRIBUTE: {"N": str(int(self.expires_at.timestamp()))},
        }

    @classmethod
    def from_item(cls, item: Mapping[str, Mapping[str, str]]) -> Refusal:
        refused_at = datetime.fromisoformat(item["refused_at"]["S"])
        return cls(
            item[KEY]["S"],
            item["fingerprint"]["S"],
            item["action"]["S"],
            item["operation"]["S"],
            item["code"]["S"],
            item["message"]["S"],
            refused_at if refused_at.tzinfo else refused_at.replace(tzinfo=UTC),
            int(item.get("written", {}).get("N", "0")),
        )


def key(endpoint: str) -> dict[str, dict[str, str]]:
    return {KEY: {"S": endpoint}}
