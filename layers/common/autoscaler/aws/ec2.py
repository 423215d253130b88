"""EC2 DescribeInstanceTypes: the vCPU and GPU counts of SageMaker instance types, cached per execution environment."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from autoscaler.aws.base import Clients
from autoscaler.aws.classify import classified
from autoscaler.errors import AwsError
from autoscaler.state import Hardware


class Ec2Reads(Clients):
    _hardware: dict[str, Hardware | None]

    def _prefetch_hardware(self, instance_types: Iterable[str]) -> None:
        """vCPUs and GPUs of several instance types in one DescribeInstanceTypes call (cached like
        instance_hardware); an unknown type fails the whole call, so then each is looked up on its own later."""
        wanted = sorted({t for t in instance_types if t not in self._hardware})
        if len(wanted) >= 2:  # else instance_hardware makes the one call
            self._hardware.update(self._describe_types(wanted) or {})

    def instance_hardware(self, instance_type: str) -> Hardware | None:
        """vCPUs and GPUs of a SageMaker instance type (``ml.g5.12xlarge`` is EC2's ``g5.12xlarge``), cached."""
        if instance_type not in self._hardware:
            self._hardware[instance_type] = (self._describe_types([instance_type]) or {}).get(instance_type)
        return self._hardware[instance_type]

    def _describe_types(self, instance_types: Sequence[str]) -> dict[str, Hardware] | None:
        """DescribeInstanceTypes of SageMaker instance types, by SageMaker name; None when EC2 knows one of them not."""
        ec2_types = [t.removeprefix("ml.") for t in instance_types]
        try:
            with classified(f"DescribeInstanceTypes {' '.join(ec2_types)}"):
                found = self.ec2.describe_instance_types(InstanceTypes=ec2_types).get("InstanceTypes", ())
        except AwsError as exc:
            if exc.code not in ("InvalidInstanceType", "InvalidParameterValue"):
                raise
            return None
        return {f"ml.{raw['InstanceType']}": _hardware(raw) for raw in found}


def _hardware(raw: Mapping[str, Any]) -> Hardware:
    return Hardware(
        vcpus=int(raw["VCpuInfo"]["DefaultVCpus"]),
        gpus=sum(int(g.get("Count", 0)) for g in raw.get("GpuInfo", {}).get("Gpus", ())),
    )
