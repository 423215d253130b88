"""sagemaker-autoscaler: the operator's CLI.

Every command talks to real AWS (the standard credential chain, ``--region``, ``--profile``) or to any emulator
(``--endpoint-url`` or ``AWS_ENDPOINT_URL``), except ``validate``, which is offline (unless ``--account``). The
controller's settings come from the same environment variables as the stack's functions (TAG_PREFIX, PROFILE_PREFIX,
NAME_PREFIX, MAX_CAPACITY_CEILING, ...), or the options of the same names.

Exit codes: 0 done; 1 a configuration was rejected, a request refused, or validation failed; 2 usage error;
3 AWS failed (throttled, unreachable, denied).
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn

import boto3
import click
from botocore.exceptions import BotoCoreError, ClientError

from autoscaler.actions import Action
from autoscaler.aws import Aws
from autoscaler.capacity import CapacityRequest, CapacityRequestError, set_capacity
from autoscaler.errors import AutoscalerError, AwsError, RefusedError, SettingsError
from autoscaler.observability import logger as controller_logger
from autoscaler.planner import plan
from autoscaler.reconciler import Evaluation, evaluate, reconcile_endpoint
from autoscaler.settings import Settings
from autoscaler.spec import EndpointSpec
from autoscaler.state import EndpointInfo, Hardware
from autoscaler.tags import OPT_IN, parse_bool, tag_key
from autoscaler.update import UpdatePlan, plan_update
from autoscaler_cli import checks, quota, sagemaker_calls
from autoscaler_cli.app import App, pass_app
from autoscaler_cli.render import Output, actions_json, problems_json
from autoscaler_cli.simulate import recommend_command, simulate_command
from autoscaler_cli.status import configuration_warnings, status_entry

EXIT_REJECTED = 1
EXIT_AWS = 3
POLL_SECONDS = 15
UPDATE_ATTEMPTS = 3  # UpdateEndpoint calls, each after releasing what a reconcile registered again


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.option("--endpoint-url", envvar="AWS_ENDPOINT_URL", help="An AWS emulator (moto_server) instead of AWS.")
@click.option("--region", envvar="AWS_REGION", help="AWS region (default: the credential chain's).")
@click.option("--profile", "aws_profile", envvar="AWS_PROFILE", help="AWS named profile.")
@click.option("--json", "as_json", is_flag=True, help="Machine output: JSON on stdout.")
@click.option("--tag-prefix", envvar="TAG_PREFIX", help="Tag prefix (stack parameter TagPrefix).")
@click.option("--name-prefix", envvar="NAME_PREFIX", help="Owned-name prefix (stack parameter NamePrefix).")
@click.option("--profile-prefix", envvar="PROFILE_PREFIX", help="SSM profile prefix (stack parameter ProfilePrefix).")
@click.option("-v", "--verbose", is_flag=True, help="The controller's structured logs (JSON lines) on stderr.")
@click.pass_context
def cli(
    ctx: click.Context,
    endpoint_url: str | None,
    region: str | None,
    aws_profile: str | None,
    as_json: bool,
    tag_prefix: str | None,
    name_prefix: str | None,
    profile_prefix: str | None,
    verbose: bool,
) -> None:
    """Keep SageMaker endpoint autoscaling equal to tags and SSM profiles."""
    _logs_to_stderr(verbose)
    try:
        settings = Settings.from_env()
        settings = replace(
            settings,
            tag_prefix=tag_prefix or settings.tag_prefix,
            name_prefix=name_prefix or settings.name_prefix,
            profile_prefix=profile_prefix or settings.profile_prefix,
        )
    except SettingsError as exc:
        raise click.UsageError(str(exc)) from None

    def make_aws() -> Aws:
        session = boto3.session.Session(profile_name=aws_profile, region_name=region)
        return Aws.create(session, endpoint_url=endpoint_url, max_attempts=settings.max_attempts)

    ctx.obj = App(settings, Output(as_json), make_aws)


def _logs_to_stderr(verbose: bool) -> None:
    """The library logs JSON lines to stdout (as Lambda wants); a CLI keeps stdout for its own output."""
    controller_logger.setLevel(logging.INFO if verbose else logging.WARNING)
    for handler in logging.getLogger(controller_logger.service).handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(sys.stderr)


def main() -> None:
    """The console script: AWS failures become exit code 3 with the reason, not a traceback."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except RefusedError as exc:  # AWS refused a write for what it asked: retrying cannot help
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_REJECTED)
    except (ClientError, BotoCoreError, AutoscalerError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_AWS)


def _fail(code: int) -> NoReturn:
    sys.exit(code)


# ---------------------------------------------------------------------------------------------------- validate


@cli.command()
@click.argument("tags", nargs=-1)
@click.option("--tags-file", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="key=value per line.")
@click.option("--profile-file", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="JSON or YAML.")
@click.option("--variant", "variants", multiple=True, default=("AllTraffic",), show_default=True)
@click.option("--instance-type", default="ml.m5.large", show_default=True)
@click.option("--vcpus", type=int, help="vCPUs of the instance type (for cpu targets; offline).")
@click.option("--gpus", type=int, default=0, help="GPUs of the instance type (for gpu targets; offline).")
@click.option("--production", is_flag=True, help="Warn about settings that are risky in production.")
@click.option(
    "--account", is_flag=True, help="Also check max and the scalable targets against the account's Service Quotas."
)
@pass_app
def validate(
    app: App,
    tags: tuple[str, ...],
    tags_file: Path | None,
    profile_file: Path | None,
    variants: tuple[str, ...],
    instance_type: str,
    vcpus: int | None,
    gpus: int,
    production: bool,
    account: bool,
) -> None:
    """Check TAGS (key=value, prefix optional) and/or a profile file offline: every problem with its source. With
    --account, also each variant's max against the account's Service Quotas for the instance type (reads AWS)."""
    lines = [*(tags_file.read_text().splitlines() if tags_file else ()), *tags]
    pairs = [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]
    try:
        parsed = checks.tag_arguments(pairs, app.settings.tag_prefix)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    profile_key = tag_key(app.settings.tag_prefix, "profile")
    if profile_file is not None and profile_key not in parsed:
        parsed[profile_key] = profile_file.stem
    hardware = Hardware(vcpus, gpus) if vcpus else None
    result = checks.validate(
        parsed,
        profile_file.read_text() if profile_file else None,
        profile_file.stem if profile_file else "default",
        app.settings,
        variants,
        instance_type,
        lambda _: hardware,
        production,
    )
    warnings = list(result.warnings)
    if account and result.spec is not None:
        instances = checks.endpoint_quota(app.aws.client("service-quotas"), instance_type)
        warnings += checks.quota_warnings(result.spec, instance_type, instances)
    targets = quota.account_usage(app.aws) if account else None
    if app.out.as_json:
        answer: dict[str, Any] = {
            "valid": not result.errors,
            "errors": problems_json(result.errors),
            "warnings": problems_json(warnings),
        }
        if targets is not None:
            answer["account"] = targets if isinstance(targets, str) else targets.to_dict()
        app.out.json(answer)
    else:
        app.out.problems("Errors", result.errors, "bold red")
        app.out.problems("Warnings", warnings, "yellow")
        if targets is not None:
            app.out.line(*quota.describe(targets))
        if not result.errors and result.spec is not None:
            for variant in result.spec.variants:
                app.out.line(
                    f"valid: {variant.variant} {variant.min_capacity}..{variant.max_capacity}, "
                    f"{len(variant.policies)} target-tracking, {len(variant.step_policies)} step, "
                    f"{len(variant.schedules)} scheduled",
                    style="green",
                )
    if result.errors:
        _fail(EXIT_REJECTED)


# ---------------------------------------------------------------------------------------------------- plan / apply


@cli.command("plan")
@click.argument("endpoints", nargs=-1, required=True)
@pass_app
def plan_command(app: App, endpoints: tuple[str, ...]) -> None:
    """The actions a reconcile of ENDPOINTS would take, with reasons; nothing is written."""
    rejected = False
    report = []
    for name in endpoints:
        found = evaluate(name, app.deps())
        rejected |= found.error is not None
        report.append(_evaluation_json(found))
        if not app.out.as_json:
            _show_evaluation(app.out, found)
    if app.out.as_json:
        app.out.json(report)
    if rejected:
        _fail(EXIT_REJECTED)


@cli.command()
@click.argument("endpoints", nargs=-1, required=True)
@click.option("--dry-run", is_flag=True, help="Plan and report without writing.")
@pass_app
def apply(app: App, endpoints: tuple[str, ...], dry_run: bool) -> None:
    """Reconcile ENDPOINTS now."""
    outcomes = [reconcile_endpoint(name, app.deps(dry_run=dry_run or app.settings.dry_run)) for name in endpoints]
    if app.out.as_json:
        app.out.json([o.to_dict() for o in outcomes])
    else:
        for outcome in outcomes:
            app.out.line(f"{outcome.endpoint}: {outcome.status} - {outcome.reason}", style="bold")
            app.out.actions("Actions", outcome.actions)
            app.out.problems("Errors", outcome.errors, "bold red")
            app.out.problems("Warnings", outcome.warnings, "yellow")
            for note in outcome.notes:
                app.out.line(f"note: {note}")
    if any(o.status == "rejected" for o in outcomes):
        _fail(EXIT_REJECTED)


def _evaluation_json(found: Evaluation) -> dict[str, Any]:
    return {
        "endpoint": found.name,
        "exists": found.endpoint is not None,
        "status": found.endpoint.status if found.endpoint else None,
        "valid": found.error is None,
        "errors": problems_json(found.error.problems) if found.error else [],
        "warnings": problems_json(configuration_warnings(found)),
        "actions": actions_json(found.plan.actions),
        "notes": list(found.plan.notes),
    }


def _show_evaluation(out: Output, found: Evaluation) -> None:
    if found.endpoint is None:
        out.line(f"{found.name}: endpoint does not exist", style="yellow")
        return
    if found.error is not None:
        out.line(f"{found.name}: rejected - nothing would be written", style="bold red")
        out.problems("Errors", found.error.problems, "bold red")
        return
    if found.actual is None:
        out.line(f"{found.name}: endpoint is {found.endpoint.status}; planned when InService", style="yellow")
        return
    summary = f"{len(found.plan.actions)} action(s)" if found.plan.actions else "nothing to do"
    out.line(f"{found.name}: {summary}", style="bold")
    out.actions(f"Plan for {found.name}", found.plan.actions)
    for note in found.plan.notes:
        out.line(f"note: {note}")
    if found.desired:
        out.problems("Warnings", found.desired.warnings, "yellow")


# ---------------------------------------------------------------------------------------------------- status


@cli.command()
@click.argument("endpoints", nargs=-1)
@pass_app
def status(app: App, endpoints: tuple[str, ...]) -> None:
    """Bounds, instances, policies, scheduled actions (next run in their own time zone), owned alarms and drift per
    endpoint, its variants and the inference components it hosts; first, the account's SageMaker scalable targets
    against their Application Auto Scaling quota."""
    names = endpoints or _opted_in(app)
    deps = app.deps()
    report = [status_entry(name, deps) for name in names]
    if app.out.as_json:
        app.out.json(report)
        return
    app.out.line(*quota.describe(quota.account_usage(app.aws)))
    if not report:
        app.out.line("no opted-in endpoints")
    for entry in report:
        app.out.status(entry)


def _opted_in(app: App) -> tuple[str, ...]:
    """Endpoints whose enabled tag opts them in as the controller reads it (``parse_bool``: true in any case). A value
    it rejects counts too, as in the library sweep: their reconcile and status say why."""
    key = tag_key(app.settings.tag_prefix, OPT_IN)
    tagged = {arn.rsplit("/", 1)[-1] for arn, tags in app.aws.read_tagged_endpoints(key) if _opts_in(tags[key])}
    return tuple(sorted(n for n in app.aws.list_endpoint_names() if n.lower() in tagged))


def _opts_in(value: str) -> bool:
    try:
        return parse_bool(value)
    except ValueError:
        return True  # rejected by every reconcile: listed so that it shows


# ---------------------------------------------------------------------------------------------------- capacity


@cli.command("set-capacity")
@click.argument("endpoint")
@click.argument("variant")
@click.argument("count", type=int)
@click.option("--hold", help="Keep COUNT as a floor on min for this long (30m, 2h, 1d).")
@pass_app
def set_capacity_command(app: App, endpoint: str, variant: str, count: int, hold: str | None) -> None:
    """Set VARIANT's instance count now, clamped to its bounds; without --hold target tracking may move it back."""
    try:
        request = CapacityRequest.parse({"endpoint": endpoint, "variant": variant, "count": count, "hold": hold})
    except CapacityRequestError as exc:
        raise click.UsageError(str(exc)) from None
    result = set_capacity(
        request, app.aws, app.settings.tag_prefix, app.settings.max_capacity_ceiling, datetime.now(UTC)
    )
    if app.out.as_json:
        app.out.json(result.to_dict())
    else:
        app.out.line(
            f"{result.endpoint}/{result.variant}: {result.status} - {result.message}",
            style="bold red" if result.status == "refused" else "bold",
        )
    if result.status == "refused":
        _fail(EXIT_REJECTED)


# ---------------------------------------------------------------------------------------------------- demo


@cli.command()
@click.option("--verbose", is_flag=True, help="Also show the functions' structured logs.")
@pass_app
def demo(app: App, verbose: bool) -> None:
    """Run the controller on an embedded local AWS (no account needed): opt-in, a profile edit, an opt-out."""
    from autoscaler_cli import demo as demo_module

    demo_module.run(app.out, verbose)


# ---------------------------------------------------------------------------------------------------- update


@cli.command("update-endpoint")
@click.argument("endpoint")
@click.argument("config")
@click.option("--retain-all-variant-properties", is_flag=True, help="Keep current instance counts and weights.")
@click.option("--force", is_flag=True, help="Also when deregistering deletes hand-made policies or schedules.")
@click.option("--wait/--no-wait", default=True, show_default=True, help="Wait for InService, then re-apply.")
@click.option("--timeout", type=int, default=3600, show_default=True, help="Seconds to wait for InService.")
@pass_app
def update_endpoint(
    app: App, endpoint: str, config: str, retain_all_variant_properties: bool, force: bool, wait: bool, timeout: int
) -> None:
    """Update ENDPOINT to endpoint config CONFIG safely: release the autoscaled variants the update touches (new
    instance type, or removed), update, and re-apply autoscaling once the endpoint is InService again."""
    info = app.aws.read_endpoint(endpoint, instance_types=False)  # the current config is read once, below
    if info is None or not info.in_service:
        app.out.line(f"{endpoint}: {'does not exist' if info is None else info.status}; nothing done", style="bold red")
        _fail(EXIT_REJECTED)
    current = sagemaker_calls.read_endpoint_config(app.aws, info.config_name)
    new = sagemaker_calls.read_endpoint_config(app.aws, config)
    planned = _update_release(app, info, current, new, force)
    for variant, why in planned.touched:
        app.out.line(f"{variant}: released for the update ({why})")
    for attempt in range(1, UPDATE_ATTEMPTS + 1):
        for action in planned.release:
            app.aws.apply(action)
        try:
            sagemaker_calls.update_endpoint(app.aws, endpoint, config, retain_all_variant_properties)
            break
        except AwsError as exc:
            # A reconcile may register a target again between the release and the update. AWS documents no error
            # text for the refusal that follows, so any ValidationException is checked against the state read again.
            if exc.code != "ValidationException" or attempt == UPDATE_ATTEMPTS:
                raise
            planned = _update_release(app, info, current, new, force)
            if not planned.release:
                raise
            app.out.line(f"{endpoint}: update refused; {len(planned.release)} release(s) to make again, then retrying")
    app.out.line(f"{endpoint}: updating to {config}; reconciles skip it until it is InService", style="bold")
    if not wait:
        app.out.line("the IN_SERVICE event (or the next sweep) re-applies autoscaling")
        return
    deadline = time.monotonic() + timeout
    while (info := app.aws.read_endpoint(endpoint)) is not None and not info.in_service:
        if time.monotonic() > deadline:
            app.out.line(
                f"{endpoint}: still {info.status} after {timeout}s; the IN_SERVICE event re-applies", style="yellow"
            )
            return
        time.sleep(POLL_SECONDS)
    outcome = reconcile_endpoint(endpoint, app.deps())
    app.out.line(f"{endpoint}: {outcome.status} - {outcome.reason}", style="bold")
    app.out.actions("Re-applied", outcome.actions)


def _update_release(
    app: App, info: EndpointInfo, current: Mapping[str, Any], new: Mapping[str, Any], force: bool
) -> UpdatePlan:
    """What the update must release first, from the state read now; refuses (exit 1) without --force when that would
    delete hand-made policies or schedules."""
    prefix = app.settings.name_prefix
    planned = plan_update(info.name, current, new, app.aws.read_state(info, prefix), prefix)
    if planned.foreign and not force:
        app.out.line(
            f"deregistering would delete hand-made {', '.join(planned.foreign)}: use --force", style="bold red"
        )
        _fail(EXIT_REJECTED)
    return planned


# ---------------------------------------------------------------------------------------------------- sweep


@cli.command("sweep")
@click.option("--dry-run", is_flag=True, help="Plan every endpoint, write nothing.")
@pass_app
def sweep_command(app: App, dry_run: bool) -> None:
    """Reconcile every opted-in endpoint (and every endpoint the controller still owns something on) now.

    The endpoints are the library sweep's (``autoscaler.sweep``): opted in, or holding a policy or scheduled action
    the controller owns on a variant or on an inference component they host; and those holding an owned alarm. Each
    reconcile looks its inference components up, also where the configuration does not ask for them (the library
    sweep asks only where the controller owns something on one): one ListInferenceComponents more per endpoint, and
    what the controller owns on a component that is no longer configured is always removed."""
    from rich.progress import Progress

    names = sorted(set(_opted_in(app)) | set(_owners(app)))
    outcomes = []
    with Progress(console=app.out.console, transient=True, disable=app.out.as_json) as progress:
        task = progress.add_task("sweeping", total=len(names))
        for name in names:
            deps = app.deps(dry_run=dry_run or app.settings.dry_run)
            outcomes.append(reconcile_endpoint(name, deps, components=True))
            progress.advance(task)
    counts: dict[str, int] = {}
    for outcome in outcomes:
        counts[str(outcome.status)] = counts.get(str(outcome.status), 0) + 1
    if app.out.as_json:
        app.out.json({"endpoints": len(outcomes), "outcomes": counts, "results": [o.to_dict() for o in outcomes]})
    else:
        app.out.table(
            f"Sweep of {len(outcomes)} endpoint(s)",
            ("endpoint", "outcome", "writes", "reason"),
            ((o.endpoint, o.status, o.writes, "; ".join(str(e) for e in o.errors) or o.reason) for o in outcomes),
        )
        app.out.line(", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "no endpoints")
    if counts.get("rejected"):
        _fail(EXIT_REJECTED)


# ---------------------------------------------------------------------------------------------------- redrive


@cli.command("redrive")
@click.option("--stack-name", default="sagemaker-autoscaler", show_default=True, help="Reads the queues' URLs from it.")
@click.option("--queue-url", help="The reconcile queue (instead of the stack's).")
@click.option("--dlq-url", help="Its dead-letter queue (instead of the stack's).")
@pass_app
def redrive_command(app: App, stack_name: str, queue_url: str | None, dlq_url: str | None) -> None:
    """Move dead-lettered reconcile requests back to the queue, with a count."""
    from autoscaler_cli.redrive import redrive

    if not (queue_url and dlq_url):
        outputs = {
            o["OutputKey"]: o["OutputValue"]
            for o in app.aws.client("cloudformation")
            .describe_stacks(StackName=stack_name)["Stacks"][0]
            .get("Outputs", [])
        }
        queue_url = queue_url or outputs["ReconcileQueueUrl"]
        dlq_url = dlq_url or outputs["ReconcileDeadLetterQueueUrl"]
    result = redrive(app.aws.client("sqs"), dlq_url, queue_url)
    if app.out.as_json:
        app.out.json(result.__dict__)
    elif result.moved is None:
        app.out.line(f"StartMessageMoveTask {result.task}: about {result.to_move} message(s) moving back", style="bold")
    else:
        app.out.line(f"{result.moved} message(s) moved back ({result.method})", style="bold")


# ---------------------------------------------------------------------------------------------------- invoke


@cli.command("invoke")
@click.argument("function")
@click.argument("event_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--stack-name", help="A deployed stack whose resources the template's references name.")
@click.option("--param", "params", multiple=True, help="Template parameter Name=Value (repeatable).")
@click.option("--env", "env", multiple=True, help="Environment variable NAME=VALUE (repeatable).")
@click.pass_context
def invoke_command(
    ctx: click.Context,
    function: str,
    event_file: Path,
    stack_name: str | None,
    params: tuple[str, ...],
    env: tuple[str, ...],
) -> None:
    """Run FUNCTION's handler in-process on EVENT_FILE with the environment template.yaml gives it (no Docker)."""
    import json as json_module

    from localaws.invoke import invoke, pairs

    try:
        parameters, environment = pairs(params, "--param"), pairs(env, "--env")
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    parent = ctx.parent.params if ctx.parent else {}
    result = invoke(
        function,
        json_module.loads(event_file.read_text()),
        endpoint_url=parent.get("endpoint_url"),
        stack_name=stack_name,
        parameters=parameters,
        environment=environment,
        region=parent.get("region"),
    )
    click.echo(json_module.dumps(result, default=str))


# ---------------------------------------------------------------------------------------------------- release


@cli.command()
@click.argument("endpoints", nargs=-1)
@click.option("--dry-run", is_flag=True, help="Show what would be removed.")
@pass_app
def release(app: App, endpoints: tuple[str, ...], dry_run: bool) -> None:
    """Remove everything the controller owns on ENDPOINTS (default: every endpoint it owns something on).

    For uninstalling, before changing NamePrefix or TagPrefix, or before an endpoint update that changes an autoscaled
    variant's instance type. A still-opted-in endpoint is configured again by its next reconcile: remove the opt-in
    tag, or the stack, first.
    """
    names = endpoints or _owners(app)
    report = []
    for name in names:
        actions = _release_plan(app, name)
        if not dry_run:
            arns: dict[str, str] = {}
            for action in actions:
                app.aws.apply(action, arns)
        report.append({"endpoint": name, "actions": actions_json(actions), "written": not dry_run})
        if not app.out.as_json:
            verb = "would remove" if dry_run else "removed"
            app.out.line(
                f"{name}: {verb} {len(actions)} item(s)" if actions else f"{name}: nothing owned", style="bold"
            )
            app.out.actions(f"Release {name}", actions)
    if app.out.as_json:
        app.out.json(report)


def _release_plan(app: App, name: str) -> Sequence[Action]:
    """Everything owned on the endpoint, its inference components' targets included: they are always looked up
    (one ListInferenceComponents), as the alarms the controller made for them are always read."""
    endpoint = app.aws.read_endpoint(name, instance_types=False)
    if endpoint is None:
        from autoscaler.actions import DeleteAlarms

        alarms = app.aws.read_owned_alarms(app.settings.name_prefix, name)
        return [DeleteAlarms(reason="release: endpoint gone", names=alarms)] if alarms else []
    actual = app.aws.read_state(app.aws.with_components(endpoint), app.settings.name_prefix)
    return plan(EndpointSpec(name), actual, datetime.now(UTC)).actions


def _owners(app: App) -> tuple[str, ...]:
    """Endpoints the controller owns something on: a policy or scheduled action on a variant's target, or on the
    target of an inference component they host (the components are listed, once, only when there is one), or an
    alarm (also of an endpoint deleted since)."""
    from autoscaler.sweep_namespace import group_namespace

    namespace = group_namespace(app.aws.read_namespace(app.settings.name_prefix), app.settings.name_prefix)
    owned = namespace.owned_components()
    hosts = {c.endpoint for c in app.aws.list_components() if c.name in owned} if owned else set()
    return tuple(sorted(namespace.owners() | hosts | set(namespace.alarms)))


# ---------------------------------------------------------------------------------------------------- simulate

cli.add_command(simulate_command)
cli.add_command(recommend_command)


if __name__ == "__main__":  # pragma: no cover
    main()
