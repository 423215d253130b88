"""Seeding a large world inside the benchmark's server process (``bench.server``), through moto's backends.

At 20,000 endpoints, creating the endpoints and the first apply over HTTP would take longer than the benchmark may
(moto scans every scheduled action and the fidelity layer every policy on each put, so the puts grow with N). None of
it is what is measured: the measured calls are the controller's only, made over HTTP afterwards. So the world is
written here, in the process that holds moto's backends, with the same arguments moto's request handlers pass:

- ``create_endpoints``: per endpoint of ``bench.world.endpoint_mix``, its models, endpoint config and tagged endpoint
  (what ``localaws.seed.create_endpoint`` sends), through the SageMaker backend (the fidelity layer's backend rules
  apply: the endpoint starts Creating and turns InService when next looked at).
- ``apply_templates``: the controller's first apply of every endpoint. The caller plans it with the library for one
  period of the mix (``bench.world.MIX_PERIOD`` endpoints: every endpoint repeats one of them but for its name) and
  sends the rendered requests (``autoscaler.actions.request``, serialised as botocore sends them); each endpoint gets
  its template's requests with the name replaced. Scalable targets and policies go through the backend's methods (the
  fidelity layer's backend rules apply); a scheduled action is added as moto adds a new one, without the scan for an
  existing one (each is new); a step policy's alarm is put over HTTP by a client of this server (CloudWatch's request
  parsing is not re-implemented here), with the ARN its policy got.

The sweep that follows checks the result: a world seeded differently from what the controller would write shows up as
drift, and the scale benchmark reports any.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from moto.applicationautoscaling.models import FakeScheduledAction, applicationautoscaling_backends
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.sagemaker.models import sagemaker_backends

from bench import world
from localaws.seed import IMAGE_URI, ROLE_ARN

POLICY_ARN_PLACEHOLDER = "{policy-arn:%s}"  # the AlarmActions entry of a template alarm, by its policy's name
ALARM_THREADS = 4


def create_endpoints(count: int) -> int:
    backend = sagemaker_backends[DEFAULT_ACCOUNT_ID][world.REGION]
    for endpoint in world.endpoint_mix(count):
        variants = []
        for variant in endpoint.variants:
            model = f"{endpoint.name}-{variant}"
            backend.create_model(
                model_name=model,
                execution_role_arn=ROLE_ARN,
                primary_container={"Image": IMAGE_URI},
                vpc_config=None,
                containers=None,
                tags=None,
            )
            variants.append(
                {
                    "VariantName": variant,
                    "ModelName": model,
                    "InitialVariantWeight": 1.0,
                    "InstanceType": world.instance_type(endpoint, variant),
                    "InitialInstanceCount": 1,
                }
            )
        backend.create_endpoint_config(
            endpoint_config_name=endpoint.name,
            production_variants=variants,
            data_capture_config=None,  # type: ignore[arg-type]
            async_inference_config=None,  # type: ignore[arg-type]
            tags=None,  # type: ignore[arg-type]
            kms_key_id=None,  # type: ignore[arg-type]
        )
        tags = [{"Key": k, "Value": v} for k, v in endpoint.tags.items()]
        backend.create_endpoint(endpoint_name=endpoint.name, endpoint_config_name=endpoint.name, tags=tags)
    return count


def apply_templates(endpoint_url: str, count: int, templates: Mapping[str, Sequence[Mapping[str, Any]]]) -> int:
    """Every endpoint's first apply from its template's requests (see the module docstring); returns the writes."""
    backend = applicationautoscaling_backends[DEFAULT_ACCOUNT_ID][world.REGION]
    alarms: list[dict[str, Any]] = []
    writes = 0
    for i, endpoint in enumerate(world.endpoint_mix(count)):
        template_name = world.endpoint_name(i % world.MIX_PERIOD)
        arns: dict[str, str] = {}
        for rendered in templates[template_name]:
            params = _renamed(rendered["params"], template_name, endpoint.name)
            operation = rendered["operation"]
            writes += 1
            if operation == "RegisterScalableTarget":
                backend.register_scalable_target(
                    params["ServiceNamespace"],
                    params["ResourceId"],
                    params["ScalableDimension"],
                    min_capacity=params.get("MinCapacity"),
                    max_capacity=params.get("MaxCapacity"),
                    role_arn=params.get("RoleARN"),
                    suspended_state=params.get("SuspendedState"),
                )
            elif operation == "PutScalingPolicy":
                policy = backend.put_scaling_policy(
                    policy_name=params["PolicyName"],
                    service_namespace=params["ServiceNamespace"],
                    resource_id=params["ResourceId"],
                    scalable_dimension=params["ScalableDimension"],
                    policy_type=params.get("PolicyType"),
                    policy_body=params.get(
                        "StepScalingPolicyConfiguration", params.get("TargetTrackingScalingPolicyConfiguration")
                    ),
                )
                arns[POLICY_ARN_PLACEHOLDER % params["PolicyName"]] = policy.policy_arn
            elif operation == "PutScheduledAction":
                if not backend._scalable_target_exists(params["ResourceId"], params["ScalableDimension"]):
                    raise ValueError(f"{endpoint.name}: scheduled action before its scalable target")
                backend.scheduled_actions.append(
                    FakeScheduledAction(
                        params["ServiceNamespace"],
                        params.get("Schedule"),
                        params.get("Timezone"),
                        params["ScheduledActionName"],
                        params["ResourceId"],
                        params["ScalableDimension"],
                        params.get("StartTime"),
                        params.get("EndTime"),
                        params.get("ScalableTargetAction"),
                        DEFAULT_ACCOUNT_ID,
                        world.REGION,
                    )
                )
            elif operation == "PutMetricAlarm":
                actions = [arns.get(a, a) for a in params.get("AlarmActions", ())]
                alarms.append({**params, "AlarmActions": actions})
            else:
                raise ValueError(f"{endpoint.name}: a first apply does not {operation}")
    cloudwatch = world.client(endpoint_url, "cloudwatch")
    with ThreadPoolExecutor(ALARM_THREADS) as pool:
        list(pool.map(lambda alarm: cloudwatch.put_metric_alarm(**alarm), alarms))
    return writes


def _renamed(value: Any, old: str, new: str) -> Any:
    """``value`` with every string's ``old`` endpoint name replaced by ``new`` (template names are unique tokens:
    ``model-0007`` occurs in no other template's strings, nor in any other part of its own)."""
    if old == new:
        return value
    return json.loads(json.dumps(value).replace(f"{old}/", f"{new}/").replace(f'"{old}"', f'"{new}"'))
