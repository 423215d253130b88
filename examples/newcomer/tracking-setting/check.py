"""Run on a copy of the repository with change.patch applied: the new target-tracking setting works from a tag and a
profile, reaches the policy and its request, and reads back from AWS's answer.

The setting is made up (tag ``instance-warmup``, member InstanceWarmup): AWS's TargetTrackingScalingPolicyConfiguration
has no member left to add, and the controller checks every request against botocore's model of the service. So
``aws-members.json`` names the member, and ``tests/unit/test_newcomer_changes.py`` runs this under a home whose
``~/.aws/models`` has the model with it. Nothing calls AWS."""

from typing import Any

from autoscaler.errors import ConfigError
from autoscaler.spec import TargetTrackingPolicy
from autoscaler.tags import parse_tags
from examples.newcomer.world import only_policy


def policy(tags: dict[str, str], entry: dict[str, Any]) -> TargetTrackingPolicy:
    profile = {"version": 1, "min": 1, "max": 4, "target_tracking": [{"metric": "invocations", "target": 70, **entry}]}
    made: TargetTrackingPolicy = only_policy({"autoscaling:profile": "p", **tags}, profile)
    return made


tagged = parse_tags({"autoscaling:AllTraffic:instance-warmup": "90"}, "autoscaling")
assert tagged.variant("AllTraffic").instance_warmup == 90, tagged
assert policy({}, {}).instance_warmup == 300  # the default
by_profile = policy({}, {"instance_warmup": 120})
by_tag = policy({"autoscaling:instance-warmup": "60"}, {"instance_warmup": 120})  # the tag wins
for made, seconds in ((by_profile, 120), (by_tag, 60)):
    assert made.instance_warmup == seconds, made
    request = made.configuration()  # its TargetTrackingScalingPolicyConfiguration
    assert request["InstanceWarmup"] == seconds, request
    assert TargetTrackingPolicy.from_api(made.name, request) == made  # read back, as DescribeScalingPolicies gives it
# a bad value is refused, named by its source, in both grammars
assert [str(p) for p in parse_tags({"autoscaling:instance-warmup": "soon"}, "autoscaling").errors] == [
    "autoscaling:instance-warmup: 'soon' is not a whole number (ASCII digits only)"
]
try:
    policy({}, {"instance_warmup": -1})
except ConfigError as refused:
    problems = [str(p) for p in refused.problems]
    assert problems == ["profile p: target_tracking[0].instance_warmup: -1 is outside 0..86400"], problems
else:
    raise AssertionError("a negative instance_warmup was accepted")
print("tracking setting 'instance-warmup': tag and profile reach the policy, its request and its read-back")
