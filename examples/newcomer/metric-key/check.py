"""Run on a copy of the repository with change.patch applied: the new metric key works from a tag and a profile."""

import json

from autoscaler.profiles import parse_profile
from autoscaler.settings import Settings
from autoscaler.sources import desire
from autoscaler.spec import CustomMetric, MetricMath, VariantKind
from autoscaler.state import EndpointInfo, Hardware, VariantInfo
from autoscaler.tags import parse_tags

ENDPOINT = EndpointInfo(
    "ep",
    "arn:aws:sagemaker:us-east-1:123456789012:endpoint/ep",
    "InService",
    "cfg",
    (VariantInfo("AllTraffic", VariantKind.INSTANCE, "ml.m5.xlarge"),),
)


def policy(tags: dict[str, str], profile: dict[str, object]) -> object:
    (only,) = (
        desire(
            ENDPOINT,
            {"autoscaling:enabled": "true", **tags},
            Settings(max_capacity_ceiling=20),
            profiles=lambda ref: parse_profile(json.dumps(profile), f"profile {ref.name}"),
            hardware={"ml.m5.xlarge": Hardware(4, 0)}.get,
        )
        .spec.variants[0]
        .policies
    )
    return only


assert parse_tags({"autoscaling:target-disk": "70"}, "autoscaling").endpoint.targets == (("disk", 70.0),)
by_tag = policy({"autoscaling:target-disk": "70"}, {"version": 1, "min": 1, "max": 4})
by_profile = policy(
    {"autoscaling:profile": "p"},
    {"version": 1, "min": 1, "max": 4, "target_tracking": [{"metric": "disk", "target": 70}]},
)
for made in (by_tag, by_profile):
    assert made.name == "autoscaler-AllTraffic-disk", made.name
    assert isinstance(made.metric, CustomMetric | MetricMath)
    assert "DiskUtilization" in repr(made.metric), made.metric
print("metric key 'disk': tag and profile give the DiskUtilization policy")
