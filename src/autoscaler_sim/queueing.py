"""The latency model of a variant: M/M/c with Erlang C waiting, and a fluid backlog when it is overloaded.

A variant with ``n`` instances in service, each running ``w`` workers (requests an instance serves at once), is an
M/M/c queue with ``c = n * w`` servers. Each worker serves ``mu = capacity / w`` invocations per minute, where
``capacity`` is the instance's maximum sustainable invocations per minute from a load test (SageMaker Developer Guide,
endpoint-scaling-loadtest: the peak InvocationsPerInstance a variant can handle). Arrivals are Poisson at the demand
rate ``lam`` per minute.

- Stable (``lam < c * mu``, no backlog): the mean service time is ``1 / mu``; the waiting time is 0 with probability
  ``1 - C`` and exponential with rate ``c * mu - lam`` otherwise (Erlang C, ``C`` = probability of waiting), so its
  ``q``-quantile is ``ln(C / (1 - q)) / (c * mu - lam)`` when ``C > 1 - q``, else 0. The latency estimate is the mean
  service time plus that quantile of the wait.
- Overloaded (``lam >= c * mu``) or still draining a backlog: requests beyond ``c * mu`` per minute queue up (a
  fluid approximation carried from one step to the next); the latency estimate is the mean service time plus the time
  the average queued backlog of the step takes to drain at ``c * mu``.

The model ignores SageMaker's overhead latency and the client's timeout (60 s for InvokeEndpoint): an overloaded
variant shows latencies that grow without that cap, which is the signal an SLO needs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MS_PER_MINUTE = 60_000.0


def erlang_c(servers: int, offered: float) -> float:
    """Probability that an arrival waits in M/M/c with `servers` servers and offered load `offered` (erlangs, < c)."""
    if servers < 1:
        raise ValueError("an M/M/c queue needs at least one server")
    if offered <= 0:
        return 0.0
    if offered >= servers:
        return 1.0
    blocking = 1.0  # Erlang B, by the stable recurrence B(k) = a B(k-1) / (k + a B(k-1))
    for k in range(1, servers + 1):
        blocking = offered * blocking / (k + offered * blocking)
    rho = offered / servers
    return blocking / (1.0 - rho * (1.0 - blocking))


@dataclass(frozen=True)
class Latency:
    mean_ms: float  # mean response time
    quantile_ms: float  # mean service time plus the quantile of the wait
    backlog: float  # requests queued at the end of the step (fluid)
    in_system: float  # mean requests in the variant (Little's law: lam * W)


def latency(
    demand_per_minute: float,
    instances: int,
    capacity_per_instance: float,
    workers: int,
    quantile: float,
    backlog: float,
    step_seconds: float,
) -> Latency:
    """The latency estimate of one step of `step_seconds` with `instances` in service (see the module docstring)."""
    if instances < 1:
        # No instance in service: everything queues (not reachable for real-time variants, whose min is >= 1).
        queued = backlog + demand_per_minute * step_seconds / 60.0
        return Latency(math.inf, math.inf, queued, queued)
    servers = instances * workers
    mu = capacity_per_instance / workers  # per worker, per minute
    service_ms = MS_PER_MINUTE / mu
    total = servers * mu
    lam = demand_per_minute
    if lam < total and backlog <= 0.0:
        waiting = erlang_c(servers, lam / mu)
        spare = total - lam
        mean_wait = waiting / spare
        tail = math.log(waiting / (1.0 - quantile)) / spare if waiting > 1.0 - quantile else 0.0
        mean_ms = service_ms + mean_wait * MS_PER_MINUTE
        return Latency(mean_ms, service_ms + tail * MS_PER_MINUTE, 0.0, lam * mean_ms / MS_PER_MINUTE)
    growth = (lam - total) * step_seconds / 60.0
    end = max(0.0, backlog + growth)
    average_queue = max(0.0, backlog + growth / 2.0) if growth < 0 else backlog + growth / 2.0
    wait_ms = average_queue / total * MS_PER_MINUTE
    mean_ms = service_ms + wait_ms
    return Latency(mean_ms, mean_ms, end, min(lam, total) * service_ms / MS_PER_MINUTE + average_queue)
