"""What the newcomer examples' checks build on: one instance endpoint and the policies the controller wants for it
from its tags and a profile (no AWS call)."""

import json
from typing import Any

from autoscaler.profiles import parse_profile
from autoscaler.settings import Settings
from autoscaler.sources import desire
from autoscaler.spec import VariantKind
from autoscaler.state import EndpointInfo, Hardware, VariantInfo

ENDPOINT = EndpointInfo(
    "ep",
    "arn:aws:sagemaker:us-east-1:123456789012:endpoint/ep",
    "InService",
    "cfg",
    (VariantInfo("AllTraffic", VariantKind.INSTANCE, "ml.m5.xlarge"),),
)


def only_policy(tags: dict[str, str], profile: dict[str, Any]) -> Any:
    """The one policy of the endpoint's variant, opted in with ``tags``; a tag ``autoscaling:profile`` names
    ``profile``."""
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
