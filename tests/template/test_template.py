"""template.yaml as CloudFormation will see it (translated by aws-sam-translator): runtime, queue, rules, failure paths,
parameters and IAM. `sam validate --lint` and `sam build` run from the Makefile (make validate / make build)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from autoscaler import refusals
from autoscaler.constants import DIMENSION_COPY_COUNT, DIMENSION_INSTANCE_COUNT, DIMENSION_PROVISIONED_CONCURRENCY
from autoscaler.event_sources import SOURCES
from autoscaler.settings import Settings
from autoscaler.spec import VariantKind
from localaws.pipeline import TEMPLATE, Template

from .aws_calls import actions_called, adapter_operations, reachable_operations

ROOT = Path(__file__).parents[2]
RAW = TEMPLATE.read_text()
FUNCTIONS = ("RouterFunction", "ReconcilerFunction", "SweeperFunction", "CapacityFunction")
ROLES = {
    "RouterFunction": "RouterRole",
    "ReconcilerFunction": "ReconcilerRole",
    "SweeperFunction": "SweeperRole",
    "CapacityFunction": "CapacityRole",
}
ACCOUNT_ARN = "arn:aws:{service}:us-east-1:123456789012:"

# Actions granted on "*", each with why: IAM supports no resource-level permission for them (Service Authorization
# Reference), or AWS checks them with a call that names no resource.
UNSCOPABLE = {
    "sagemaker:ListEndpoints",  # list action
    "sagemaker:ListInferenceComponents",  # list action
    "sagemaker:Search",  # no resource type
    "tag:GetResources",  # the Tagging API has no resource types
    "cloudwatch:DescribeAlarms",  # lists every alarm (AAS user guide example policy)
    # AAS user guide, Permissions validation for API calls on target resources: "We call the PutMetricAlarm API without
    # any parameters"; "we provide no parameters to DeleteAlarms request".
    "cloudwatch:PutMetricAlarm",
    "cloudwatch:DeleteAlarms",
    "ec2:DescribeInstanceTypes",  # describe action
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    # Service Authorization Reference, "Actions, resources, and condition keys for AWS Application Auto Scaling": the
    # Describe* actions have no resource type.
    "application-autoscaling:DescribeScalableTargets",
    "application-autoscaling:DescribeScalingPolicies",
    "application-autoscaling:DescribeScheduledActions",
    # Service Authorization Reference, "Actions, resources, and condition keys for Service Quotas": read actions on
    # quota values, granted on "*" (the sweep reads one quota: autoscaler/quota.py).
    "servicequotas:GetServiceQuota",
    "servicequotas:GetAWSDefaultServiceQuota",
}
# The same reference: the actions that support application-autoscaling:service-namespace and :scalable-dimension (a
# condition on any other action would deny it), all on the scalable-target resource type.
AAS_WRITES = {
    f"application-autoscaling:{verb}"
    for verb in (
        "RegisterScalableTarget",
        "DeregisterScalableTarget",
        "PutScalingPolicy",
        "DeleteScalingPolicy",
        "PutScheduledAction",
        "DeleteScheduledAction",
    )
}
SCALABLE_TARGETS = "arn:aws:application-autoscaling:us-east-1:123456789012:scalable-target/*"
# What Application Auto Scaling checks of its callers before it acts (AAS user guide, Permissions validation for API
# calls on target resources): for SageMaker variants, what its identity-based policy example for SageMaker endpoints
# grants (AAS user guide, Application Auto Scaling identity-based policy examples); for inference components, what AWS
# added to the service-linked role's policy (AWS Managed Policy Reference,
# AWSApplicationAutoscalingSageMakerEndpointPolicy); CloudWatch's for every target.
AAS_CHECKS_VARIANTS = {
    "sagemaker:DescribeEndpoint",
    "sagemaker:DescribeEndpointConfig",
    "sagemaker:UpdateEndpointWeightsAndCapacities",
}
AAS_CHECKS_COMPONENTS = {"sagemaker:DescribeInferenceComponent", "sagemaker:UpdateInferenceComponentRuntimeConfig"}
AAS_CHECKS_CLOUDWATCH = {"cloudwatch:DescribeAlarms", "cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms"}
# What Lambda itself needs of an execution role: the log group (AWS Lambda Developer Guide, execution role), the SQS
# event source mapping's three ("Using AWS Lambda with Amazon SQS": "Lambda needs the following permissions to manage
# messages in your Amazon SQS queue"), the failure destination of asynchronous invocations, and X-Ray when tracing.
LAMBDA_NEEDS = {
    "RouterFunction": {"sqs:SendMessage"},
    "ReconcilerFunction": {"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"},
    # and the sweep queue's event source mapping (the same three as the reconciler's).
    "SweeperFunction": {"sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"},
    "CapacityFunction": set(),
}
LAMBDA_NEEDS_EVERYWHERE = {
    "logs:CreateLogStream",
    "logs:PutLogEvents",
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
}
HANDLERS = {f: ROOT / "functions" / f.removesuffix("Function").lower() / "app.py" for f in FUNCTIONS}


@pytest.fixture(scope="module")
def template() -> Template:
    deployed = Template.load()
    # What CloudFormation would give the resources the statements reference.
    for logical_id, resource in deployed.resources.items():
        deployed.physical[logical_id] = logical_id
        if resource["Type"] == "AWS::SQS::Queue":
            deployed.attributes[(logical_id, "Arn")] = f"{ACCOUNT_ARN.format(service='sqs')}{logical_id}"
            deployed.attributes[(logical_id, "QueueName")] = logical_id
        if resource["Type"] == "AWS::Logs::LogGroup":
            deployed.attributes[(logical_id, "Arn")] = f"{ACCOUNT_ARN.format(service='logs')}log-group:{logical_id}:*"
        if resource["Type"] in ("AWS::Lambda::Function", "AWS::IAM::Role"):
            deployed.attributes[(logical_id, "Arn")] = f"arn:aws:lambda:us-east-1:123456789012:function:{logical_id}"
        if resource["Type"] == "AWS::S3::Bucket":
            deployed.attributes[(logical_id, "Arn")] = f"arn:aws:s3:::{logical_id}"
        if resource["Type"] == "AWS::DynamoDB::Table":
            deployed.attributes[(logical_id, "Arn")] = f"{ACCOUNT_ARN.format(service='dynamodb')}table/{logical_id}"
    return deployed


def statements(template: Template, function: str) -> list[dict[str, Any]]:
    role = template.resolve(template.resources[ROLES[function]]["Properties"])
    assert "ManagedPolicyArns" not in role, "managed policies are not scoped to this stack"
    # The role's inline policies, and the policies of their own attached to it (AWS::IAM::Policy).
    attached = [
        {"PolicyDocument": template.resolve(r["Properties"]["PolicyDocument"])}
        for r in template.of_type("AWS::IAM::Policy").values()
        if {"Ref": ROLES[function]} in r["Properties"]["Roles"]
    ]
    found = []
    for policy in [*role["Policies"], *attached]:
        for statement in policy["PolicyDocument"]["Statement"]:
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
            found.append({**statement, "Action": actions, "Resource": resources})
    return found


def granted(template: Template, function: str) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for statement in statements(template, function):
        assert statement["Effect"] == "Allow"
        for action in statement["Action"]:
            for resource in statement["Resource"]:
                yield action, resource, statement.get("Condition", {})


# --- runtime and build ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("function", FUNCTIONS)
def test_function_runs_python_3_13_on_arm64_with_the_common_layer(template: Template, function: str) -> None:
    properties = template.resources[function]["Properties"]

    assert properties["Runtime"] == "python3.13"
    assert properties["Architectures"] == ["arm64"]
    assert len(properties["Layers"]) == 1
    assert properties["TracingConfig"] == {"Mode": {"Ref": "Tracing"}}


def test_layer_is_built_for_python_3_13_on_arm64() -> None:
    raw = Template.load().body  # translated; the layer's logical id gets a hash suffix
    (layer,) = [r for r in raw["Resources"].values() if r["Type"] == "AWS::Lambda::LayerVersion"]

    assert layer["Properties"]["CompatibleRuntimes"] == ["python3.13"]
    assert layer["Properties"]["CompatibleArchitectures"] == ["arm64"]


@pytest.mark.parametrize(
    ("logical_id", "directory"),
    [(f, f"functions/{f.removesuffix('Function').lower()}") for f in FUNCTIONS] + [("CommonLayer", "layers/common")],
)
def test_every_artifact_is_built_by_make_without_docker(logical_id: str, directory: str) -> None:
    block = RAW.split(f"\n  {logical_id}:\n", 1)[1].split("\n\n", 1)[0]
    makefile = (ROOT / directory / "Makefile").read_text()

    assert "BuildMethod: makefile" in block
    assert re.search(rf"^build-{logical_id}:", makefile, re.MULTILINE)


def test_layer_build_installs_only_binary_wheels_for_the_lambda_platform() -> None:
    makefile = (ROOT / "layers/common/Makefile").read_text()

    for flag in ("--platform manylinux2014_aarch64", "--only-binary=:all:", "--python-version 3.13", "--no-compile"):
        assert flag in makefile
    assert "$(ARTIFACTS_DIR)/python/autoscaler" in makefile


# --- parameters and settings ------------------------------------------------------------------------------------------


def referenced(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "Ref" and isinstance(value, str):
                yield value
            elif key == "Fn::Sub":
                text = value if isinstance(value, str) else value[0]
                yield from re.findall(r"\$\{([A-Za-z0-9:]+)", text)
                if not isinstance(value, str):
                    yield from referenced(value[1])
            else:
                yield from referenced(value)
    elif isinstance(node, list):
        for item in node:
            yield from referenced(item)


def test_every_parameter_is_used(template: Template) -> None:
    body = {k: v for k, v in template.body.items() if k != "Parameters"}

    assert set(template.body["Parameters"]) - set(referenced(body)) == set()


def test_design_parameters_exist(template: Template) -> None:
    wanted = {
        "TagPrefix",
        "ProfilePrefix",
        "NamePrefix",
        "MaxCapacityCeiling",
        "DryRun",
        "SweepSchedule",
        "WriteStatusTags",
        "LogLevel",
        "ReconcilerConcurrency",
        "Tracing",
    }

    assert wanted <= set(template.body["Parameters"])


@pytest.mark.parametrize("function", FUNCTIONS)
def test_functions_get_the_stack_parameters_as_their_settings(function: str) -> None:
    overrides = {
        "TagPrefix": "scaling",
        "ProfilePrefix": "/team/profiles",
        "NamePrefix": "team-a",
        "MaxCapacityCeiling": "40",
        "DryRun": "true",
        "WriteStatusTags": "true",
        "DefaultMin": "2",
        "DefaultMax": "6",
        "DefaultTargetInvocations": "90",
    }
    template = Template.load(overrides=overrides)
    queue = "https://sqs.us-east-1.amazonaws.com/123456789012/q.fifo"
    template.physical["ReconcileQueue"] = queue
    template.physical["RefusalsTable"] = "refusals"
    template.physical.update({"SweepBucket": "sweep-bucket", "SweepQueue": "sweep-queue", "SweepTable": "sweep-table"})

    settings = Settings.from_env(template.environment(function))

    assert settings == Settings(
        tag_prefix="scaling",
        profile_prefix="/team/profiles",
        name_prefix="team-a",
        max_capacity_ceiling=40,
        dry_run=True,
        write_status_tags=True,
        queue_url=queue if function in ("RouterFunction", "SweeperFunction") else "",  # the functions that enqueue
        refusals_table="refusals" if function in ("ReconcilerFunction", "SweeperFunction") else "",
        **(
            {"sweep_bucket": "sweep-bucket", "sweep_queue_url": "sweep-queue", "sweep_table": "sweep-table"}
            if function == "SweeperFunction"  # where a sweep too large for one invocation continues
            else {}
        ),
    )


@pytest.mark.parametrize("function", FUNCTIONS)
def test_powertools_is_configured_for_every_function(template: Template, function: str) -> None:
    environment = template.environment(function, {"QUEUE_URL": "q"})

    assert environment["POWERTOOLS_SERVICE_NAME"] == "sagemaker-autoscaler"
    assert environment["POWERTOOLS_METRICS_NAMESPACE"] == "SageMakerAutoscaler"
    assert environment["POWERTOOLS_LOG_LEVEL"] == "INFO"


def test_router_and_sweeper_know_the_queue(template: Template) -> None:
    for function in ("RouterFunction", "SweeperFunction"):
        assert template.resources[function]["Properties"]["Environment"]["Variables"]["QUEUE_URL"] == {
            "Ref": "ReconcileQueue"
        }


def test_default_profile_parameter_holds_the_default_parameters_as_json(template: Template) -> None:
    import json

    parameter = template.resolve(template.resources["DefaultProfile"]["Properties"])

    assert parameter["Name"] == "/sagemaker-autoscaler/profiles/default"
    assert parameter["Type"] == "String"
    assert json.loads(parameter["Value"]) == {
        "version": 1,
        "min": 1,
        "max": 4,
        "target_tracking": [{"metric": "invocations", "target": 70}],
    }


# --- queue and event source -------------------------------------------------------------------------------------------


def test_reconcile_queue_is_fifo_with_a_fifo_dead_letter_queue(template: Template) -> None:
    queue = template.resolve(template.resources["ReconcileQueue"]["Properties"])
    dead_letters = template.resources["ReconcileDeadLetterQueue"]["Properties"]

    assert queue["FifoQueue"] is True
    assert queue["ContentBasedDeduplication"] is False  # the router gives event id + endpoint
    assert dead_letters["FifoQueue"] is True
    assert queue["RedrivePolicy"]["deadLetterTargetArn"].endswith("ReconcileDeadLetterQueue")
    assert int(queue["RedrivePolicy"]["maxReceiveCount"]) == 5


def test_reconciler_event_source_is_fifo_shaped_and_bounded(template: Template) -> None:
    (mapping,) = [
        m
        for m in template.of_type("AWS::Lambda::EventSourceMapping").values()
        if m["Properties"]["EventSourceArn"] == {"Fn::GetAtt": ["ReconcileQueue", "Arn"]}
    ]
    properties = mapping["Properties"]
    queue = template.resources["ReconcileQueue"]["Properties"]

    assert properties["BatchSize"] <= 10
    assert "MaximumBatchingWindowInSeconds" not in properties
    assert properties["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert properties["ScalingConfig"] == {"MaximumConcurrency": {"Ref": "ReconcilerConcurrency"}}
    assert template.body["Parameters"]["ReconcilerConcurrency"]["MinValue"] == 2
    # Lambda developer guide: at least six times the function timeout.
    assert queue["VisibilityTimeout"] >= 6 * template.resources["ReconcilerFunction"]["Properties"]["Timeout"]


def test_sweep_steps_are_bounded_one_a_time_dead_lettered_and_alarmed(template: Template) -> None:
    (mapping,) = [
        m
        for m in template.of_type("AWS::Lambda::EventSourceMapping").values()
        if m["Properties"]["EventSourceArn"] == {"Fn::GetAtt": ["SweepQueue", "Arn"]}
    ]
    queue = template.resources["SweepQueue"]["Properties"]
    sweeper = template.body["Resources"]["SweeperFunction"]["Properties"]
    parameters = template.body["Parameters"]

    assert mapping["Properties"]["BatchSize"] == 1  # one step, one budget
    assert mapping["Properties"]["ScalingConfig"] == {"MaximumConcurrency": {"Ref": "SweeperConcurrency"}}
    assert (sweeper["Timeout"], sweeper["MemorySize"]) == ({"Ref": "SweeperTimeout"}, {"Ref": "SweeperMemory"})
    # Lambda requires the queue's visibility timeout to be at least the function's: six times the largest allowed.
    assert queue["VisibilityTimeout"] >= 6 * parameters["SweeperTimeout"]["MaxValue"]
    assert queue["RedrivePolicy"]["deadLetterTargetArn"] == {"Fn::GetAtt": ["SweepDeadLetterQueue", "Arn"]}
    assert alarmed(
        template, "ApproximateNumberOfMessagesVisible", {"Fn::GetAtt": ["SweepDeadLetterQueue", "QueueName"]}
    )  # type: ignore[arg-type]


def test_sweep_bucket_is_private_encrypted_and_expires_its_reads(template: Template) -> None:
    bucket = template.resources["SweepBucket"]["Properties"]

    assert all(bucket["PublicAccessBlockConfiguration"].values())
    assert bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"]
    assert bucket["LifecycleConfiguration"]["Rules"] == [
        {"Id": "ExpireSweepReads", "Status": "Enabled", "ExpirationInDays": 1}
    ]


def test_cloudtrail_rule_takes_tag_and_inference_component_calls_and_excludes_failed_ones(template: Template) -> None:
    pattern = template.resources["RouterFunctionSageMakerCallViaCloudTrail"]["Properties"]["EventPattern"]

    assert pattern["detail"]["errorCode"] == [{"exists": False}]
    assert pattern["detail"]["eventName"] == [
        "AddTags",
        "DeleteTags",
        "CreateInferenceComponent",
        "UpdateInferenceComponent",
        "UpdateInferenceComponentRuntimeConfig",
        "DeleteInferenceComponent",
    ]


def test_tag_change_rule_takes_endpoints_and_inference_components(template: Template) -> None:
    pattern = template.resources["RouterFunctionTagChangeOnResource"]["Properties"]["EventPattern"]

    assert pattern["detail"] == {"service": ["sagemaker"], "resource-type": ["endpoint", "inference-component"]}


def test_router_may_make_every_lookup_routing_needs_and_nothing_else(template: Template) -> None:
    sagemaker = "arn:aws:sagemaker:us-east-1:123456789012:"
    granted_to_router = {
        (a, r) for a, r, _ in granted(template, "RouterFunction") if not a.startswith(("logs:", "sqs:"))
    }

    assert granted_to_router == {
        ("sagemaker:DescribeEndpoint", f"{sagemaker}endpoint/*"),
        ("sagemaker:Search", "*"),
        ("tag:GetResources", "*"),
        ("sagemaker:DescribeInferenceComponent", f"{sagemaker}inference-component/*"),
        ("sagemaker:ListInferenceComponents", "*"),
        ("cloudwatch:DescribeAlarms", "*"),
    }


def test_every_trigger_of_the_design_has_a_rule(template: Template) -> None:
    rules = template.of_type("AWS::Events::Rule").values()
    kinds = {
        (tuple(r["Properties"]["EventPattern"]["source"]), tuple(r["Properties"]["EventPattern"]["detail-type"]))
        for r in rules
        if "EventPattern" in r["Properties"]
    }

    assert {
        (("aws.sagemaker",), ("SageMaker Endpoint State Change",)),
        (("aws.sagemaker",), ("AWS API Call via CloudTrail",)),
        (("aws.tag",), ("Tag Change on Resource",)),
        (("aws.ssm",), ("Parameter Store Change",)),
    } <= kinds
    # and every event source the router parses has its rule, and no rule sends one it does not parse (the schedule
    # is the sweeper's)
    assert kinds == {((source,), (detail_type,)) for source, detail_type in SOURCES if source != "aws.events"}
    assert [r["Properties"]["ScheduleExpression"] for r in rules if "ScheduleExpression" in r["Properties"]] == [
        {"Ref": "SweepSchedule"}
    ]


# --- failures land somewhere ------------------------------------------------------------------------------------------


def alarmed(template: Template, metric: str, dimension_value: str) -> bool:
    for alarm in template.of_type("AWS::CloudWatch::Alarm").values():
        properties = alarm["Properties"]
        values = [d["Value"] for d in properties.get("Dimensions", ())]
        if properties.get("MetricName") == metric and any(v == dimension_value for v in values):
            return True
    return False


@pytest.mark.parametrize("function", FUNCTIONS)
def test_every_function_has_error_and_throttle_alarms(template: Template, function: str) -> None:
    assert alarmed(template, "Errors", {"Ref": function})  # type: ignore[arg-type]
    assert alarmed(template, "Throttles", {"Ref": function})  # type: ignore[arg-type]


def test_every_rule_target_has_retries_and_a_dead_letter_queue_with_an_alarm(template: Template) -> None:
    for logical_id, rule in template.of_type("AWS::Events::Rule").items():
        for target in rule["Properties"]["Targets"]:
            assert "RetryPolicy" in target, logical_id
            assert target["DeadLetterConfig"]["Arn"] == {"Fn::GetAtt": ["FailedEventsQueue", "Arn"]}, logical_id
    assert alarmed(template, "ApproximateNumberOfMessagesVisible", {"Fn::GetAtt": ["FailedEventsQueue", "QueueName"]})  # type: ignore[arg-type]


def test_asynchronously_invoked_functions_send_failures_to_a_queue(template: Template) -> None:
    targets = {
        t["Arn"]["Fn::GetAtt"][0]
        for rule in template.of_type("AWS::Events::Rule").values()
        for t in rule["Properties"]["Targets"]
    }
    configs = {
        c["Properties"]["FunctionName"]["Ref"]: c["Properties"]
        for c in template.of_type("AWS::Lambda::EventInvokeConfig").values()
    }

    assert targets == {"RouterFunction", "SweeperFunction"}
    for function in targets:
        destination = configs[function]["DestinationConfig"]["OnFailure"]["Destination"]
        assert destination == {"Fn::GetAtt": ["FailedEventsQueue", "Arn"]}


def test_reconcile_failures_end_in_the_dead_letter_queue_which_is_alarmed(template: Template) -> None:
    queue_name = {"Fn::GetAtt": ["ReconcileDeadLetterQueue", "QueueName"]}

    assert alarmed(template, "ApproximateNumberOfMessagesVisible", queue_name)  # type: ignore[arg-type]


def test_sweep_heartbeat_and_reject_rate_are_alarmed(template: Template) -> None:
    alarms = {
        a["Properties"]["MetricName"]: a["Properties"] for a in template.of_type("AWS::CloudWatch::Alarm").values()
    }

    assert alarms["SweepHeartbeat"]["TreatMissingData"] == "breaching"
    assert alarms["SweepHeartbeat"]["ComparisonOperator"] == "LessThanThreshold"
    assert alarms["Rejects"]["Namespace"] == {"Ref": "MetricsNamespace"}


def test_scalable_target_quota_is_alarmed_before_it_is_reached(template: Template) -> None:
    (alarm,) = [
        a["Properties"]
        for a in template.of_type("AWS::CloudWatch::Alarm").values()
        if a["Properties"]["MetricName"] == "ScalableTargetsQuotaUsage"  # what autoscaler/quota.py publishes
    ]
    threshold = template.body["Parameters"]["ScalableTargetsAlarmPercent"]

    assert alarm["Threshold"] == {"Ref": "ScalableTargetsAlarmPercent"}
    assert threshold["Default"] == 80
    assert threshold["MaxValue"] == 100
    assert alarm["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
    assert alarm["Namespace"] == {"Ref": "MetricsNamespace"}
    assert alarm["Dimensions"] == [{"Name": "service", "Value": "sagemaker-autoscaler"}]


def test_the_dashboard_is_valid_json_naming_the_controllers_metrics(template: Template) -> None:
    import json

    body = json.loads(template.resolve(template.resources["Dashboard"]["Properties"]["DashboardBody"]))
    text = json.dumps(body)

    for metric in ("Reconciles", "Writes", "Rejects", "SweepHeartbeat", "ReconcileDuration", "Errors", "Throttles"):
        assert f'"{metric}"' in text
    for metric in ("RoutedEndpoints", "DroppedEvents", "DroppedEndpoints", "DroppedMessages"):  # bad input, counted
        assert f'"{metric}"' in text
    for metric in ("ScalableTargets", "ScalableTargetsQuota", "ScalableTargetsQuotaUsage"):  # autoscaler/quota.py
        assert f'"{metric}"' in text


# --- IAM ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("function", FUNCTIONS)
def test_no_wildcard_actions(template: Template, function: str) -> None:
    for action, _, _ in granted(template, function):
        assert "*" not in action, action


@pytest.mark.parametrize("function", FUNCTIONS)
def test_unscoped_resources_only_for_actions_aws_cannot_scope(template: Template, function: str) -> None:
    for action, resource, _ in granted(template, function):
        if resource == "*":
            assert action in UNSCOPABLE, action


def test_every_unscoped_resource_is_commented_with_the_aws_reason() -> None:
    lines = RAW.splitlines()
    stars = [n for n, line in enumerate(lines) if re.fullmatch(r'\s*Resource: "\*"', line)]

    assert stars
    for number in stars:
        assert lines[number - 1].strip().startswith("#"), f"template.yaml line {number + 1}"


@pytest.mark.parametrize("function", FUNCTIONS)
def test_sagemaker_resources_are_this_accounts_endpoints(template: Template, function: str) -> None:
    for action, resource, _ in granted(template, function):
        if action.startswith("sagemaker:") and resource != "*":
            assert re.fullmatch(
                r"arn:aws:sagemaker:us-east-1:123456789012:(endpoint|endpoint-config|inference-component)/\*", resource
            )


def test_tag_writes_are_limited_to_the_keys_the_controller_writes(template: Template) -> None:
    writes = {
        function: [
            (a, c) for a, _, c in granted(template, function) if a in ("sagemaker:AddTags", "sagemaker:DeleteTags")
        ]
        for function in FUNCTIONS
    }

    assert {f for f, w in writes.items() if w} == {"ReconcilerFunction", "CapacityFunction"}
    reconciler = dict(writes["ReconcilerFunction"])
    assert sorted(reconciler) == ["sagemaker:AddTags", "sagemaker:DeleteTags"]
    assert reconciler["sagemaker:AddTags"] == {
        "ForAllValues:StringEquals": {"aws:TagKeys": ["autoscaling:status", "autoscaling:status-reason"]},
        "Null": {"aws:TagKeys": "false"},
    }
    assert reconciler["sagemaker:DeleteTags"] == {  # expired capacity holds
        "ForAllValues:StringLike": {"aws:TagKeys": ["autoscaling:*:hold"]},
        "Null": {"aws:TagKeys": "false"},
    }
    for _, condition in writes["CapacityFunction"]:
        assert condition["ForAllValues:StringLike"]["aws:TagKeys"] == ["autoscaling:*:hold"]
        assert condition["Null"] == {"aws:TagKeys": "false"}


SAGEMAKER = "arn:aws:sagemaker:us-east-1:123456789012:"
ENDPOINTS, CONFIGS, COMPONENTS = (
    f"{SAGEMAKER}endpoint/*",
    f"{SAGEMAKER}endpoint-config/*",
    f"{SAGEMAKER}inference-component/*",
)
QUEUE = "arn:aws:sqs:us-east-1:123456789012:"
PROFILES = "arn:aws:ssm:us-east-1:123456789012:parameter/sagemaker-autoscaler/profiles/*"
ONLY_SAGEMAKER = {"application-autoscaling:service-namespace": "sagemaker"}
STATUS_KEYS = {
    "ForAllValues:StringEquals": {"aws:TagKeys": ["autoscaling:status", "autoscaling:status-reason"]},
    "Null": {"aws:TagKeys": "false"},
}
HOLD_KEYS = {"ForAllValues:StringLike": {"aws:TagKeys": ["autoscaling:*:hold"]}, "Null": {"aws:TagKeys": "false"}}
SERVICE_LINKED_ROLE = (
    "arn:aws:iam::123456789012:role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/"
    "AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint"
)
NO_CONDITION: dict[str, Any] = {}


def logs(function: str) -> set[tuple[str, str, str]]:
    log_group = f"arn:aws:logs:us-east-1:123456789012:log-group:{function.removesuffix('Function')}LogGroup:*"
    return grants(["logs:CreateLogStream", "logs:PutLogEvents"], [log_group])


def grants(
    actions: list[str], resources: list[str], condition: dict[str, Any] = NO_CONDITION
) -> set[tuple[str, str, str]]:
    return {(a, r, json.dumps(condition, sort_keys=True)) for a in actions for r in resources}


SWEEP_TABLE = "arn:aws:dynamodb:us-east-1:123456789012:table/SweepTable"  # the sweep's lock and counts
REFUSALS = "arn:aws:dynamodb:us-east-1:123456789012:table/RefusalsTable"  # the sweep reads, the reconciler writes
DESCRIBE_SCALING = [
    "application-autoscaling:DescribeScalableTargets",
    "application-autoscaling:DescribeScalingPolicies",
    "application-autoscaling:DescribeScheduledActions",
]
ALARMS = ["cloudwatch:DescribeAlarms", "cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms"]
# The documented set of each role: action, resource, condition (the reason for each sits beside it in template.yaml).
DOCUMENTED = {
    "RouterFunction": logs("RouterFunction")
    | grants(["sqs:SendMessage"], [f"{QUEUE}FailedEventsQueue", f"{QUEUE}ReconcileQueue"])
    | grants(["sagemaker:Search", "sagemaker:ListInferenceComponents", "tag:GetResources"], ["*"])
    | grants(["sagemaker:DescribeEndpoint"], [ENDPOINTS])
    | grants(["sagemaker:DescribeInferenceComponent"], [COMPONENTS])
    | grants(["cloudwatch:DescribeAlarms"], ["*"]),
    "ReconcilerFunction": logs("ReconcilerFunction")
    | grants(["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"], [f"{QUEUE}ReconcileQueue"])
    | grants(["sagemaker:DescribeEndpoint", "sagemaker:UpdateEndpointWeightsAndCapacities"], [ENDPOINTS])
    | grants(["sagemaker:DescribeEndpointConfig"], [CONFIGS])
    | grants(["sagemaker:ListTags"], [ENDPOINTS, COMPONENTS])
    | grants(["sagemaker:DescribeInferenceComponent", "sagemaker:UpdateInferenceComponentRuntimeConfig"], [COMPONENTS])
    | grants(["sagemaker:ListInferenceComponents", "ec2:DescribeInstanceTypes", *DESCRIBE_SCALING, *ALARMS], ["*"])
    | grants(["sagemaker:AddTags"], [ENDPOINTS], STATUS_KEYS)
    | grants(["sagemaker:DeleteTags"], [ENDPOINTS], HOLD_KEYS)
    | grants(
        sorted(AAS_WRITES),
        [SCALABLE_TARGETS],
        {
            "StringEquals": {
                **ONLY_SAGEMAKER,
                "application-autoscaling:scalable-dimension": [
                    "sagemaker:variant:DesiredInstanceCount",
                    "sagemaker:variant:DesiredProvisionedConcurrency",
                    "sagemaker:inference-component:DesiredCopyCount",
                ],
            }
        },
    )
    | grants(
        ["iam:CreateServiceLinkedRole"],
        [SERVICE_LINKED_ROLE],
        {"StringLike": {"iam:AWSServiceName": "sagemaker.application-autoscaling.amazonaws.com"}},
    )
    | grants(["ssm:GetParameter"], [PROFILES])
    | grants(["dynamodb:PutItem", "dynamodb:DeleteItem"], [REFUSALS])
    | grants(["events:PutEvents"], ["arn:aws:events:us-east-1:123456789012:event-bus/default"]),
    "SweeperFunction": logs("SweeperFunction")
    | grants(["sqs:SendMessage"], [f"{QUEUE}FailedEventsQueue", f"{QUEUE}ReconcileQueue"])
    | grants(["sagemaker:DescribeEndpoint"], [ENDPOINTS])
    | grants(["sagemaker:DescribeEndpointConfig"], [CONFIGS])
    | grants(["sagemaker:ListTags"], [ENDPOINTS, COMPONENTS])
    | grants(["sagemaker:DescribeInferenceComponent", "sagemaker:UpdateInferenceComponentRuntimeConfig"], [COMPONENTS])
    | grants(
        [
            "sagemaker:ListEndpoints",
            "sagemaker:Search",
            "sagemaker:ListInferenceComponents",
            "tag:GetResources",
            "ec2:DescribeInstanceTypes",
            *DESCRIBE_SCALING,
            *ALARMS,
        ],
        ["*"],
    )
    | grants(
        ["application-autoscaling:DeregisterScalableTarget"],
        [SCALABLE_TARGETS],
        {
            "StringEquals": {
                **ONLY_SAGEMAKER,
                "application-autoscaling:scalable-dimension": "sagemaker:inference-component:DesiredCopyCount",
            }
        },
    )
    | grants(["ssm:GetParameter"], [PROFILES])
    | grants(["dynamodb:Scan"], [REFUSALS])
    | grants(
        ["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"], [f"{QUEUE}SweepQueue"]
    )
    | grants(["s3:PutObject", "s3:GetObject"], ["arn:aws:s3:::SweepBucket/sweeps/*"])
    | grants(["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"], [SWEEP_TABLE])
    | grants(["servicequotas:GetServiceQuota", "servicequotas:GetAWSDefaultServiceQuota"], ["*"]),
    "CapacityFunction": logs("CapacityFunction")
    | grants(["sagemaker:DescribeEndpoint", "sagemaker:UpdateEndpointWeightsAndCapacities"], [ENDPOINTS])
    | grants(["sagemaker:DescribeEndpointConfig"], [CONFIGS])
    | grants(["sagemaker:AddTags"], [ENDPOINTS], HOLD_KEYS)
    | grants(["application-autoscaling:DescribeScalableTargets"], ["*"]),
}


def granted_set(template: Template, function: str) -> set[tuple[str, str, str]]:
    return {(a, r, json.dumps(c, sort_keys=True)) for a, r, c in granted(template, function)}


@pytest.mark.parametrize("function", FUNCTIONS)
def test_each_role_grants_exactly_its_documented_actions_resources_and_conditions(
    template: Template, function: str
) -> None:
    assert granted_set(template, function) == DOCUMENTED[function]


def _matches(pattern: str, value: str) -> bool:
    """IAM's wildcard matching of strings: ``*`` any run of characters, ``?`` one character."""
    return (
        re.fullmatch(".*".join(".".join(map(re.escape, p.split("?"))) for p in pattern.split("*")), value) is not None
    )


def allows(template: Template, function: str, action: str, resource: str, context: dict[str, str]) -> bool:
    """Whether the function's role allows ``action`` on ``resource`` with the request's condition ``context``: IAM's
    evaluation of Allow statements, for the operators the roles use on the calls asked about (any other raises)."""
    for statement in statements(template, function):
        if action not in statement["Action"] or not any(_matches(r, resource) for r in statement["Resource"]):
            continue
        holds = True
        for operator, keys in statement.get("Condition", {}).items():
            if operator not in ("StringEquals", "StringLike"):
                raise NotImplementedError(operator)
            for key, wanted in keys.items():
                values = wanted if isinstance(wanted, list) else [wanted]
                given = context.get(key)
                match = (lambda v, g: v == g) if operator == "StringEquals" else _matches
                holds = holds and given is not None and any(match(v, given) for v in values)
        if holds:
            return True
    return False


ONE_TARGET = "arn:aws:application-autoscaling:us-east-1:123456789012:scalable-target/0ec91e8b5ab6f4b14d5b0bd6e1a0"
OTHER_NAMESPACES = [
    ("ecs", "ecs:service:DesiredCount"),
    ("dynamodb", "dynamodb:table:ReadCapacityUnits"),
    ("lambda", "lambda:function:ProvisionedConcurrency"),
    ("sagemaker", "sagemaker:variant:SomethingElse"),
]


def aas_context(namespace: str, dimension: str) -> dict[str, str]:
    return {
        "application-autoscaling:service-namespace": namespace,
        "application-autoscaling:scalable-dimension": dimension,
    }


def test_the_reconciler_changes_the_targets_of_every_sagemaker_kind_it_manages(template: Template) -> None:
    dimensions = {kind.dimension for kind in VariantKind}

    assert len(dimensions) == 3
    for action in AAS_WRITES:
        for dimension in dimensions:
            assert allows(template, "ReconcilerFunction", action, ONE_TARGET, aas_context("sagemaker", dimension))


@pytest.mark.parametrize(("namespace", "dimension"), OTHER_NAMESPACES)
def test_the_reconciler_cannot_change_another_namespaces_targets(
    template: Template, namespace: str, dimension: str
) -> None:
    writes = [s for s in statements(template, "ReconcilerFunction") if set(s["Action"]) & AAS_WRITES]

    assert writes
    for statement in writes:  # the condition is there, and names sagemaker
        assert statement["Condition"]["StringEquals"]["application-autoscaling:service-namespace"] == "sagemaker"
    for action in AAS_WRITES:
        assert not allows(template, "ReconcilerFunction", action, ONE_TARGET, aas_context(namespace, dimension))


@pytest.mark.parametrize(("namespace", "dimension"), [*OTHER_NAMESPACES, ("sagemaker", DIMENSION_INSTANCE_COUNT)])
def test_the_sweeper_may_only_deregister_inference_component_targets(
    template: Template, namespace: str, dimension: str
) -> None:
    copies = aas_context("sagemaker", "sagemaker:inference-component:DesiredCopyCount")

    assert allows(template, "SweeperFunction", "application-autoscaling:DeregisterScalableTarget", ONE_TARGET, copies)
    for action in AAS_WRITES:
        assert not allows(template, "SweeperFunction", action, ONE_TARGET, aas_context(namespace, dimension))
    for action in AAS_WRITES - {"application-autoscaling:DeregisterScalableTarget"}:
        assert not allows(template, "SweeperFunction", action, ONE_TARGET, copies)


@pytest.mark.parametrize("function", FUNCTIONS)
def test_aas_condition_keys_sit_only_on_the_actions_that_support_them(template: Template, function: str) -> None:
    for statement in statements(template, function):
        keys = {k for keys in statement.get("Condition", {}).values() for k in keys}
        aas_keys = {k for k in keys if k.startswith("application-autoscaling:")}
        if aas_keys:
            assert set(statement["Action"]) <= AAS_WRITES, statement["Sid"]
        if set(statement["Action"]) & AAS_WRITES:
            assert aas_keys == {
                "application-autoscaling:service-namespace",
                "application-autoscaling:scalable-dimension",
            }, statement["Sid"]
            assert statement["Resource"] == [SCALABLE_TARGETS], statement["Sid"]


def _dimensions_written(template: Template, function: str) -> set[str]:
    found: set[str] = set()
    for statement in statements(template, function):
        if set(statement["Action"]) & AAS_WRITES:
            wanted = statement["Condition"]["StringEquals"]["application-autoscaling:scalable-dimension"]
            found |= set(wanted if isinstance(wanted, list) else [wanted])
    return found


def aas_checks(template: Template, function: str) -> set[str]:
    """What Application Auto Scaling checks of this function as its caller, for the dimensions it may write."""
    dimensions = _dimensions_written(template, function)
    checks = set(AAS_CHECKS_CLOUDWATCH) if dimensions else set()
    if dimensions & {DIMENSION_INSTANCE_COUNT, DIMENSION_PROVISIONED_CONCURRENCY}:
        checks |= AAS_CHECKS_VARIANTS
    if DIMENSION_COPY_COUNT in dimensions:
        checks |= AAS_CHECKS_COMPONENTS
    return checks


@pytest.mark.parametrize("function", FUNCTIONS)
def test_every_caller_of_aas_writes_holds_what_aas_checks(template: Template, function: str) -> None:
    actions = {a for a, _, _ in granted(template, function)}
    unscoped = {a for a, r, _ in granted(template, function) if r == "*"}

    assert aas_checks(template, function) <= actions
    assert AAS_CHECKS_CLOUDWATCH & aas_checks(template, function) <= unscoped  # the checks name no alarm
    if "application-autoscaling:RegisterScalableTarget" in actions:
        assert "iam:CreateServiceLinkedRole" in actions  # AAS creates its service-linked role at the first one
    assert {f for f in FUNCTIONS if aas_checks(template, f)} == {"ReconcilerFunction", "SweeperFunction"}


@pytest.mark.parametrize("function", FUNCTIONS)
def test_every_aws_call_the_functions_code_makes_is_granted(template: Template, function: str) -> None:
    called = actions_called(HANDLERS[function])

    assert called
    assert called - {a for a, _, _ in granted(template, function)} == set()


@pytest.mark.parametrize("function", FUNCTIONS)
def test_every_grant_is_a_call_of_the_functions_code_or_what_aws_requires(template: Template, function: str) -> None:
    required = LAMBDA_NEEDS[function] | LAMBDA_NEEDS_EVERYWHERE | aas_checks(template, function)
    if "application-autoscaling:RegisterScalableTarget" in actions_called(HANDLERS[function]):
        required.add("iam:CreateServiceLinkedRole")
    actions = {a for a, _, _ in granted(template, function)}

    assert actions - actions_called(HANDLERS[function]) - required == set()


def test_the_call_analysis_reaches_every_call_the_adapter_has_code_for() -> None:
    """A blind spot of tests/template/aws_calls.py would show as an adapter call that no function and no command of the
    CLI reaches."""
    cli = sorted((ROOT / "src/autoscaler_cli").glob("*.py")) + sorted((ROOT / "src/autoscaler_sim").glob("*.py"))
    reached = reachable_operations(*cli).union(*(reachable_operations(HANDLERS[f]) for f in FUNCTIONS))

    assert adapter_operations()
    assert adapter_operations() - reached == set()


def test_service_linked_role_creation_is_limited_to_the_sagemaker_aas_role(template: Template) -> None:
    for function in FUNCTIONS:
        for action, resource, condition in granted(template, function):
            if action.startswith("iam:"):
                assert function == "ReconcilerFunction"
                assert action == "iam:CreateServiceLinkedRole"
                assert resource == (
                    "arn:aws:iam::123456789012:role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/"
                    "AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint"
                )
                assert condition == {
                    "StringLike": {"iam:AWSServiceName": "sagemaker.application-autoscaling.amazonaws.com"}
                }


@pytest.mark.parametrize("function", FUNCTIONS)
def test_profiles_queue_events_and_logs_are_scoped(template: Template, function: str) -> None:
    for action, resource, _ in granted(template, function):
        service = action.split(":")[0]
        if service == "ssm":
            assert resource == "arn:aws:ssm:us-east-1:123456789012:parameter/sagemaker-autoscaler/profiles/*"
        if service == "sqs":
            assert resource.endswith(("ReconcileQueue", "FailedEventsQueue", "SweepQueue")), resource
        if service == "events":
            assert resource == "arn:aws:events:us-east-1:123456789012:event-bus/default"
        if service == "logs":
            assert resource.startswith(f"{ACCOUNT_ARN.format(service='logs')}log-group:"), resource


@pytest.mark.parametrize("function", FUNCTIONS)
def test_xray_only_when_tracing_is_active(function: str) -> None:
    def xray(tracing: str) -> bool:
        template = Template.load(overrides={"Tracing": tracing})
        for logical_id in template.of_type("AWS::Logs::LogGroup"):
            template.attributes[(logical_id, "Arn")] = "log-group"
        stateful = ("ReconcileQueue", "FailedEventsQueue", "RefusalsTable", "SweepQueue", "SweepBucket", "SweepTable")
        for logical_id in stateful:
            template.attributes[(logical_id, "Arn")] = logical_id
        return any(a.startswith("xray:") for a, _, _ in granted(template, function))

    assert xray("Active")
    assert not xray("PassThrough")


def test_every_scanner_suppression_says_why() -> None:
    """make scan runs checkov; a finding may be suppressed only in place, with its reason."""
    loader = type("CfnLoader", (yaml.SafeLoader,), {})
    loader.add_multi_constructor("!", lambda *_: None)  # the short-form intrinsics do not matter here
    body = yaml.load(RAW, Loader=loader)
    skips = [
        (name, skip)
        for name, resource in body["Resources"].items()
        for skip in ((resource.get("Metadata") or {}).get("checkov") or {}).get("skip", [])
    ]
    assert skips
    for name, skip in skips:
        assert str(skip.get("id", "")).startswith("CKV_"), name
        assert len(str(skip.get("comment", ""))) > 20, f"{name} {skip.get('id')}: say why"


# --- refused plans (autoscaler.refusals) ------------------------------------------------------------------------------


def test_refusals_table_has_the_key_and_time_to_live_the_code_uses(template: Template) -> None:
    table = template.resources["RefusalsTable"]["Properties"]

    assert table["KeySchema"] == [{"AttributeName": refusals.KEY, "KeyType": "HASH"}]
    assert table["AttributeDefinitions"] == [{"AttributeName": refusals.KEY, "AttributeType": "S"}]
    assert table["BillingMode"] == "PAY_PER_REQUEST"
    assert table["TimeToLiveSpecification"] == {"AttributeName": refusals.TTL_ATTRIBUTE, "Enabled": True}


def test_only_the_reconciler_writes_refusals_and_only_the_sweeper_reads_them(template: Template) -> None:
    table = f"{ACCOUNT_ARN.format(service='dynamodb')}table/RefusalsTable"
    grants = {
        function: sorted((a, r) for a, r, _ in granted(template, function) if a.startswith("dynamodb:"))
        for function in FUNCTIONS
    }

    assert grants == {
        "RouterFunction": [],
        "ReconcilerFunction": [("dynamodb:DeleteItem", table), ("dynamodb:PutItem", table)],
        "SweeperFunction": [
            ("dynamodb:DeleteItem", SWEEP_TABLE),
            ("dynamodb:PutItem", SWEEP_TABLE),
            ("dynamodb:Scan", table),
            ("dynamodb:UpdateItem", SWEEP_TABLE),
        ],
        "CapacityFunction": [],
    }
    # Their policies are attached before the functions run.
    for function in ("ReconcilerFunction", "SweeperFunction"):
        assert template.resources[function]["DependsOn"] in (
            "ReconcilerRefusalsPolicy",
            "SweeperRefusalsPolicy",
            ["ReconcilerRefusalsPolicy"],
            ["SweeperRefusalsPolicy"],
        )
