"""`simulate` and `recommend`: what a profile does to a traffic trace, and which target keeps an SLO cheapest.

Both read the configuration from a profile file (default: the stack's default profile, which is the AWS post's
example values) or from an endpoint's effective configuration (``--endpoint``), and the traffic from a CSV, a seeded
synthetic generator, or the endpoint's own CloudWatch history (``--cloudwatch``). The model and every rule it encodes
are described in ``autoscaler_sim.engine`` and ``autoscaler_sim.queueing``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from autoscaler.errors import ConfigError
from autoscaler_cli.app import App
from autoscaler_cli.render import problems_json
from autoscaler_sim import config, report
from autoscaler_sim.config import STACK_DEFAULT_PROFILE
from autoscaler_sim.engine import Parameters, Result, SimulationError, Traffic, simulate
from autoscaler_sim.recommend import Candidate, recommend
from autoscaler_sim.traffic import DEFAULT_START, SYNTHETIC_KINDS, Synthetic, from_cloudwatch, from_csv, parse_time

if TYPE_CHECKING:
    from autoscaler.spec import VariantSpec

EXIT_REJECTED = 1
F = TypeVar("F", bound=Callable[..., Any])

OPTIONS = (
    click.option("--profile-file", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="JSON or YAML."),
    click.option("--endpoint", help="This endpoint's effective configuration (unless --profile-file) and history."),
    click.option("--variant", default="AllTraffic", show_default=True),
    click.option("--csv", "csv_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Traffic."),
    click.option("--synthetic", type=click.Choice(SYNTHETIC_KINDS), help="A seeded synthetic trace."),
    click.option("--cloudwatch", is_flag=True, help="The endpoint's own Invocations over the last --days."),
    click.option("--days", type=float, default=2.0, show_default=True, help="Synthetic or CloudWatch length."),
    click.option("--base", type=float, default=50.0, show_default=True, help="Synthetic: low invocations/min."),
    click.option("--peak", type=float, default=250.0, show_default=True, help="Synthetic: peak invocations/min."),
    click.option("--noise", type=float, default=0.05, show_default=True, help="Synthetic: relative noise."),
    click.option("--seed", type=int, default=0, show_default=True, help="Synthetic: random seed."),
    click.option("--start", help="Synthetic: first minute (ISO-8601, default 2026-03-02T00:00Z)."),
    click.option(
        "--capacity", type=float, required=True, help="Max sustainable invocations/min of one instance (load test)."
    ),
    click.option("--price", type=float, default=0.0, show_default=True, help="Instance price per hour."),
    click.option("--slo-ms", type=float, help="Latency SLO (default: twice the mean service time)."),
    click.option("--quantile", type=float, default=0.99, show_default=True, help="Latency quantile for the SLO."),
    click.option("--workers", type=int, default=1, show_default=True, help="Requests an instance serves at once."),
    click.option("--provisioning-seconds", type=int, default=300, show_default=True, help="Launch to in service."),
    click.option("--chart", type=click.Path(dir_okay=False, path_type=Path), help="Write a PNG chart here."),
    click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write the full JSON here."),
)


def with_options(function: F) -> F:
    for option in reversed(OPTIONS):
        function = option(function)
    return function


def _parameters(options: dict[str, Any]) -> Parameters:
    return Parameters(
        capacity_per_instance=options["capacity"],
        price_per_hour=options["price"],
        provisioning_seconds=options["provisioning_seconds"],
        latency_slo_ms=options["slo_ms"],
        latency_quantile=options["quantile"],
        workers_per_instance=options["workers"],
    )


def _traffic(app: App, options: dict[str, Any]) -> Traffic:
    chosen = [k for k in ("csv_path", "synthetic", "cloudwatch") if options[k]]
    if len(chosen) != 1:
        raise click.UsageError("give exactly one of --csv, --synthetic, --cloudwatch")
    if options["csv_path"]:
        return from_csv(options["csv_path"])
    if options["cloudwatch"]:
        if not options["endpoint"]:
            raise click.UsageError("--cloudwatch reads the history of --endpoint")
        return from_cloudwatch(app.aws, options["endpoint"], options["variant"], options["days"], datetime.now(UTC))
    return Synthetic(
        kind=options["synthetic"],
        days=options["days"],
        base=options["base"],
        peak=options["peak"],
        noise=options["noise"],
        seed=options["seed"],
        start=parse_time(options["start"]) if options["start"] else DEFAULT_START,
    ).traffic()


def _profile_text(options: dict[str, Any]) -> tuple[str, str]:
    path: Path | None = options["profile_file"]
    return (path.read_text(), path.stem) if path else (STACK_DEFAULT_PROFILE, "default")


def _variant(app: App, options: dict[str, Any]) -> VariantSpec:
    if options["endpoint"] and not options["profile_file"]:
        return config.variant_from_endpoint(options["endpoint"], options["variant"], app.deps())
    text, name = _profile_text(options)
    return config.variant_from_profile(text, name, app.settings, options["variant"])


def _rejected(app: App, exc: Exception) -> None:
    if isinstance(exc, ConfigError):
        if app.out.as_json:
            app.out.json({"valid": False, "errors": problems_json(exc.problems)})
        else:
            app.out.problems("Errors", exc.problems, "bold red")
    elif app.out.as_json:
        app.out.json({"valid": False, "errors": [{"source": "simulation", "message": str(exc)}]})
    else:
        app.out.line(f"error: {exc}", style="bold red")
    raise SystemExit(EXIT_REJECTED)


def _write(result_json: dict[str, Any] | list[dict[str, Any]], out: Path | None) -> None:
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result_json, indent=1))


def _chart(results: list[tuple[str, Result]], path: Path | None, title: str) -> None:
    if path is None:
        return
    try:
        report.chart(results, path, title)
    except ImportError:
        raise click.UsageError("--chart needs matplotlib (pip install -r requirements/dev.txt)") from None


def _summary_rows(results: list[tuple[str, Result]]) -> list[list[Any]]:
    summaries = [(label, r.summary()) for label, r in results]
    keys = list(summaries[0][1])
    return [[key, *(s[key] for _, s in summaries)] for key in keys]


@click.command("simulate")
@with_options
@click.pass_obj
def simulate_command(app: App, /, **options: Any) -> None:
    """Simulate Application Auto Scaling of one variant over a traffic trace: capacity, latency, cost, activities."""
    try:
        variant = _variant(app, options)
        traffic = _traffic(app, options)
        result = simulate(variant, traffic, _parameters(options))
    except (ConfigError, SimulationError) as exc:
        _rejected(app, exc)
        return
    full = report.to_json(result, variant.variant)
    _write(full, options["out"])
    _chart([("simulated", result)], options["chart"], f"{traffic.source}: {variant.variant}")
    if app.out.as_json:
        app.out.json({key: full[key] for key in ("traffic", "parameters", "summary", "activities")})
        return
    app.out.line(f"Simulation of {variant.variant} over {traffic.source}", style="bold")
    app.out.table("Summary", ("", "value"), _summary_rows([("", result)]))
    for path, what in ((options["chart"], "chart"), (options["out"], "JSON")):
        if path:
            app.out.line(f"{what}: {path}")


@click.command("recommend")
@with_options
@click.option("--budget", type=float, default=0.001, show_default=True, help="Fraction of minutes allowed over SLO.")
@click.option("--cooldowns", "search_cooldowns", is_flag=True, help="Also search scale-out/scale-in cooldowns.")
@click.pass_obj
def recommend_command(app: App, /, budget: float, search_cooldowns: bool, **options: Any) -> None:
    """The cheapest invocations target (and cooldowns, with --cooldowns) keeping the SLO over the traffic, as a
    profile to store in SSM, compared with the AWS post's values and AWS's load-testing formula."""
    if options["endpoint"] and not options["cloudwatch"]:
        raise click.UsageError("recommend varies a profile: --endpoint only reads traffic, with --cloudwatch")
    try:
        traffic = _traffic(app, options)
        text, _ = _profile_text(options)
        found = recommend(
            traffic, _parameters(options), app.settings, text, budget=budget, search_cooldowns=search_cooldowns
        )
    except (ConfigError, SimulationError) as exc:
        _rejected(app, exc)
        return
    compared: list[Candidate] = [c for c in (found.best, found.aws_post, found.aws_formula) if c is not None]
    results = [(c.label, c.result) for c in compared]
    _write([report.to_json(c.result, c.label) | {"profile": c.profile} for c in compared], options["out"])
    _chart(results, options["chart"], f"{traffic.source}: recommended vs AWS values")
    if app.out.as_json:
        app.out.json(
            {
                "recommended": found.best.profile if found.best else None,
                "budget": budget,
                "compared": [{"label": c.label, "summary": c.result.summary()} for c in compared],
                "tried": [{"label": c.label, "summary": c.result.summary()} for c in found.tried],
            }
        )
    else:
        app.out.table("Compared on the same traffic", ("", *(label for label, _ in results)), _summary_rows(results))
        if found.best is not None:
            app.out.line(f"recommended: {found.best.label} (profile to store in SSM):", style="bold green")
            click.echo(found.best.text)
        else:
            app.out.line(
                f"no target tried keeps more than {1 - budget:.2%} of minutes within the SLO: raise max, add "
                "instances' capacity, or relax the SLO",
                style="bold red",
            )
    if found.best is None:
        raise SystemExit(EXIT_REJECTED)
