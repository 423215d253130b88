"""The deployed shape of template.yaml on a local AWS, for the end-to-end tests and the demo.

moto ignores the ``AWS::Serverless-2016-10-31`` transform, cannot run Lambda functions, and never fires an SQS event
source mapping (seen running moto 5; moto's CloudFormation reports success for Serverless resources it skipped). So:

- ``translate()`` turns template.yaml into plain CloudFormation with aws-sam-translator (as CloudFormation would);
- ``Template`` resolves the intrinsic functions the template uses (Ref, Fn::Sub, Fn::GetAtt, Fn::If, ...) against
  parameter values and the physical ids of what was created;
- ``deploy()`` creates in a ``LocalAws`` (or any endpoint) what the chain needs: the SQS queues with their real
  attributes and redrive policy, the DynamoDB tables (the refused plans), the SSM parameters (the default profile),
  and the EventBridge rules with the template's real patterns, each targeting an SQS capture queue (a stand-in for
  the Lambda function);
- ``Function`` runs a handler in-process with the environment the template gives that function;
- ``EventSourceMapping`` receives from the FIFO queue and delivers batches to the reconciler as Lambda's SQS event
  source mapping does: at most BatchSize records, ReportBatchItemFailures honoured (succeeded messages deleted, failed
  ones left to return after the visibility timeout), nothing deleted when the handler raises.

One moto mistake is worked around here rather than asserted: moto delivers every event to a rule without an event
pattern, so a schedule rule would catch every put event. Schedule rules are created without targets (on AWS they
match no put event at all); their schedule is checked by reading the rule.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import os
import sys
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

__all__ = [
    "Deployed",
    "EventSourceMapping",
    "Function",
    "LambdaContext",
    "Template",
    "deploy",
    "put_event",
    "translate",
]

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "template.yaml"
STACK_NAME = "sagemaker-autoscaler"
ACCOUNT_ID = "123456789012"
LOCAL_ARTIFACTS = "s3://local-artifacts/"


# ------------------------------------------------------------------------------------------------ the template


class _NoManagedPolicies:
    """aws-sam-translator looks up managed policy names; the template uses ARNs only."""

    def load(self) -> dict[str, str]:
        return {}


def translate(path: Path = TEMPLATE, region: str = "us-east-1") -> dict[str, Any]:
    """template.yaml -> plain CloudFormation, as the Serverless transform would make it. Local CodeUri/ContentUri
    paths are replaced by placeholder S3 URIs first (what ``sam package`` does), and kept in ``CodeDirectory``."""
    from samtranslator.translator.transform import transform  # type: ignore[import-untyped]
    from samtranslator.yaml_helper import yaml_parse  # type: ignore[import-untyped]

    template = yaml_parse(path.read_text())
    local: dict[str, str] = {}
    for logical_id, resource in template["Resources"].items():
        properties = resource.get("Properties", {})
        for key in ("CodeUri", "ContentUri"):
            if isinstance(properties.get(key), str) and not properties[key].startswith("s3://"):
                local[logical_id] = properties[key]
                properties[key] = LOCAL_ARTIFACTS + properties[key]
    previous = os.environ.get("AWS_DEFAULT_REGION")
    os.environ["AWS_DEFAULT_REGION"] = region  # the translator reads the region for its pseudo parameters
    try:
        translated: dict[str, Any] = transform(template, {}, _NoManagedPolicies())
    finally:
        if previous is None:
            os.environ.pop("AWS_DEFAULT_REGION", None)
        else:
            os.environ["AWS_DEFAULT_REGION"] = previous
    for logical_id, directory in local.items():
        if logical_id in translated["Resources"]:
            translated["Resources"][logical_id]["CodeDirectory"] = directory
    return translated


_NO_VALUE = object()  # Ref AWS::NoValue: the property or list item is left out


class UnresolvedError(LookupError):
    """A Ref or Fn::GetAtt to a resource that was not created (and given no physical id)."""


@dataclass
class Template:
    """A translated template with values for its parameters, pseudo parameters and created resources."""

    body: dict[str, Any]
    overrides: Mapping[str, str] = field(default_factory=dict)
    region: str = "us-east-1"
    account: str = ACCOUNT_ID
    stack_name: str = STACK_NAME
    physical: dict[str, str] = field(default_factory=dict)  # logical id -> Ref value
    attributes: dict[tuple[str, str], str] = field(default_factory=dict)  # (logical id, attribute) -> value

    @classmethod
    def load(
        cls, path: Path = TEMPLATE, overrides: Mapping[str, str] | None = None, region: str = "us-east-1"
    ) -> Template:
        return cls(translate(path, region), dict(overrides or {}), region)

    @property
    def resources(self) -> dict[str, dict[str, Any]]:
        resources: dict[str, dict[str, Any]] = self.body["Resources"]
        return resources

    def of_type(self, kind: str) -> dict[str, dict[str, Any]]:
        return {logical_id: r for logical_id, r in self.resources.items() if r["Type"] == kind}

    def parameters(self) -> dict[str, str]:
        values = {name: str(p.get("Default", "")) for name, p in self.body.get("Parameters", {}).items()}
        unknown = set(self.overrides) - set(values)
        if unknown:
            raise KeyError(f"not parameters of the template: {sorted(unknown)}")
        return {**values, **self.overrides}

    def pseudo(self) -> dict[str, str]:
        return {
            "AWS::Region": self.region,
            "AWS::AccountId": self.account,
            "AWS::Partition": "aws",
            "AWS::StackName": self.stack_name,
            "AWS::URLSuffix": "amazonaws.com",
        }

    def condition(self, name: str) -> bool:
        return bool(self.resolve(self.body.get("Conditions", {})[name]))

    def resolve(self, node: Any) -> Any:
        """Evaluates the intrinsic functions in ``node``; raises UnresolvedError for a resource not created."""
        if isinstance(node, list):
            return [v for v in (self.resolve(n) for n in node) if v is not _NO_VALUE]
        if not isinstance(node, dict):
            return node
        if len(node) == 1:
            ((key, value),) = node.items()
            if key == "Ref":
                return self._ref(value)
            if key == "Fn::GetAtt":
                logical_id, attribute = value if isinstance(value, list) else value.split(".", 1)
                return self._get_att(logical_id, attribute)
            if key == "Fn::Sub":
                return self._sub(value)
            if key == "Fn::If":
                name, then, otherwise = value
                return self.resolve(then if self.condition(name) else otherwise)
            if key == "Fn::Equals":
                left, right = (self.resolve(v) for v in value)
                return str(left) == str(right)
            if key == "Fn::Not":
                return not self.resolve(value[0])
            if key == "Fn::Join":
                separator, items = value
                return separator.join(str(i) for i in self.resolve(items))
            if key == "Fn::Select":
                index, items = value
                return self.resolve(items)[int(self.resolve(index))]
        resolved = {k: self.resolve(v) for k, v in node.items()}
        return {k: v for k, v in resolved.items() if v is not _NO_VALUE}

    def _ref(self, name: str) -> Any:
        if name == "AWS::NoValue":
            return _NO_VALUE
        parameters = self.parameters()
        if name in parameters:
            return parameters[name]
        if name in self.pseudo():
            return self.pseudo()[name]
        if name in self.physical:
            return self.physical[name]
        raise UnresolvedError(f"Ref {name}: not created here")

    def _get_att(self, logical_id: str, attribute: str) -> str:
        try:
            return self.attributes[(logical_id, attribute)]
        except KeyError:
            raise UnresolvedError(f"Fn::GetAtt {logical_id}.{attribute}: not created here") from None

    def _sub(self, value: str | list[Any]) -> str:
        text, variables = (value, {}) if isinstance(value, str) else (value[0], value[1])
        resolved = {k: str(self.resolve(v)) for k, v in variables.items()}

        def one(name: str) -> str:
            if name in resolved:
                return resolved[name]
            if "." in name and not name.startswith("AWS::"):
                logical_id, attribute = name.split(".", 1)
                return self._get_att(logical_id, attribute)
            return str(self._ref(name))

        out, rest = [], text
        while "${" in rest:
            head, _, tail = rest.partition("${")
            name, _, rest = tail.partition("}")
            out += [head, "${" + name[1:] + "}" if name.startswith("!") else one(name)]
        return "".join([*out, rest])

    def environment(self, function: str, given: Mapping[str, str] | None = None) -> dict[str, str]:
        """The environment variables the template gives a function (Globals merged in by the translator); variables
        in ``given`` take its value instead (and need not be resolvable here)."""
        given = given or {}
        properties = self.resources[function]["Properties"]
        variables = properties.get("Environment", {}).get("Variables", {})
        resolved = {name: str(self.resolve(value)) for name, value in variables.items() if name not in given}
        return {**resolved, **given}

    def handler_path(self, function: str) -> tuple[Path, str]:
        """(file of the handler module, handler function name) of a function."""
        resource = self.resources[function]
        module, _, name = resource["Properties"]["Handler"].rpartition(".")
        return ROOT / resource["CodeDirectory"] / f"{module.replace('.', '/')}.py", name


# ------------------------------------------------------------------------------------------------ deploy


@dataclass
class Deployed:
    template: Template
    queues: dict[str, str] = field(default_factory=dict)  # logical id -> queue URL
    rules: dict[str, str] = field(default_factory=dict)  # logical id -> rule name
    captures: dict[str, str] = field(default_factory=dict)  # rule logical id -> capture queue URL
    parameters: dict[str, str] = field(default_factory=dict)  # logical id -> parameter name

    def environment(self, function: str, given: Mapping[str, str] | None = None) -> dict[str, str]:
        return self.template.environment(function, given)

    @property
    def queue_url(self) -> str:
        return self.queues["ReconcileQueue"]


def clients(endpoint_url: str | None, region: str) -> Callable[[str], Any]:
    """Clients for ``deploy``: one attempt per call against a local AWS (whose unimplemented calls answer HTTP 500,
    which botocore would retry), with fake credentials there when none are configured."""
    config = Config(retries={"mode": "standard", "max_attempts": 1 if endpoint_url else 5})
    credentials: dict[str, str] = {}
    if endpoint_url and boto3.session.Session().get_credentials() is None:
        credentials = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}

    def client(service: str) -> Any:
        return boto3.client(  # type: ignore[call-overload]
            service, region_name=region, endpoint_url=endpoint_url, config=config, **credentials
        )

    return client


def deploy(template: Template, endpoint_url: str | None, *, capture: bool = True) -> Deployed:
    """Creates the queues, tables, buckets, SSM parameters and rules of the template (idempotent: create-or-keep).

    ``capture``: every pattern rule gets an SQS capture queue as its target (the tests read what it matched).
    """
    client = clients(endpoint_url, template.region)
    sqs, ssm, events = client("sqs"), client("ssm"), client("events")
    deployed = Deployed(template)
    queues = template.of_type("AWS::SQS::Queue")
    for logical_id, resource in queues.items():
        properties = resource.get("Properties", {})
        fifo = bool(properties.get("FifoQueue"))
        name = f"{template.stack_name}-{logical_id}" + (".fifo" if fifo else "")
        attributes = {
            key: _attribute(template.resolve(properties[key]))
            for key in (
                "FifoQueue",
                "ContentBasedDeduplication",
                "DeduplicationScope",
                "FifoThroughputLimit",
                "VisibilityTimeout",
                "MessageRetentionPeriod",
            )
            if key in properties
        }
        url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        deployed.queues[logical_id] = url
        template.physical[logical_id] = url
        template.attributes[(logical_id, "Arn")] = arn
        template.attributes[(logical_id, "QueueName")] = name
        template.attributes[(logical_id, "QueueUrl")] = url
    for logical_id, resource in queues.items():  # redrive after every queue exists
        redrive = resource.get("Properties", {}).get("RedrivePolicy")
        if redrive is not None:
            policy = json.dumps(template.resolve(redrive))
            sqs.set_queue_attributes(QueueUrl=deployed.queues[logical_id], Attributes={"RedrivePolicy": policy})

    for logical_id, resource in template.of_type("AWS::DynamoDB::Table").items():
        properties = template.resolve(resource["Properties"])
        name = f"{template.stack_name}-{logical_id}"
        arn = create_table(client("dynamodb"), name, properties)
        template.physical[logical_id] = name
        template.attributes[(logical_id, "Arn")] = arn

    for logical_id in template.of_type("AWS::S3::Bucket"):
        name = create_bucket(client("s3"), f"{template.stack_name}-{logical_id}")
        template.physical[logical_id] = name
        template.attributes[(logical_id, "Arn")] = f"arn:aws:s3:::{name}"

    for logical_id, resource in template.of_type("AWS::SSM::Parameter").items():
        properties = template.resolve(resource["Properties"])
        ssm.put_parameter(Name=properties["Name"], Value=properties["Value"], Type=properties["Type"], Overwrite=True)
        deployed.parameters[logical_id] = properties["Name"]
        template.physical[logical_id] = properties["Name"]

    for logical_id, resource in template.of_type("AWS::Events::Rule").items():
        properties = resource["Properties"]
        name = f"{template.stack_name}-{logical_id}"[:64]
        rule: dict[str, Any] = {"Name": name, "State": properties.get("State", "ENABLED")}
        if "EventPattern" in properties:
            rule["EventPattern"] = json.dumps(template.resolve(properties["EventPattern"]))
        if "ScheduleExpression" in properties:
            rule["ScheduleExpression"] = template.resolve(properties["ScheduleExpression"])
        events.put_rule(**rule)
        deployed.rules[logical_id] = name
        if capture and "EventPattern" in properties:
            url = sqs.create_queue(QueueName=f"capture-{logical_id}"[:80])["QueueUrl"]
            arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
            events.put_targets(Rule=name, Targets=[{"Id": "capture", "Arn": arn}])
            deployed.captures[logical_id] = url
    return deployed


def create_bucket(s3: Any, name: str) -> str:
    """Creates the bucket, or keeps it; returns its name (bucket names: lower case, at most 63 characters)."""
    name = name.lower()[:63]
    try:
        s3.create_bucket(Bucket=name)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") != "BucketAlreadyOwnedByYou":
            raise
    return name


def create_table(dynamodb: Any, name: str, properties: Mapping[str, Any]) -> str:
    """Creates the table as the template declares it (key, billing, time to live), or keeps it; returns its ARN."""
    try:
        dynamodb.create_table(
            TableName=name,
            AttributeDefinitions=properties["AttributeDefinitions"],
            KeySchema=properties["KeySchema"],
            BillingMode=properties.get("BillingMode", "PAY_PER_REQUEST"),
        )
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") != "ResourceInUseException":
            raise
    else:
        if "TimeToLiveSpecification" in properties:
            dynamodb.update_time_to_live(TableName=name, TimeToLiveSpecification=properties["TimeToLiveSpecification"])
    return str(dynamodb.describe_table(TableName=name)["Table"]["TableArn"])


def _attribute(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def put_event(events: Any, event: Mapping[str, Any]) -> None:
    """PutEvents of a full event as AWS would deliver it (source, detail-type, detail, resources, time)."""
    from autoscaler.events import parse_time

    entry: dict[str, Any] = {
        "Source": event["source"],
        "DetailType": event["detail-type"],
        "Detail": json.dumps(event.get("detail", {})),
        "Resources": list(event.get("resources", ())),
    }
    when = parse_time(event.get("time"))
    if when is not None:
        entry["Time"] = when
    result = events.put_events(Entries=[entry])
    if result.get("FailedEntryCount"):
        raise RuntimeError(f"PutEvents failed: {result['Entries']}")


# ------------------------------------------------------------------------------------------------ functions


@dataclass
class LambdaContext:
    """The parts of Lambda's context object that handlers and Powertools read."""

    function_name: str
    memory_limit_in_mb: int = 256
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    log_group_name: str = ""
    log_stream_name: str = ""

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:us-east-1:{ACCOUNT_ID}:function:{self.function_name}"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 60_000


@contextmanager
def patched_environ(values: Mapping[str, str], remove: Iterable[str] = ()) -> Iterator[None]:
    """Sets ``values`` and unsets ``remove`` in os.environ for the block; restores all of them (and nothing else)."""
    removed = tuple(remove)
    saved = {name: os.environ.get(name) for name in (*values, *removed)}
    for name in removed:
        os.environ.pop(name, None)
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


class Function:
    """One function's handler, loaded as its own module (so its cached clients are its own), run in-process with the
    template's environment for it, plus ``extra`` (e.g. AWS_ENDPOINT_URL of a local AWS)."""

    def __init__(self, template: Template, logical_id: str, extra: Mapping[str, str] | None = None) -> None:
        self.logical_id = logical_id
        self.environment = template.environment(logical_id, extra)
        path, self.handler_name = template.handler_path(logical_id)
        with patched_environ(self.environment):  # modules may read settings at import (Powertools does)
            self.module = _load_module(path, f"_function_{logical_id}_{uuid.uuid4().hex}")

    def __call__(self, event: Any) -> Any:
        with patched_environ(self.environment):
            return getattr(self.module, self.handler_name)(copy.deepcopy(event), LambdaContext(self.logical_id))


def _load_module(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


class EventSourceMapping:
    """Lambda's SQS event source mapping, played locally: receive up to ``batch_size`` messages, deliver them as one
    SQS event, delete what succeeded (ReportBatchItemFailures), leave the failures to return after the visibility
    timeout, and delete nothing when the handler raises."""

    def __init__(
        self, sqs: Any, queue_url: str, handler: Callable[[dict[str, Any]], Any], batch_size: int = 10
    ) -> None:
        self.sqs = sqs
        self.queue_url = queue_url
        self.handler = handler
        self.batch_size = batch_size
        self.queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"][
            "QueueArn"
        ]
        self.delivered: list[dict[str, Any]] = []  # every event delivered, in order
        self.failed: list[str] = []  # message ids reported failed or left by a raising handler

    def poll_once(self) -> int:
        """One receive and delivery; returns how many messages were delivered."""
        received = self.sqs.receive_message(
            QueueUrl=self.queue_url,
            MaxNumberOfMessages=self.batch_size,
            MessageSystemAttributeNames=["All"],
            MessageAttributeNames=["All"],
            WaitTimeSeconds=0,
        ).get("Messages", [])
        if not received:
            return 0
        event = {"Records": [self._record(m) for m in received]}
        self.delivered.append(event)
        try:
            response = self.handler(event)
        except Exception:
            self.failed += [m["MessageId"] for m in received]
            return len(received)
        failures = {f["itemIdentifier"] for f in (response or {}).get("batchItemFailures", ())}
        self.failed += sorted(failures)
        done = [m for m in received if m["MessageId"] not in failures]
        if done:
            self.sqs.delete_message_batch(
                QueueUrl=self.queue_url,
                Entries=[{"Id": str(n), "ReceiptHandle": m["ReceiptHandle"]} for n, m in enumerate(done)],
            )
        return len(received)

    def drain(self, max_batches: int = 100) -> int:
        """Polls until a receive finds nothing visible; returns how many messages were delivered."""
        total = 0
        for _ in range(max_batches):
            count = self.poll_once()
            if not count:
                return total
            total += count
        raise RuntimeError(f"queue not drained after {max_batches} batches")

    def _record(self, message: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "messageId": message["MessageId"],
            "receiptHandle": message["ReceiptHandle"],
            "body": message["Body"],
            "attributes": dict(message.get("Attributes", {})),
            "messageAttributes": dict(message.get("MessageAttributes", {})),
            "md5OfBody": message.get("MD5OfBody", ""),
            "eventSource": "aws:sqs",
            "eventSourceARN": self.queue_arn,
            "awsRegion": self.queue_arn.split(":")[3],
        }
