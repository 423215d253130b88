"""AWS literals, in one place. Each is spelled exactly as AWS spells it."""

from typing import Final

AAS_NAMESPACE: Final = "sagemaker"
DIMENSION_INSTANCE_COUNT: Final = "sagemaker:variant:DesiredInstanceCount"
DIMENSION_PROVISIONED_CONCURRENCY: Final = "sagemaker:variant:DesiredProvisionedConcurrency"
DIMENSION_COPY_COUNT: Final = "sagemaker:inference-component:DesiredCopyCount"

POLICY_TARGET_TRACKING: Final = "TargetTrackingScaling"
POLICY_STEP: Final = "StepScaling"

METRIC_INVOCATIONS_PER_INSTANCE: Final = "SageMakerVariantInvocationsPerInstance"
METRIC_CONCURRENT_REQUESTS_HIGH_RES: Final = "SageMakerVariantConcurrentRequestsPerModelHighResolution"
METRIC_PROVISIONED_CONCURRENCY_UTILIZATION: Final = "SageMakerVariantProvisionedConcurrencyUtilization"
METRIC_COMPONENT_INVOCATIONS_PER_COPY: Final = "SageMakerInferenceComponentInvocationsPerCopy"
METRIC_COMPONENT_CONCURRENT_REQUESTS_HIGH_RES: Final = (
    "SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution"
)

# AWS/SageMaker metrics of asynchronous endpoints (SageMaker Developer Guide, "Alarms and logs for tracking metrics from
# asynchronous endpoints"), published with the EndpointName dimension only.
SAGEMAKER_NAMESPACE: Final = "AWS/SageMaker"
METRIC_BACKLOG_PER_INSTANCE: Final = "ApproximateBacklogSizePerInstance"
METRIC_HAS_BACKLOG_WITHOUT_CAPACITY: Final = "HasBacklogWithoutCapacity"
# Inference components (SageMaker Developer Guide, "Scale an endpoint to zero instances").
METRIC_NO_CAPACITY_FAILURES: Final = "NoCapacityInvocationFailures"
DIMENSION_COMPONENT_NAME: Final = "InferenceComponentName"

# Instance metrics SageMaker publishes for real-time endpoints, dimensions EndpointName and VariantName.
ENDPOINT_INSTANCE_NAMESPACE: Final = "/aws/sagemaker/Endpoints"
METRIC_MEMORY_UTILIZATION: Final = "MemoryUtilization"
METRIC_CPU_UTILIZATION: Final = "CPUUtilization"  # summed over vCPUs by CloudWatch
METRIC_GPU_UTILIZATION: Final = "GPUUtilization"  # summed over GPUs
METRIC_GPU_MEMORY_UTILIZATION: Final = "GPUMemoryUtilization"  # summed over GPUs
# AWS/SageMaker metrics published with the EndpointName dimension only (asynchronous inference).
ENDPOINT_ONLY_METRICS: Final = frozenset(
    {
        "ApproximateBacklogSize",
        "ApproximateBacklogSizePerInstance",
        "ApproximateAgeOfOldestRequest",
        "HasBacklogWithoutCapacity",
    }
)
DIMENSION_ENDPOINT_NAME: Final = "EndpointName"
DIMENSION_VARIANT_NAME: Final = "VariantName"

# API status values (DescribeEndpoint); events spell them UPPER_SNAKE.
ENDPOINT_IN_SERVICE: Final = "InService"
# ProductionVariantManagedInstanceScaling Status (SageMaker API Reference): ENABLED | DISABLED.
MANAGED_INSTANCE_SCALING_ENABLED: Final = "ENABLED"

# Default cooldowns AAS applies to SageMaker target tracking when none is given (AAS user guide,
# target-tracking-scaling-policy-overview: 300 s scale-out and scale-in for SageMaker variants). The
# controller always sends explicit values so that what it reads back compares equal to what it asked.
DEFAULT_COOLDOWN_SECONDS: Final = 300
MAX_COOLDOWN_SECONDS: Final = 86_400

# Quotas (AAS user guide, application-auto-scaling-limits).
MAX_POLICIES_PER_TARGET: Final = 50
MAX_SCHEDULED_ACTIONS_PER_TARGET: Final = 200
# Scalable targets per resource type, per account and region: "Other resource types: 500", adjustable (Application
# Auto Scaling User Guide, "Quotas for Application Auto Scaling"). In Service Quotas it is "Scalable targets for
# SageMaker" of service code application-autoscaling, quota code L-1AAF0700 (Service Quotas console, Application Auto
# Scaling; ListServiceQuotas names each quota's QuotaCode).
QUOTAS_SERVICE_CODE: Final = "application-autoscaling"
SAGEMAKER_TARGETS_QUOTA_CODE: Final = "L-1AAF0700"
SAGEMAKER_TARGETS_DEFAULT_QUOTA: Final = 500

OUTCOME_EVENT_SOURCE: Final = "sagemaker-autoscaler"
OUTCOME_EVENT_DETAIL_TYPE: Final = "SageMaker Autoscaler Reconcile Outcome"

# SageMaker tag values allow only letters, digits, spaces and _ . : / = + - @ (at most 256 characters).
TAG_VALUE_MAX_LENGTH: Final = 256

# "Values must be in the range of -2^360 to 2^360" (Application Auto Scaling API Reference,
# TargetTrackingScalingPolicyConfiguration, TargetValue). Targets are positive, so (0, 2^360].
MAX_TARGET_VALUE: Final = 2.0**360

# CloudWatch's units (CloudWatch API Reference, MetricDatum, Unit: the StandardUnit enum). A target-tracking metric's
# Unit is "The unit of the metric. For a complete list of the units that CloudWatch supports, see the MetricDatum data
# type" (Application Auto Scaling API Reference, CustomizedMetricSpecification); an alarm's is the same enum.
CLOUDWATCH_UNITS: Final = (
    "Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes", "Bits",
    "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count", "Bytes/Second", "Kilobytes/Second",
    "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second", "Bits/Second", "Kilobits/Second", "Megabits/Second",
    "Gigabits/Second", "Terabits/Second", "Count/Second", "None",
)  # fmt: skip

# CloudWatch statistics; anything else (p99, tm90, ...) is an extended statistic.
STANDARD_STATISTICS: Final = frozenset({"SampleCount", "Average", "Sum", "Minimum", "Maximum"})
