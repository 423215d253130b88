"""validate's checks: risky-but-valid warnings, and the Service Quotas check (responses validated by Stubber
against the botocore service model, since moto does not implement Service Quotas for SageMaker)."""

from __future__ import annotations

import json

import boto3
from botocore.stub import Stubber
from click.testing import CliRunner

from autoscaler.aws import Aws
from autoscaler.settings import Settings
from autoscaler.state import Hardware
from autoscaler_cli import checks
from autoscaler_cli.app import App
from autoscaler_cli.main import validate
from autoscaler_cli.render import Output
from autoscaler_sim.config import variant_from_profile

SETTINGS = Settings()


def validation(tags: dict[str, str], profile: str | None = None, production: bool = False) -> checks.Validation:
    return checks.validate(
        checks.tag_arguments([f"{k}={v}" for k, v in tags.items()], "autoscaling"),
        profile,
        "p",
        SETTINGS,
        ("AllTraffic",),
        "ml.m5.xlarge",
        lambda _: Hardware(4, 0),
        production,
    )


def test_tags_alone_are_checked_against_the_stack_default_profile() -> None:
    result = validation({"max": "6"})
    assert result.errors == ()
    assert result.spec is not None
    assert result.spec.variants[0].max_capacity == 6


def test_the_simulator_runs_the_configuration_validate_checks() -> None:
    # given a profile file, checked by validate and given to the simulator
    profile = "version: 1\nmin: 2\nmax: 6\ntarget_tracking:\n  - {metric: invocations, target: 200}\n"
    checked = validation({"profile": "p"}, profile).spec

    # when
    simulated = variant_from_profile(profile, "p", SETTINGS)

    # then both built it with the same made-up endpoint (autoscaler_sim.config.desire_offline), named differently
    assert checked is not None
    (variant,) = checked.variants
    assert (simulated.min_capacity, simulated.max_capacity, simulated.policies) == (
        variant.min_capacity,
        variant.max_capacity,
        variant.policies,
    )
    assert simulated.target.resource_id == "endpoint/simulated/variant/AllTraffic"


def test_risky_settings_are_warnings_not_errors() -> None:
    profile = """
version: 1
min: 1
max: 4
target_tracking:
  - {metric: concurrency, target: 5, scale_in_cooldown: 60, scale_out_cooldown: 300}
schedules:
  - {name: burst, schedule: "rate(1 day)", min: 6, max: 8}
"""
    result = validation({"profile": "p"}, profile, production=True)
    assert result.errors == ()
    messages = [w.message for w in result.warnings]
    assert any("production endpoint" in m for m in messages)
    assert any("shorter than scale-out" in m for m in messages)
    assert any("throws its 10-second speed away" in m for m in messages)
    assert any("contradict the target's 1..4" in m for m in messages)


def test_quota_is_read_from_service_quotas_and_max_above_it_warns() -> None:
    client = boto3.client("service-quotas", region_name="us-east-1")
    with Stubber(client) as stub:
        stub.add_response(
            "list_service_quotas",
            {"Quotas": [{"QuotaName": "ml.m5.xlarge for endpoint usage", "Value": 4.0, "QuotaCode": "L-1"}]},
            {"ServiceCode": "sagemaker"},
        )
        quota = checks.endpoint_quota(client, "ml.m5.xlarge")
    assert quota == 4.0
    spec = validation({"max": "6"}).spec
    assert spec is not None
    (warning,) = checks.quota_warnings(spec, "ml.m5.xlarge", quota)
    assert "max 6 is above the account's quota of 4" in warning.message


def test_default_quota_is_used_when_none_is_applied() -> None:
    client = boto3.client("service-quotas", region_name="us-east-1")
    with Stubber(client) as stub:
        stub.add_response("list_service_quotas", {"Quotas": []}, {"ServiceCode": "sagemaker"})
        stub.add_response(
            "list_aws_default_service_quotas",
            {"Quotas": [{"QuotaName": "ml.m5.xlarge for endpoint usage", "Value": 2.0}]},
            {"ServiceCode": "sagemaker"},
        )
        assert checks.endpoint_quota(client, "ml.m5.xlarge") == 2.0


def test_validate_account_warns_about_a_max_above_the_service_quota() -> None:
    # given an account whose quota for the instance type on endpoints is 4
    aws = Aws.create(boto3.session.Session(region_name="us-east-1"))
    with Stubber(aws.client("service-quotas")) as stub:
        stub.add_response(
            "list_service_quotas",
            {"Quotas": [{"QuotaName": "ml.m5.xlarge for endpoint usage", "Value": 4.0}]},
            {"ServiceCode": "sagemaker"},
        )

        # when
        result = CliRunner().invoke(
            validate,
            ["max=6", "--instance-type", "ml.m5.xlarge", "--account"],
            obj=App(SETTINGS, Output(as_json=True), lambda: aws),
        )

        # then the check ran, and its warning is among the others; the configuration stays valid
        stub.assert_no_pending_responses()
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer["valid"] is True
    assert [w["source"] for w in answer["warnings"]] == ["variant AllTraffic"]
    assert "max 6 is above the account's quota of 4 ml.m5.xlarge instances" in answer["warnings"][0]["message"]


def test_validate_reads_no_aws_without_account() -> None:
    def no_aws() -> Aws:
        raise AssertionError("validate read AWS without --account")

    result = CliRunner().invoke(validate, ["max=6"], obj=App(SETTINGS, Output(as_json=True), no_aws))
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["warnings"] == []
