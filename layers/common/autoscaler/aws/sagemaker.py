"""SageMaker: the reads (endpoints, their configs and inference components, tags) and the writes of the functions
(tags, an instance count). The decoders of SageMaker's answers are in autoscaler/aws/sagemaker_shapes.py."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any

from autoscaler.aws.base import Clients
from autoscaler.aws.classify import ENDPOINT_MISSING_TEXT, classified
from autoscaler.aws.ec2 import Ec2Reads
from autoscaler.aws.sagemaker_shapes import (
    Descriptions,
    EndpointSummary,
    component_info,
    endpoint_version,
    shows,
    variant_info,
)
from autoscaler.constants import ENDPOINT_IN_SERVICE
from autoscaler.errors import AwsError, NotFoundError
from autoscaler.state import ComponentInfo, EndpointInfo

DESCRIBE_WORKERS = 8  # concurrent DescribeEndpoint calls of a sweep (SageMaker throttles with standard retries)
SEARCH_PAGE = 100  # SageMaker Search MaxResults: 1-100


class SageMakerReads(Ec2Reads):
    """Endpoint descriptions, with the vCPU and GPU counts of their instance types (autoscaler/aws/ec2.py)."""

    _configs: dict[tuple[str, str, str], dict[str, Any]]
    _described: dict[tuple[str, str], EndpointInfo]

    def read_endpoint(self, name: str, *, instance_types: bool = True) -> EndpointInfo | None:
        """DescribeEndpoint (+ DescribeEndpointConfig, cached); None when the endpoint does not exist.

        ``instance_types=False``: DescribeEndpoint alone tells the variants and their kinds (AsyncInferenceConfig,
        CurrentServerlessConfig); only their instance types need the endpoint config, so it is read when
        ``EndpointInfo.instance_type`` is first asked (a CPU or GPU metric), with the vCPU/GPU counts of all its
        instance types in the same DescribeInstanceTypes call.
        """
        try:
            with classified(f"DescribeEndpoint {name}"):
                raw = self.sagemaker.describe_endpoint(EndpointName=name)
        except NotFoundError as exc:
            if ENDPOINT_MISSING_TEXT in exc.message:
                return None
            raise
        # An endpoint's configuration changes only through UpdateEndpoint, which changes LastModifiedTime; a config
        # name alone is not a key (a config can be deleted and created again under the same name).
        config_version = (raw["EndpointArn"], str(raw.get("LastModifiedTime")))
        if not instance_types and raw.get("ProductionVariants"):
            return self._endpoint_without_config(raw, config_version)
        config = self._endpoint_config(raw["EndpointConfigName"], config_version)
        configured = {v["VariantName"]: v for v in config.get("ProductionVariants", ())}
        asynchronous = "AsyncInferenceConfig" in config
        variants = [
            variant_info(live, configured.get(live["VariantName"], {}), asynchronous)
            for live in raw.get("ProductionVariants") or config.get("ProductionVariants", ())
        ]
        return EndpointInfo(
            raw["EndpointName"],
            raw["EndpointArn"],
            raw["EndpointStatus"],
            raw["EndpointConfigName"],
            tuple(variants),
            version=endpoint_version(raw),
        )

    def _endpoint_without_config(self, raw: Mapping[str, Any], config_version: tuple[str, str]) -> EndpointInfo:
        asynchronous = "AsyncInferenceConfig" in raw
        variants = tuple(variant_info(live, {}, asynchronous) for live in raw["ProductionVariants"])
        config_name = str(raw["EndpointConfigName"])

        def instance_types() -> dict[str, str]:
            config = self._endpoint_config(config_name, config_version)
            found = {
                v["VariantName"]: v["InstanceType"] for v in config.get("ProductionVariants", ()) if "InstanceType" in v
            }
            self._prefetch_hardware(found.values())
            return found

        return EndpointInfo(
            raw["EndpointName"],
            raw["EndpointArn"],
            raw["EndpointStatus"],
            config_name,
            variants,
            version=endpoint_version(raw),
            resolve_instance_types=instance_types,
        )

    def describe_listed(self, listed: EndpointSummary, *, fresh: bool = False) -> EndpointInfo | None:
        """The description of an endpoint from a ListEndpoints page, cached per execution environment by ARN and
        version (CreationTime, LastModifiedTime), with the listing's status.

        What the sweep needs of a description (its variants, their kinds and instance types) changes only through
        UpdateEndpoint, which changes LastModifiedTime; a deleted and re-created endpoint has a new CreationTime.
        Only InService descriptions are kept, and only used while the listing says InService, so a description
        read mid-update is never reused. ``fresh``: describe even when cached (to replace a description made from a
        Search record, whose kinds are not known). None when the endpoint no longer exists.
        """
        cached = None if fresh else self._cached(listed)
        if cached is not None:
            return cached
        endpoint = self.read_endpoint(listed.name, instance_types=False)
        if endpoint is not None and endpoint.in_service and (endpoint.arn, endpoint.version) == listed.key:
            self._described[listed.key] = endpoint
        return endpoint

    def _cached(self, listed: EndpointSummary) -> EndpointInfo | None:
        """The kept description, used only while the listing says InService (see describe_listed)."""
        return self._described.get(listed.key) if listed.status == ENDPOINT_IN_SERVICE else None

    def describe_all_listed(
        self,
        listed: Sequence[EndpointSummary],
        *,
        among: int = 0,
        records: Mapping[str, dict[str, Any]] | None = None,
    ) -> Descriptions:
        """describe_listed for many endpoints, with the fewest calls: the cached ones cost none; the others come
        from one SageMaker Search over all ``among`` listed endpoints (100 per call) when that takes fewer calls than
        describing them one by one; the rest (those Search did not show InService at their listed version, or all of
        them when Search is not cheaper or fails) from DescribeEndpoint calls in DESCRIBE_WORKERS threads (botocore
        clients are thread-safe). A description made from a Search record has ``kinds_known`` False (see
        ``search_endpoints``). ``records``: Search records already read (by ARN), used instead of a Search of its own.
        The first AWS failure of a DescribeEndpoint is raised."""
        found: dict[str, EndpointInfo | None] = {}
        missing: list[EndpointSummary] = []
        for entry in listed:
            cached = self._cached(entry)
            if cached is None:
                missing.append(entry)
            else:
                found[entry.name] = cached
        searched, search_error = 0, ""
        if missing and (records is not None or len(missing) > math.ceil(max(among, len(listed)) / SEARCH_PAGE)):
            if records is None:
                try:
                    records = self.search_endpoints()
                except AwsError as exc:  # not a temporary failure (classified raised those): describe instead
                    records, search_error = {}, str(exc)
            still: list[EndpointSummary] = []
            for entry in missing:
                record = records.get(entry.arn)
                if record is None or entry.status != ENDPOINT_IN_SERVICE or not shows(record, entry):
                    still.append(entry)
                    continue
                version = (entry.arn, str(record.get("LastModifiedTime")))
                endpoint = replace(self._endpoint_without_config(record, version), kinds_known=False)
                found[entry.name] = self._described[entry.key] = endpoint
                searched += 1
            missing = still
        if missing:
            with classified("SageMaker client"):
                self.sagemaker.meta  # noqa: B018 - make the (lazy) client once, before the threads share it
            with ThreadPoolExecutor(max_workers=min(DESCRIBE_WORKERS, len(missing))) as pool:
                found.update(zip([e.name for e in missing], pool.map(self.describe_listed, missing), strict=True))
        return Descriptions({e.name: found[e.name] for e in listed}, searched, len(missing), search_error)

    def search_endpoints(self) -> dict[str, dict[str, Any]]:
        """SageMaker Search over every endpoint of the region (Resource=Endpoint, 100 per call, sorted by name so that
        an update during the paging cannot move a record past the pages read): by ARN, the Endpoint records. They
        carry what ListEndpoints does plus EndpointConfigName and ProductionVariants (with CurrentServerlessConfig).

        AWS facts (SageMaker API Reference, Search and the Endpoint data type): MaxResults 1-100; the Endpoint record
        has no AsyncInferenceConfig, so an asynchronous endpoint cannot be told from a real-time one there. Search
        reads an index, which may lag the endpoint: callers use a record only where it shows the version and status
        ListEndpoints shows.
        """
        with classified("Search Endpoint"):
            records = self._pages(
                self.sagemaker,
                "search",
                "Results",
                Resource="Endpoint",
                SortBy="EndpointName",
                SortOrder="Ascending",
                PaginationConfig={"PageSize": SEARCH_PAGE},
            )
        endpoints = (r.get("Endpoint") or {} for r in records)
        return {e["EndpointArn"]: e for e in endpoints if "EndpointArn" in e}

    def _endpoint_config(self, name: str, version: tuple[str, str]) -> dict[str, Any]:
        key = (name, *version)
        if key not in self._configs:
            with classified(f"DescribeEndpointConfig {name}"):
                self._configs[key] = self.sagemaker.describe_endpoint_config(EndpointConfigName=name)
        return self._configs[key]

    def with_components(self, endpoint: EndpointInfo) -> EndpointInfo:
        """The endpoint with its inference components (ListInferenceComponents) and their tags."""
        with classified(f"ListInferenceComponents {endpoint.name}"):
            listed = self._pages(
                self.sagemaker,
                "list_inference_components",
                "InferenceComponents",
                EndpointNameEquals=endpoint.name,
                PaginationConfig={"PageSize": 100},
            )
        return replace(endpoint, components=self.tagged_components(component_info(c) for c in listed))

    def list_components(self) -> tuple[ComponentInfo, ...]:
        """Every inference component of the region (ListInferenceComponents, 100 per call), without its tags, with
        the endpoint hosting it (``ComponentInfo.endpoint``)."""
        with classified("ListInferenceComponents"):
            listed = self._pages(
                self.sagemaker, "list_inference_components", "InferenceComponents", PaginationConfig={"PageSize": 100}
            )
        return tuple(component_info(c) for c in listed)

    def tagged_components(self, components: Iterable[ComponentInfo]) -> tuple[ComponentInfo, ...]:
        """The components with their tags (ListTags, one call per component, read together: see read_tags_of)."""
        found = tuple(components)
        tags = self.read_tags_of({c.arn: c.arn for c in found})
        return tuple(replace(c, tags=tuple(sorted(tags[c.arn].items()))) for c in found)

    def read_tags_of(self, arns: Mapping[str, str]) -> dict[str, dict[str, str]]:
        """read_tags of many resources (key -> ARN), in DESCRIBE_WORKERS threads when there is more than one (botocore
        clients are thread-safe; SageMaker's API has no call that reads the tags of several resources). The first AWS
        failure is raised."""
        if len(arns) <= 1:
            return {key: self.read_tags(arn) for key, arn in arns.items()}
        with classified("SageMaker client"):
            self.sagemaker.meta  # noqa: B018 - make the (lazy) client once, before the threads share it
        with ThreadPoolExecutor(max_workers=min(DESCRIBE_WORKERS, len(arns))) as pool:
            return dict(zip(arns, pool.map(self.read_tags, arns.values()), strict=True))

    def read_tags(self, arn: str) -> dict[str, str]:
        tags: dict[str, str] = {}
        with classified(f"ListTags {arn}"):
            for page in self.sagemaker.get_paginator("list_tags").paginate(ResourceArn=arn):
                tags.update({t["Key"]: t["Value"] for t in page.get("Tags", ())})
        return tags

    def list_endpoint_names(self) -> tuple[str, ...]:
        """ListEndpoints, every page: the real (mixed-case) names, which ARNs in events and the Tagging API
        lower-case."""
        return tuple(e.name for e in self.list_endpoints())

    def find_endpoint(self, name: str, arn: str | None) -> str | None:
        """The real (case-preserved) name of the endpoint an event names, in at most two calls; None when neither
        finds it. ``name`` is as the event writes it (from an ARN: lower-cased by AWS), ``arn`` the endpoint's ARN when
        the event gives it.

        AWS facts (SageMaker API Reference): CreateEndpoint, EndpointName: "The name is case-insensitive in
        CreateEndpoint, but the case is preserved and must be matched in InvokeEndpoint"; whether DescribeEndpoint
        or ListEndpoints' NameContains ignore case is not documented, so neither is relied on. 1. DescribeEndpoint of
        the name as written: exact for a name that is all lower case (the usual case) or was typed as created, and
        its EndpointName is the real name. 2. Search (Resource Endpoint, the filter EndpointArn Equals the ARN:
        Search, Filter): the ARN is lower case in the event and in SageMaker's record alike, so it matches whatever
        Search does with case, and the record's EndpointName is the real name. Search reads an index that may lag a
        new endpoint (see search_endpoints): such an endpoint is left to its IN_SERVICE event and the sweep.
        """
        try:
            with classified(f"DescribeEndpoint {name}"):
                return str(self.sagemaker.describe_endpoint(EndpointName=name)["EndpointName"])
        except NotFoundError as exc:
            if ENDPOINT_MISSING_TEXT not in exc.message:
                raise
        if arn is None:
            return None
        with classified(f"Search Endpoint {arn}"):
            found = self.sagemaker.search(
                Resource="Endpoint",
                SearchExpression={"Filters": [{"Name": "EndpointArn", "Operator": "Equals", "Value": arn}]},
                MaxResults=1,
            )
        records = [r.get("Endpoint") or {} for r in found.get("Results", ())]
        return next((str(r["EndpointName"]) for r in records if str(r.get("EndpointArn")).lower() == arn.lower()), None)

    def read_endpoint_names(self, tag_key: str) -> dict[str, str]:
        """Search (Resource Endpoint, the filter ``Tags.<tag_key>`` Exists: SageMaker API Reference, Filter, "To
        define a tag filter, enter a value with the form Tags.<key>"; Operator Exists, "The Name property exists"),
        100 per call: lower-cased ARN -> real name of every endpoint carrying the tag, the paged minimum for the
        names of the endpoints a profile change concerns (the Tagging API gives their ARNs only)."""
        with classified(f"Search Endpoint Tags.{tag_key}"):
            records = self._pages(
                self.sagemaker,
                "search",
                "Results",
                Resource="Endpoint",
                SearchExpression={"Filters": [{"Name": f"Tags.{tag_key}", "Operator": "Exists"}]},
                SortBy="EndpointName",
                SortOrder="Ascending",
                PaginationConfig={"PageSize": SEARCH_PAGE},
            )
        endpoints = (r.get("Endpoint") or {} for r in records)
        return {str(e["EndpointArn"]).lower(): str(e["EndpointName"]) for e in endpoints if "EndpointArn" in e}

    def list_endpoints(self) -> tuple[EndpointSummary, ...]:
        """ListEndpoints, every page (100 per call): every endpoint's real name, ARN, status and version. Cached
        descriptions of versions no longer listed are dropped (see describe_listed)."""
        with classified("ListEndpoints"):
            endpoints = self._pages(self.sagemaker, "list_endpoints", "Endpoints", PaginationConfig={"PageSize": 100})
        return self.endpoint_summaries(endpoints, prune=True)

    def endpoint_summaries(self, endpoints: Iterable[Mapping[str, Any]], *, prune: bool) -> tuple[EndpointSummary, ...]:
        """ListEndpoints entries decoded; ``prune``: they are every endpoint of the region, so the cached descriptions
        of versions no longer listed are dropped (see describe_listed)."""
        listed = tuple(
            EndpointSummary(e["EndpointName"], e["EndpointArn"], e["EndpointStatus"], endpoint_version(e))
            for e in endpoints
        )
        if prune:
            current = {e.key for e in listed}
            for key in [k for k in self._described if k not in current]:
                del self._described[key]
        return listed

    def describe_component(self, name: str) -> dict[str, Any] | None:
        """DescribeInferenceComponent by exact name; None when it does not exist."""
        try:
            with classified(f"DescribeInferenceComponent {name}"):
                return dict(self.sagemaker.describe_inference_component(InferenceComponentName=name))
        except NotFoundError:  # any "Could not find" ValidationException (autoscaler/aws/classify.py, NOT_FOUND_TEXT)
            return None

    def read_component_endpoint(self, name: str) -> tuple[str, str] | None:
        """(EndpointName, InferenceComponentStatus) of an inference component, for routing its CloudTrail calls;
        None when it does not exist. DescribeInferenceComponent by name; when none has exactly that name,
        ListInferenceComponents (every page, 100 per call) matched case-insensitively, since ARNs lower-case the
        name (a tag call on a component ARN) and whether DescribeInferenceComponent ignores case is not documented."""
        found = self.describe_component(name)
        if found is not None:
            return str(found["EndpointName"]), str(found["InferenceComponentStatus"])
        for component in self.list_components():
            if component.name.lower() == name.lower():
                return component.endpoint, component.status
        return None


class SageMakerWrites(Clients):
    def write_tags(self, arn: str, tags: Mapping[str, str]) -> None:
        with classified(f"AddTags {arn}"):
            self.sagemaker.add_tags(ResourceArn=arn, Tags=[{"Key": k, "Value": v} for k, v in tags.items()])

    def delete_tags(self, arn: str, keys: Sequence[str]) -> None:
        with classified(f"DeleteTags {arn}"):
            self.sagemaker.delete_tags(ResourceArn=arn, TagKeys=list(keys))

    def update_instance_count(self, endpoint: str, variant: str, count: int) -> None:
        """UpdateEndpointWeightsAndCapacities for one variant's instance count (the endpoint goes Updating)."""
        with classified(f"UpdateEndpointWeightsAndCapacities {endpoint}/{variant}"):
            self.sagemaker.update_endpoint_weights_and_capacities(
                EndpointName=endpoint,
                DesiredWeightsAndCapacities=[{"VariantName": variant, "DesiredInstanceCount": count}],
            )
