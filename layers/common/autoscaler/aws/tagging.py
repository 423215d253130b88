"""Resource Groups Tagging API: the endpoints carrying a tag."""

from __future__ import annotations

from autoscaler.aws.base import Clients
from autoscaler.aws.classify import classified


class TaggingReads(Clients):
    def read_tagged_endpoints(self, tag_key: str) -> tuple[tuple[str, dict[str, str]], ...]:
        """Resource Groups Tagging API GetResources: (ARN, all tags) of every SageMaker endpoint carrying ``tag_key``
        (any value), in pages of 100."""
        with classified(f"GetResources {tag_key}"):
            found = self._pages(
                self.client("resourcegroupstaggingapi"),
                "get_resources",
                "ResourceTagMappingList",
                ResourceTypeFilters=["sagemaker:endpoint"],
                TagFilters=[{"Key": tag_key}],
                ResourcesPerPage=100,
            )
        return tuple((r["ResourceARN"], {t["Key"]: t["Value"] for t in r.get("Tags", ())}) for r in found)
