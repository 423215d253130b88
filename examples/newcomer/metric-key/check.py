"""Run on a copy of the repository with change.patch applied: the new metric key works from a tag and a profile."""

from autoscaler.spec import CustomMetric, MetricMath
from autoscaler.tags import parse_tags
from examples.newcomer.world import only_policy as policy

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
