"""plan(desired, actual, now): tables of situations, and convergence over generated specs and states."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from autoscaler.actions import (
    Action,
    DeleteAlarms,
    DeletePolicy,
    DeleteScheduledAction,
    DeregisterTarget,
    PutAlarm,
    PutScheduledAction,
    PutStepScalingPolicy,
    PutTargetTrackingPolicy,
    RegisterTarget,
)
from autoscaler.constants import METRIC_INVOCATIONS_PER_INSTANCE
from autoscaler.planner import effective_bounds, plan
from autoscaler.spec import (
    AdoptMode,
    AlarmSpec,
    CustomMetric,
    EndpointSpec,
    Held,
    Hold,
    PredefinedMetric,
    ScheduledAction,
    StepAdjustment,
    StepScalingPolicy,
    SuspendedState,
    TargetKey,
    TargetTrackingPolicy,
    VariantKind,
    VariantSpec,
)
from autoscaler.state import AlarmState, PolicyState, ScalingState, ScheduleState, TargetState

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
OWNED = "autoscaler-"


def policy(variant: str = "AllTraffic", target: float = 70.0, key: str = "invocations") -> TargetTrackingPolicy:
    return TargetTrackingPolicy(
        f"{OWNED}{variant}-{key}", key, PredefinedMetric(METRIC_INVOCATIONS_PER_INSTANCE), target
    )


def variant(name: str = "AllTraffic", lo: int = 1, hi: int = 4, *policies: TargetTrackingPolicy) -> VariantSpec:
    return VariantSpec("ep", name, VariantKind.INSTANCE, lo, hi, policies=policies or (policy(name),))


def key(name: str = "AllTraffic") -> TargetKey:
    return TargetKey.for_variant("ep", name, VariantKind.INSTANCE)


def tracked(p: TargetTrackingPolicy, owned: bool = True) -> PolicyState:
    return PolicyState(p.name, "TargetTrackingScaling", f"arn:{p.name}", owned, p)


def foreign_policy(name: str = "hand-made") -> PolicyState:
    return PolicyState(name, "StepScaling", f"arn:{name}", owned=False)


def target(name: str = "AllTraffic", lo: int = 1, hi: int = 4, policies=(), schedules=()) -> TargetState:
    return TargetState(key(name), lo, hi, SuspendedState(), tuple(policies), tuple(schedules))


def verbs(actions) -> list[str]:
    return [a.verb for a in actions]


# ------------------------------------------------------------------ tables


def test_empty_state_registers_then_puts_policies() -> None:
    result = plan(EndpointSpec("ep", (variant(),)), ScalingState("ep"), NOW)
    assert verbs(result.actions) == ["RegisterTarget", "PutTargetTrackingPolicy"]
    assert result.actions[0].reason.startswith("not registered")


def test_state_equal_to_spec_plans_nothing() -> None:
    state = ScalingState("ep", (target(policies=[tracked(policy())]),))
    assert plan(EndpointSpec("ep", (variant(),)), state, NOW).actions == ()


def test_changed_bound_re_registers_with_a_reason() -> None:
    state = ScalingState("ep", (target(hi=4, policies=[tracked(policy())]),))
    (action,) = plan(EndpointSpec("ep", (variant(hi=6),)), state, NOW).actions
    assert isinstance(action, RegisterTarget)
    assert action.reason == "max 4 -> 6"


def test_changed_target_value_re_puts_only_that_policy() -> None:
    state = ScalingState("ep", (target(policies=[tracked(policy(target=70))]),))
    (action,) = plan(EndpointSpec("ep", (variant("AllTraffic", 1, 4, policy(target=80)),)), state, NOW).actions
    assert isinstance(action, PutTargetTrackingPolicy)
    assert action.reason.startswith("changed: invocations target 80")


def test_owned_policy_no_longer_desired_is_deleted_before_puts() -> None:
    stale = replace(policy(key="memory"), name=f"{OWNED}AllTraffic-memory")
    state = ScalingState("ep", (target(policies=[tracked(stale)]),))
    result = plan(EndpointSpec("ep", (variant(),)), state, NOW)
    assert verbs(result.actions) == ["DeletePolicy", "PutTargetTrackingPolicy"]


def test_coexist_keeps_foreign_policies_and_says_so() -> None:
    state = ScalingState("ep", (target(policies=[tracked(policy()), foreign_policy()]),))
    result = plan(EndpointSpec("ep", (variant(),)), state, NOW)
    assert result.actions == ()
    assert "kept hand-made hand-made" in result.notes[0]


def test_replace_deletes_foreign_policies_and_schedules() -> None:
    hand = ScheduleState(ScheduledAction("nightly", "cron(0 0 * * ? *)"), owned=False)
    state = ScalingState("ep", (target(policies=[tracked(policy()), foreign_policy()], schedules=[hand]),))
    result = plan(EndpointSpec("ep", (variant(),), AdoptMode.REPLACE), state, NOW)
    assert verbs(result.actions) == ["DeletePolicy", "DeleteScheduledAction"]
    assert all("adopt=replace" in a.reason for a in result.actions)


def test_opt_out_deregisters_a_target_that_holds_only_owned_configuration() -> None:
    alarm = AlarmState("autoscaler/ep/AllTraffic/x", None)
    state = ScalingState("ep", (target(policies=[tracked(policy())]),), alarms=(alarm,))
    result = plan(EndpointSpec("ep"), state, NOW)
    assert verbs(result.actions) == ["DeregisterTarget", "DeleteAlarms"]


def test_opt_out_with_foreign_policy_keeps_the_target_and_deletes_only_owned() -> None:
    state = ScalingState("ep", (target(policies=[tracked(policy()), foreign_policy()]),))
    result = plan(EndpointSpec("ep"), state, NOW)
    assert verbs(result.actions) == ["DeletePolicy"]
    assert result.actions[0].name == policy().name
    assert "target kept for hand-made hand-made" in result.notes[0]


def test_target_that_was_never_ours_is_left_alone() -> None:
    state = ScalingState("ep", (target(policies=[foreign_policy()]), target("Other")))
    assert plan(EndpointSpec("ep"), state, NOW).actions == ()


def test_suspend_change_re_registers() -> None:
    state = ScalingState("ep", (target(policies=[tracked(policy())]),))
    spec = EndpointSpec("ep", (replace(variant(), suspended=SuspendedState(scale_in=True)),))
    (action,) = plan(spec, state, NOW).actions
    assert action.reason == "suspended none -> scale-in"


def test_policy_of_another_type_under_an_owned_name_is_replaced() -> None:
    clash = PolicyState(policy().name, "StepScaling", "arn:x", owned=True)
    state = ScalingState("ep", (target(policies=[clash]),))
    assert verbs(plan(EndpointSpec("ep", (variant(),)), state, NOW).actions) == [
        "DeletePolicy",
        "PutTargetTrackingPolicy",
    ]


def test_two_variants_are_planned_independently() -> None:
    spec = EndpointSpec("ep", (variant("A", 1, 2), variant("B", 2, 8)))
    result = plan(spec, ScalingState("ep"), NOW)
    registered = {
        a.target.resource_id: (a.min_capacity, a.max_capacity) for a in result.actions if isinstance(a, RegisterTarget)
    }
    assert registered == {"endpoint/ep/variant/A": (1, 2), "endpoint/ep/variant/B": (2, 8)}


def step_pair(variant: str, name: str, adjustment: int = 1) -> tuple[StepScalingPolicy, AlarmSpec]:
    policy = StepScalingPolicy(f"{OWNED}{variant}-step-{name}", "ChangeInCapacity", (StepAdjustment(adjustment, 0.0),))
    alarm = AlarmSpec(
        f"autoscaler/ep/{variant}/{name}",
        CustomMetric("AWS/SageMaker", "OverheadLatency", "Average"),
        "GreaterThanThreshold",
        100.0,
        60,
        1,
        1,
        "missing",
        policy.name,
    )
    return policy, alarm


def test_new_step_policy_is_put_before_its_alarm_which_takes_its_arn() -> None:
    pair = step_pair("AllTraffic", "latency")
    spec = EndpointSpec("ep", (replace(variant(), step_policies=(pair,)),))
    result = plan(spec, ScalingState("ep", (target(policies=[tracked(policy())]),)), NOW)
    assert verbs(result.actions) == ["PutStepScalingPolicy", "PutAlarm"]
    assert result.actions[1].policy_arn is None  # the applier takes it from the put before


def test_changed_alarm_threshold_re_puts_only_the_alarm() -> None:
    policy_, alarm = step_pair("AllTraffic", "latency")
    stepped = PolicyState(policy_.name, "StepScaling", "arn:step", True, None, policy_)
    state = ScalingState(
        "ep",
        (target(policies=[tracked(policy()), stepped]),),
        (AlarmState(alarm.name, replace(alarm, threshold=50.0), ("arn:step",)),),
    )
    spec = EndpointSpec("ep", (replace(variant(), step_policies=((policy_, alarm),)),))
    (action,) = plan(spec, state, NOW).actions
    assert isinstance(action, PutAlarm)
    assert action.policy_arn == "arn:step"


def test_removed_step_policy_is_deleted_with_its_alarm() -> None:
    policy_, alarm = step_pair("AllTraffic", "latency")
    stepped = PolicyState(policy_.name, "StepScaling", "arn:step", True, None, policy_)
    state = ScalingState(
        "ep", (target(policies=[tracked(policy()), stepped]),), (AlarmState(alarm.name, alarm, ("arn:step",)),)
    )
    result = plan(EndpointSpec("ep", (variant(),)), state, NOW)
    assert verbs(result.actions) == ["DeletePolicy", "DeleteAlarms"]
    assert result.actions[1].names == (alarm.name,)


def test_removed_schedule_deletes_only_that_owned_action() -> None:
    keep = ScheduledAction(f"{OWNED}AllTraffic-keep", "rate(1 day)")
    drop = ScheduledAction(f"{OWNED}AllTraffic-drop", "rate(2 days)")
    state = ScalingState(
        "ep",
        (target(policies=[tracked(policy())], schedules=[ScheduleState(keep, True), ScheduleState(drop, True)]),),
    )
    spec = EndpointSpec("ep", (replace(variant(), schedules=(keep,)),))
    (action,) = plan(spec, state, NOW).actions
    assert isinstance(action, DeleteScheduledAction)
    assert action.name == drop.name


BERLIN_PAIR = (
    ScheduledAction(f"{OWNED}AllTraffic-up", "cron(0 8 ? * MON-FRI *)", "Europe/Berlin", None, None, 3, None),
    ScheduledAction(f"{OWNED}AllTraffic-down", "cron(0 19 ? * MON-FRI *)", "Europe/Berlin", None, None, 1, None),
)


def test_schedule_pair_decides_min_by_which_fired_last() -> None:
    spec = replace(variant(), schedules=BERLIN_PAIR)
    # Wednesday 2026-11-25: 10:00 Berlin is 09:00 UTC, 20:00 Berlin is 19:00 UTC.
    assert effective_bounds(spec, datetime(2026, 11, 25, 9, tzinfo=UTC))[:2] == (3, 4)
    assert effective_bounds(spec, datetime(2026, 11, 25, 19, tzinfo=UTC))[:2] == (1, 4)
    # Saturday: the Friday evening action fired last.
    assert effective_bounds(spec, datetime(2026, 11, 28, 9, tzinfo=UTC))[:2] == (1, 4)


def test_reconcile_inside_the_schedule_window_does_not_revert_it() -> None:
    spec = EndpointSpec("ep", (replace(variant(), schedules=BERLIN_PAIR),))
    scheduled = [ScheduleState(a, True) for a in BERLIN_PAIR]
    state = ScalingState("ep", (target(lo=3, policies=[tracked(policy())], schedules=scheduled),))
    assert plan(spec, state, datetime(2026, 11, 25, 9, tzinfo=UTC)).actions == ()
    (action,) = plan(spec, state, datetime(2026, 11, 25, 19, 30, tzinfo=UTC)).actions
    assert (action.min_capacity, action.reason) == (
        1,
        "min 3 -> 1 (min from scheduled action autoscaler-AllTraffic-down)",
    )


def test_suspended_scheduled_scaling_registers_the_spec_bounds_not_a_schedules() -> None:
    # Given the morning action has run (min 3) but scheduled scaling is suspended: AAS runs no scheduled action, so
    # the bounds a reconcile registers are the spec's, and the reason names no schedule.
    suspended = SuspendedState(scheduled=True)
    spec = EndpointSpec("ep", (replace(variant(), schedules=BERLIN_PAIR, suspended=suspended),))
    scheduled = [ScheduleState(a, True) for a in BERLIN_PAIR]
    state = ScalingState(
        "ep", (replace(target(lo=1, policies=[tracked(policy())], schedules=scheduled), suspended=suspended),)
    )
    assert effective_bounds(spec.variants[0], datetime(2026, 11, 25, 9, tzinfo=UTC)) == (1, 4, "")
    assert plan(spec, state, datetime(2026, 11, 25, 9, tzinfo=UTC)).actions == ()


def test_a_partial_action_after_a_full_one_keeps_the_max_the_full_one_set() -> None:
    # A (min 3, max 10) at 08:00, B (min 1 only) at 19:00; profile max 4. After B, AAS holds (1, 10), so a reconcile
    # that finds (1, 10) writes nothing.
    full = ScheduledAction(f"{OWNED}AllTraffic-a", "cron(0 8 * * ? *)", "UTC", None, None, 3, 10)
    partial = ScheduledAction(f"{OWNED}AllTraffic-b", "cron(0 19 * * ? *)", "UTC", None, None, 1, None)
    spec = EndpointSpec("ep", (replace(variant(), schedules=(full, partial)),))
    scheduled = [ScheduleState(a, True) for a in (full, partial)]
    state = ScalingState("ep", (target(lo=1, hi=10, policies=[tracked(policy())], schedules=scheduled),))
    evening = datetime(2026, 11, 25, 20, tzinfo=UTC)
    assert effective_bounds(spec.variants[0], evening) == (
        1,
        10,
        f"min from scheduled action {partial.name}; max from scheduled action {full.name}",
    )
    assert plan(spec, state, evening).actions == ()


def test_schedule_follows_local_time_across_daylight_saving() -> None:
    spec = replace(variant(), schedules=BERLIN_PAIR)
    # 2026-03-30 is the Monday after Berlin moved to summer time: 08:00 local is 06:00 UTC.
    assert effective_bounds(spec, datetime(2026, 3, 30, 6, 5, tzinfo=UTC))[:2] == (3, 4)
    assert effective_bounds(spec, datetime(2026, 3, 30, 5, 55, tzinfo=UTC))[:2] == (1, 4)


def test_active_hold_is_a_floor_on_min_until_it_expires() -> None:
    spec = replace(variant(), hold=Hold(3, datetime(2026, 11, 25, 13, tzinfo=UTC)))
    assert effective_bounds(spec, NOW)[:2] == (3, 4)
    assert effective_bounds(spec, datetime(2026, 11, 25, 14, tzinfo=UTC))[:2] == (1, 4)
    assert effective_bounds(replace(spec, hold=Hold(9, datetime(2026, 12, 1, tzinfo=UTC))), NOW)[:2] == (4, 4)


# ------------------------------------------------------------------ held targets (inference components in transition)

LLM = TargetKey.for_variant("ep", "llm", VariantKind.INFERENCE_COMPONENT)


def held(name: str = "llm", status: str = "Updating") -> Held:
    return Held(
        TargetKey.for_variant("ep", name, VariantKind.INFERENCE_COMPONENT),
        f"autoscaler/ep/{name}/",
        f"is {status}, not InService",
    )


def configured_component(name: str = "llm") -> tuple[TargetState, AlarmState]:
    """A component's target as the controller configured it: a target-tracking and a step policy, and the alarm."""
    step, alarm = step_pair(name, "scale-from-zero")
    stepped = PolicyState(step.name, "StepScaling", f"arn:{step.name}", True, None, step)
    own = TargetState(
        TargetKey.for_variant("ep", name, VariantKind.INFERENCE_COMPONENT),
        0,
        4,
        SuspendedState(),
        (tracked(policy(name, 3.0, "concurrency")), stepped),
    )
    return own, AlarmState(alarm.name, alarm, (f"arn:{step.name}",))


def test_held_component_gets_no_action_while_the_rest_of_the_endpoint_reconciles() -> None:
    # Given a configured component that is Updating (held), and a variant whose max changed
    component_target, component_alarm = configured_component()
    state = ScalingState("ep", (target(policies=[tracked(policy())]), component_target), (component_alarm,))
    spec = EndpointSpec("ep", (variant(hi=6),), held=(held(),))

    # When planned
    result = plan(spec, state, NOW)

    # Then only the variant is written: nothing registered, put, deleted or deregistered for the component
    (action,) = result.actions
    assert isinstance(action, RegisterTarget)
    assert action.target == key()
    assert result.notes == (
        "inference-component/llm is Updating, not InService: left as it is, nothing written (target kept with 2 "
        "owned policies and 0 owned scheduled actions, 1 owned alarm(s) kept)",
    )


def test_without_the_hold_the_same_component_would_be_released() -> None:
    # The defect the hold fixes: a component missing from the spec is no longer managed.
    component_target, component_alarm = configured_component()
    state = ScalingState("ep", (target(policies=[tracked(policy())]), component_target), (component_alarm,))
    result = plan(EndpointSpec("ep", (variant(),)), state, NOW)
    assert verbs(result.actions) == ["DeregisterTarget", "DeleteAlarms"]


def test_held_component_without_a_target_yet_registers_nothing() -> None:
    result = plan(EndpointSpec("ep", (variant(),), held=(held(status="Creating"),)), ScalingState("ep"), NOW)
    assert {a.target for a in result.actions} == {key()}  # the variant's RegisterTarget and policy
    assert result.notes == (
        "inference-component/llm is Creating, not InService: left as it is, nothing written (target not registered, "
        "0 owned alarm(s) kept)",
    )


def test_held_component_keeps_only_its_own_alarms() -> None:
    # "llm/" does not shelter "llm2/": the other component's stale alarm is deleted.
    _, llm_alarm = configured_component("llm")
    _, other_alarm = configured_component("llm2")
    state = ScalingState("ep", (target(policies=[tracked(policy())]),), (llm_alarm, other_alarm))
    (action,) = plan(EndpointSpec("ep", (variant(),), held=(held(),)), state, NOW).actions
    assert isinstance(action, DeleteAlarms)
    assert action.names == ("autoscaler/ep/llm2/scale-from-zero",)


# ------------------------------------------------------------------ convergence


def state_after(state: ScalingState, actions: tuple[Action, ...]) -> ScalingState:
    """What AWS holds after the actions, as AWS behaves (deregistering deletes policies and schedules)."""
    targets = {t.key: t for t in state.targets}
    alarms = {a.name: a for a in state.alarms}
    for action in actions:
        match action:
            case RegisterTarget():
                old = targets.get(action.target)
                targets[action.target] = TargetState(
                    action.target,
                    action.min_capacity,
                    action.max_capacity,
                    action.suspended,
                    old.policies if old else (),
                    old.schedules if old else (),
                )
            case DeregisterTarget():
                targets.pop(action.target)
            case PutTargetTrackingPolicy():
                t = targets[action.target]  # KeyError = a policy put before its target: AWS would refuse it
                kept = tuple(p for p in t.policies if p.name != action.policy.name)
                targets[action.target] = replace(
                    t, policies=(*kept, tracked(action.policy, owned=action.policy.name.startswith(OWNED)))
                )
            case DeletePolicy():
                t = targets[action.target]
                targets[action.target] = replace(t, policies=tuple(p for p in t.policies if p.name != action.name))
            case PutScheduledAction():
                t = targets[action.target]
                kept = tuple(s for s in t.schedules if s.action.name != action.action.name)
                targets[action.target] = replace(t, schedules=(*kept, ScheduleState(action.action, True)))
            case DeleteScheduledAction():
                t = targets[action.target]
                targets[action.target] = replace(
                    t, schedules=tuple(s for s in t.schedules if s.action.name != action.name)
                )
            case PutStepScalingPolicy():
                t = targets[action.target]
                kept = tuple(p for p in t.policies if p.name != action.policy.name)
                stepped = PolicyState(
                    action.policy.name, "StepScaling", f"arn:{action.policy.name}", True, None, action.policy
                )
                targets[action.target] = replace(t, policies=(*kept, stepped))
            case PutAlarm():
                arn = action.policy_arn or f"arn:{action.alarm.policy_name}"
                alarms[action.alarm.name] = AlarmState(action.alarm.name, action.alarm, (arn,))
            case DeleteAlarms():
                for name in action.names:
                    alarms.pop(name)
    return ScalingState(state.endpoint, tuple(targets.values()), tuple(alarms.values()))


VARIANTS = ("A", "B", "C")
policies_st = st.lists(
    st.builds(
        lambda v, key, target, cin, cout, off: TargetTrackingPolicy(
            f"{OWNED}{v}-{key}", key, PredefinedMetric(key), target, cin, cout, off
        ),
        st.just("?"),
        st.sampled_from(["invocations", "concurrency", "memory"]),
        st.floats(min_value=1, max_value=1000, allow_nan=False),
        st.integers(0, 3600),
        st.integers(0, 3600),
        st.booleans(),
    ),
    max_size=3,
    unique_by=lambda p: p.metric_key,
)


@st.composite
def variant_specs(draw: st.DrawFn, name: str) -> VariantSpec:
    lo = draw(st.integers(1, 10))
    hi = draw(st.integers(lo, 20))
    pols = tuple(replace(p, name=f"{OWNED}{name}-{p.metric_key}") for p in draw(policies_st))
    suspended = SuspendedState(draw(st.booleans()), draw(st.booleans()), draw(st.booleans()))
    steps = tuple(
        step_pair(name, n, draw(st.integers(1, 3))) for n in draw(st.lists(st.sampled_from("xyz"), unique=True))
    )
    schedules = tuple(
        ScheduledAction(f"{OWNED}{name}-{n}", "cron(0 8 ? * MON-FRI *)", "Europe/Berlin", None, None, lo, hi)
        for n in draw(st.lists(st.sampled_from("pq"), unique=True))
    )
    return VariantSpec("ep", name, VariantKind.INSTANCE, lo, hi, suspended, pols, schedules, steps)


@st.composite
def endpoint_specs(draw: st.DrawFn) -> EndpointSpec:
    names = draw(st.lists(st.sampled_from(VARIANTS), unique=True, max_size=3))
    return EndpointSpec("ep", tuple(draw(variant_specs(n)) for n in names), draw(st.sampled_from(list(AdoptMode))))


@st.composite
def actual_states(draw: st.DrawFn) -> ScalingState:
    """Whatever might already be there: our old configuration, hand-made configuration, stale alarms."""
    targets = []
    for name in draw(st.lists(st.sampled_from(VARIANTS), unique=True, max_size=3)):
        old = draw(variant_specs(name))
        owned = [tracked(p) for p in old.policies]
        foreign = [foreign_policy(f"hand-{i}") for i in range(draw(st.integers(0, 2)))]
        schedules = [
            ScheduleState(ScheduledAction(f"{OWNED}{name}-s{i}", "rate(1 hour)"), owned=True)
            for i in range(draw(st.integers(0, 1)))
        ]
        targets.append(
            TargetState(
                key(name), old.min_capacity, old.max_capacity, old.suspended, (*owned, *foreign), tuple(schedules)
            )
        )
    alarms = tuple(
        AlarmState(f"autoscaler/ep/{n}/old", None) for n in draw(st.lists(st.sampled_from(VARIANTS), unique=True))
    )
    return ScalingState("ep", tuple(targets), alarms)


@settings(max_examples=300, deadline=None)
@given(desired=endpoint_specs(), actual=actual_states())
def test_applying_the_plan_converges_from_any_state(desired: EndpointSpec, actual: ScalingState) -> None:
    after = state_after(actual, plan(desired, actual, NOW).actions)
    assert plan(desired, after, NOW).actions == ()


@settings(max_examples=200, deadline=None)
@given(desired=endpoint_specs(), actual=actual_states())
def test_coexist_never_touches_foreign_configuration(desired: EndpointSpec, actual: ScalingState) -> None:
    desired = replace(desired, adopt=AdoptMode.COEXIST)
    after = state_after(actual, plan(desired, actual, NOW).actions)
    foreign_before = {(t.key, n) for t in actual.targets for n in t.foreign_names}
    foreign_after = {(t.key, n) for t in after.targets for n in t.foreign_names}
    assert foreign_before == foreign_after


@settings(max_examples=200, deadline=None)
@given(actual=actual_states())
def test_opt_out_leaves_nothing_owned(actual: ScalingState) -> None:
    after = state_after(actual, plan(EndpointSpec("ep"), actual, NOW).actions)
    assert after.alarms == ()
    assert not any(t.owns_anything for t in after.targets)


@settings(max_examples=200, deadline=None)
@given(desired=endpoint_specs(), actual=actual_states(), names=st.lists(st.sampled_from(VARIANTS), unique=True))
def test_nothing_is_ever_written_under_a_held_target(desired: EndpointSpec, actual: ScalingState, names) -> None:
    holds = tuple(Held(key(n), f"autoscaler/ep/{n}/", "is Updating, not InService") for n in names)
    desired = replace(desired, variants=tuple(v for v in desired.variants if v.variant not in names), held=holds)
    actions = plan(desired, actual, NOW).actions
    assert not [a for a in actions if getattr(a, "target", None) in {h.target for h in holds}]
    deleted = {n for a in actions if isinstance(a, DeleteAlarms) for n in a.names}
    assert not [n for n in deleted if any(n.startswith(h.alarm_prefix) for h in holds)]
