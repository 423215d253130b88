"""The recommender: the cheapest target (and, when asked, cooldowns) that keeps the SLO over a traffic trace.

It varies the target-tracking policy on invocations (SageMakerVariantInvocationsPerInstance) of a base profile,
keeping everything else (bounds, other policies, schedules), simulates every candidate on the same traffic, and picks
the one with the fewest instance-hours among those whose minutes over the latency SLO stay within the budget. Every
candidate is a profile text parsed by the controller's own parser, so the snippet printed is the one simulated.

It is compared on the same traffic with:

- the AWS post's example values ("Configuring autoscaling inference endpoints in Amazon SageMaker", and the SageMaker
  Developer Guide, endpoint-auto-scaling-policy): target tracking on SageMakerVariantInvocationsPerInstance at 70,
  min 1, max 4, AAS's default SageMaker cooldowns of 300 s;
- AWS's starting formula (SageMaker Developer Guide, endpoint-scaling-loadtest):
  SageMakerVariantInvocationsPerInstance = MAX_RPS x SAFETY_FACTOR x 60 with SAFETY_FACTOR 0.5, i.e. half the
  per-instance capacity in invocations per minute, on the base profile's bounds.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from autoscaler.documents import DocumentError, parse_document
from autoscaler.settings import Settings
from autoscaler_sim.config import STACK_DEFAULT_PROFILE, variant_from_profile
from autoscaler_sim.engine import Parameters, Result, SimulationError, Traffic, simulate

AWS_POST_PROFILE = STACK_DEFAULT_PROFILE  # the stack's default parameters are the AWS post's example values
AWS_SAFETY_FACTOR = 0.5
TARGET_FRACTIONS = tuple(f / 100 for f in range(5, 100, 5))  # of the per-instance capacity: 0.05 .. 0.95
REFINE_POINTS = 4  # targets tried between the best grid target and the next one up
SCALE_OUT_COOLDOWNS = (60, 120, 300)
SCALE_IN_COOLDOWNS = (300, 600, 900)


@dataclass(frozen=True)
class Candidate:
    label: str
    profile: dict[str, Any]
    result: Result
    target: float

    @property
    def text(self) -> str:
        return json.dumps(self.profile, indent=2)

    def meets(self, budget: float) -> bool:
        return self.result.minutes_over_slo <= budget * len(self.result.minutes)


@dataclass(frozen=True)
class Recommendation:
    best: Candidate | None  # None: no candidate meets the SLO
    aws_post: Candidate
    aws_formula: Candidate
    tried: tuple[Candidate, ...]


def with_invocations_target(
    profile: dict[str, Any], target: float, cooldowns: tuple[int, int] | None = None
) -> dict[str, Any]:
    """`profile` with its top-level invocations target-tracking entry set to `target` (added when it has none)."""
    changed: dict[str, Any] = json.loads(json.dumps(profile, default=str))
    entries = changed.setdefault("target_tracking", [])
    entry = next((e for e in entries if e.get("metric") == "invocations"), None)
    if entry is None:
        entry = {"metric": "invocations"}
        entries.append(entry)
    entry["target"] = int(target) if float(target).is_integer() else round(target, 2)
    if cooldowns is not None:
        entry["scale_out_cooldown"], entry["scale_in_cooldown"] = cooldowns
    return changed


def load_profile(text: str) -> dict[str, Any]:
    """A profile's document as data, read by the controller's own parser (``autoscaler.documents``, YAML 1.2 core
    schema) so that it is the data validation saw: ``max: 010`` is ten, ``on``/``off``/``1:30`` stay strings."""
    try:
        data = parse_document(text)
    except DocumentError as exc:
        raise SimulationError(f"the profile is not a valid document: {exc}") from None
    if not isinstance(data, dict):
        raise SimulationError("the profile is not a mapping")
    return {str(key): value for key, value in data.items()}


def run(
    label: str, profile: dict[str, Any], traffic: Traffic, params: Parameters, settings: Settings, target: float
) -> Candidate:
    spec = variant_from_profile(json.dumps(profile), "candidate", settings)
    return Candidate(label, profile, simulate(spec, traffic, params), target)


def _cheapest(candidates: Sequence[Candidate], budget: float) -> Candidate | None:
    """Fewest instance-hours among those meeting the SLO; ties: fewer minutes over it, then the higher target."""
    meeting = [c for c in candidates if c.meets(budget)]
    if not meeting:
        return None
    return min(meeting, key=lambda c: (round(c.result.instance_hours, 6), c.result.minutes_over_slo, -c.target))


def recommend(
    traffic: Traffic,
    params: Parameters,
    settings: Settings,
    base_text: str = STACK_DEFAULT_PROFILE,
    budget: float = 0.001,
    search_cooldowns: bool = False,
    targets: Sequence[float] | None = None,
) -> Recommendation:
    """Simulates every candidate target (a grid of fractions of the per-instance capacity, refined around the best,
    unless `targets` are given; with `search_cooldowns`, each with every pair of cooldowns) and returns the cheapest
    meeting the SLO, with the AWS baselines."""
    variant_from_profile(base_text, "base", settings)  # rejects an invalid base profile with its problems
    base = load_profile(base_text)
    capacity = params.capacity_per_instance
    values = sorted({round(t, 1) for t in (targets or [capacity * f for f in TARGET_FRACTIONS])})
    cooldowns: list[tuple[int, int] | None] = (
        [(o, i) for o in SCALE_OUT_COOLDOWNS for i in SCALE_IN_COOLDOWNS] if search_cooldowns else [None]
    )
    tried: list[Candidate] = []

    def attempt(targets: Sequence[float]) -> None:
        for target in targets:
            for pair in cooldowns:
                label = f"target {target:g}" + (f" cooldowns out {pair[0]}s in {pair[1]}s" if pair else "")
                profile = with_invocations_target(base, target, pair)
                tried.append(run(label, profile, traffic, params, settings, target))

    attempt([t for t in values if t > 0])
    best = _cheapest(tried, budget)
    if best is not None and targets is None:
        # Cost falls as the target rises and SLO misses grow: look closer between the best target and the next one.
        above = [t for t in values if t > best.target]
        if above:
            step = (above[0] - best.target) / (REFINE_POINTS + 1)
            attempt([round(best.target + step * k, 1) for k in range(1, REFINE_POINTS + 1)])
            best = _cheapest(tried, budget)
    aws_post = run(
        "AWS post (target 70, min 1, max 4)", load_profile(AWS_POST_PROFILE), traffic, params, settings, 70.0
    )
    formula_target = round(capacity * AWS_SAFETY_FACTOR, 1)
    aws_formula = run(
        f"AWS formula (capacity x {AWS_SAFETY_FACTOR} = {formula_target:g})",
        with_invocations_target(base, formula_target),
        traffic,
        params,
        settings,
        formula_target,
    )
    return Recommendation(best, aws_post, aws_formula, tuple(tried))
