"""The scalable-target quota: the sweep counts SageMaker targets from the namespace it reads, reads the quota (applied
value, else AWS's default), publishes both and their ratio, and never fails for the quota read."""

from __future__ import annotations

import importlib
import json
from typing import Any

import pytest
from botocore.exceptions import ClientError
from click.testing import CliRunner
from moto.core import DEFAULT_ACCOUNT_ID

from autoscaler.aws import Aws
from autoscaler.quota import read_usage
from autoscaler.reconciler import Deps
from autoscaler.sweep import sweep
from autoscaler_cli import main as cli_main
from autoscaler_cli.app import App
from autoscaler_cli.render import Output
from localaws.fidelity import grant_quota
from localaws.pipeline import LambdaContext
from tests.conftest import load_event

from .conftest import BASE_TAGS, World, emitted, log_lines

SCHEDULE = load_event("schedule-sweep.json")
CONTEXT = LambdaContext("SweeperFunction", memory_limit_in_mb=512)


@pytest.fixture
def fresh(world: World) -> Aws:
    """The session's clients without the quota kept by earlier tests (a cold execution environment)."""
    return world.aws.without_caches()


@pytest.fixture
def sweeper(world: World, fresh: Aws, reconcile_queue: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    module = importlib.import_module("functions.sweeper.app")
    monkeypatch.setattr(module, "deps", lambda: (Deps(world.deps().settings, fresh), reconcile_queue))
    module.metrics.clear_metrics()
    return module


def test_quota_is_aws_default_when_no_applied_value_exists(fresh: Aws) -> None:
    quota = fresh.read_service_quota("application-autoscaling", "L-1AAF0700")

    assert (quota.value, quota.applied, quota.name) == (500.0, False, "Scalable targets for SageMaker")


def test_quota_is_the_applied_value_once_an_increase_is_granted(fresh: Aws) -> None:
    grant_quota(DEFAULT_ACCOUNT_ID, "us-east-1", 1000)

    quota = fresh.read_service_quota("application-autoscaling", "L-1AAF0700")

    assert (quota.value, quota.applied) == (1000.0, True)


def test_quota_is_read_once_per_execution_environment_for_minutes(fresh: Aws) -> None:
    first = fresh.read_service_quota("application-autoscaling", "L-1AAF0700")
    grant_quota(DEFAULT_ACCOUNT_ID, "us-east-1", 2000)

    assert fresh.read_service_quota("application-autoscaling", "L-1AAF0700") == first  # kept
    assert fresh.read_service_quota("application-autoscaling", "L-1AAF0700", max_age=0).value == 2000.0


def test_sweep_publishes_targets_quota_and_usage(
    world: World, sweeper: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("fraud-detector", "recommender"):
        world.endpoint(name, BASE_TAGS)
        world.reconcile(name)
    world.endpoint("hand-made")
    world.aws.autoscaling.register_scalable_target(
        ServiceNamespace="sagemaker",
        ResourceId="endpoint/hand-made/variant/AllTraffic",
        ScalableDimension="sagemaker:variant:DesiredInstanceCount",
        MinCapacity=1,
        MaxCapacity=2,
    )

    sweeper.handler(SCHEDULE, CONTEXT)

    out = capsys.readouterr().out
    assert emitted(out, "ScalableTargets") == [3.0]  # hand-made targets count against the quota too
    assert emitted(out, "ScalableTargetsQuota") == [500.0]
    assert emitted(out, "ScalableTargetsQuotaUsage") == [pytest.approx(0.6)]


def test_sweep_reads_the_quota_once(world: World, fresh: Aws, reconcile_queue: str) -> None:
    calls: list[str] = []
    client = fresh.client("service-quotas")
    client.meta.events.register("before-call.service-quotas", lambda model, **_: calls.append(model.name))
    try:
        sweep(Deps(world.deps().settings, fresh), reconcile_queue, "sweep-1")
        sweep(Deps(world.deps().settings, fresh), reconcile_queue, "sweep-2")
    finally:
        client.meta.events.unregister("before-call.service-quotas")

    # No applied value: GetServiceQuota, then the default; the second sweep uses the value kept.
    assert calls == ["GetServiceQuota", "GetAWSDefaultServiceQuota"]


def test_failed_quota_read_warns_and_the_sweep_goes_on(
    world: World, fresh: Aws, reconcile_queue: str, logs: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    world.endpoint("fraud-detector", BASE_TAGS)

    def denied(**_: Any) -> Any:
        raise ClientError({"Error": {"Code": "AccessDeniedException", "Message": "not allowed"}}, "GetServiceQuota")

    quotas = fresh.client("service-quotas")
    quotas.meta.events.register("before-call.service-quotas.GetServiceQuota", denied)
    try:
        result = sweep(Deps(world.deps().settings, fresh), reconcile_queue, "sweep-1")
    finally:
        quotas.meta.events.unregister("before-call.service-quotas.GetServiceQuota", denied)

    assert result.drifted == ("fraud-detector",)
    (warning,) = log_lines(logs, "scalable-target quota not read")
    assert warning["scalable_targets"] == 0
    assert "AccessDeniedException" in warning["reason"]


def test_usage_describes_count_quota_percent_code_and_advice(fresh: Aws) -> None:
    grant_quota(DEFAULT_ACCOUNT_ID, "us-east-1", 500)

    usage = read_usage(fresh, 412)

    assert usage.describe() == (
        "scalable targets: 412 of 500 (82%) — quota L-1AAF0700 (applied); "
        "raise it in Service Quotas or split the fleet across accounts"
    )


def cli_output(world: World, aws: Aws, *args: str, as_json: bool = False) -> str:
    result = CliRunner(env={"COLUMNS": "250"}).invoke(
        cli_main.cli.commands[args[0]], list(args[1:]), obj=App(world.settings, Output(as_json), lambda: aws)
    )
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split()) if not as_json else result.output  # the console wraps at its width


def test_validate_account_shows_targets_against_the_quota(
    world: World, fresh: Aws, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The instance-type check lists SageMaker's quotas (ListServiceQuotas), which moto does not implement: not this
    # test's subject.
    monkeypatch.setattr(cli_main.checks, "endpoint_quota", lambda *_: 10.0)
    world.endpoint("fraud-detector", BASE_TAGS)
    world.reconcile("fraud-detector")
    grant_quota(DEFAULT_ACCOUNT_ID, "us-east-1", 1)  # an account at its quota

    text = cli_output(world, fresh, "validate", "max=4", "--account")
    answer = json.loads(cli_output(world, fresh.without_caches(), "validate", "max=4", "--account", as_json=True))

    assert "scalable targets: 1 of 1 (100%) — quota L-1AAF0700 (applied); raise it in Service Quotas" in text
    assert answer["account"] == {
        "scalable_targets": 1,
        "quota_code": "L-1AAF0700",
        "quota": 1.0,
        "quota_applied": True,
        "percent": 100.0,
    }


def test_status_shows_targets_against_the_default_quota(world: World, fresh: Aws) -> None:
    for name in ("fraud-detector", "recommender"):
        world.endpoint(name, BASE_TAGS)
        world.reconcile(name)

    text = cli_output(world, fresh, "status")

    assert text.startswith(
        "scalable targets: 2 of 500 (0%) — quota L-1AAF0700 (AWS default); raise it in Service Quotas or split the "
        "fleet across accounts"
    )
    assert "fraud-detector" in text
