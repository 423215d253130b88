"""CloudWatch rules: PutMetricAlarm refuses what AWS refuses and takes every extended statistic AWS lists."""

from __future__ import annotations

import re
from typing import Any

from moto.cloudwatch.exceptions import ValidationError as CloudWatchValidationError
from moto.cloudwatch.models import CloudWatchBackend
from moto.cloudwatch.responses import CloudWatchResponse
from moto.core.responses import ActionResult

from localaws.fidelity.shared import PageSize, _model_refusal, _plain, page

_moto_put_metric_alarm = CloudWatchResponse.put_metric_alarm
_moto_put_metric_alarm_backend = CloudWatchBackend.put_metric_alarm
_moto_describe_alarms = CloudWatchResponse.describe_alarms

# PutMetricAlarm ExtendedStatistic: "the following are valid values: p90 tm90 tc90 ts90 wm90 IQM PR(n:m) where n and m
# are values of the metric TC(X%:X%) where X is between 10 and 90 inclusive. TM(X%:X%) ... TS(X%:X%) ... WM(X%:X%)"
# (CloudWatch API Reference, PutMetricAlarm); the numbers of the short forms are percentiles, "between 0 and 100, up
# to 10 decimal places" (CloudWatch User Guide, "CloudWatch statistics definitions").
_PERCENTILE = r"(?:100(?:\.0{1,10})?|\d{1,2}(?:\.\d{1,10})?)"
_BETWEEN_10_AND_90 = r"(?:90(?:\.0{1,10})?|[1-8]\d(?:\.\d{1,10})?)"
_METRIC_VALUE = r"(?:-?\d+(?:\.\d+)?)"
_EXTENDED_STATISTIC = re.compile(
    rf"(?:p|tm|tc|ts|wm){_PERCENTILE}|IQM|PR\({_METRIC_VALUE}?:{_METRIC_VALUE}?\)"
    rf"|(?:TC|TM|TS|WM)\({_BETWEEN_10_AND_90}%:{_BETWEEN_10_AND_90}%\)"
)


def _alarm_refusal(params: dict[str, Any]) -> str | None:
    """PutMetricAlarm (CloudWatch API Reference, PutMetricAlarm):

    - Period: "Valid values are 10, 20, 30, and any multiple of 60", and "An alarm's total current evaluation period
      can be no longer than seven days, so Period multiplied by EvaluationPeriods can't be more than 604,800 seconds.
      For alarms with a period of less than one hour (3,600 seconds), the total evaluation period can't be longer
      than one day (86,400 seconds).";
    - Statistic: "When you call PutMetricAlarm and specify a MetricName, you must specify either Statistic or
      ExtendedStatistic, but not both", ExtendedStatistic one of its valid values (``_EXTENDED_STATISTIC``);
    - TreatMissingData: "Valid Values: breaching | notBreaching | ignore | missing".
    """
    period, periods = params.get("Period"), params.get("EvaluationPeriods")
    if period is not None and period not in (10, 20, 30) and period % 60:
        return f"Period {period} is not valid: valid values are 10, 20, 30, and any multiple of 60"
    if period is not None and periods is not None:
        window = period * periods
        if window > 604_800 or (period < 3600 and window > 86_400):
            return (
                f"Period x EvaluationPeriods is {window} s: it can't be more than 604,800 seconds, nor more than "
                "86,400 seconds for periods of less than one hour"
            )
    if params.get("MetricName") is not None and (params.get("Statistic") is None) == (
        params.get("ExtendedStatistic") is None
    ):
        return "You must specify either Statistic or ExtendedStatistic, but not both"
    extended = params.get("ExtendedStatistic")
    if extended is not None and not _EXTENDED_STATISTIC.fullmatch(extended):
        return f"ExtendedStatistic {extended} is not a valid extended statistic"
    treat = params.get("TreatMissingData")
    if treat is not None and treat not in ("breaching", "notBreaching", "ignore", "missing"):
        return f"TreatMissingData {treat} is not one of breaching, notBreaching, ignore, missing"
    return None


def _alarm_takes_every_extended_statistic(self: CloudWatchBackend, *args: Any, **kwargs: Any) -> Any:
    """An alarm takes every ExtendedStatistic PutMetricAlarm lists ("p90 tm90 tc90 ts90 wm90 IQM PR(n:m) ...":
    CloudWatch API Reference, PutMetricAlarm); moto refuses all but percentiles ("is not supported"). The alarm is
    made with a percentile standing in, then given the statistic asked for."""
    extended = kwargs.get("extended_statistic")
    if not extended or extended.startswith("p"):
        return _moto_put_metric_alarm_backend(self, *args, **kwargs)
    alarm = _moto_put_metric_alarm_backend(self, *args, **{**kwargs, "extended_statistic": "p50"})
    alarm.extended_statistic = extended
    return alarm


def _put_metric_alarm_refuses(self: CloudWatchResponse) -> Any:
    """PutMetricAlarm refuses what breaks the service model or a documented rule (``_alarm_refusal``) with CloudWatch's
    ValidationError ("The input fails to satisfy the constraints specified by an AWS service": CloudWatch API
    Reference, Common Errors)."""
    params = _plain(self.params)
    refusal = _model_refusal("cloudwatch", "PutMetricAlarm", params) or _alarm_refusal(params)
    if refusal:
        raise CloudWatchValidationError(refusal)
    return _moto_put_metric_alarm(self)


# DescribeAlarms MaxRecords: "The maximum number of alarm descriptions to retrieve", 1 to 100 (CloudWatch API Reference,
# DescribeAlarms; botocore's service model: min 1, max 100). The size of a page when MaxRecords is not given is not
# documented: 50 here. moto serves every alarm in one page.
DESCRIBE_ALARMS_PAGE = PageSize(default=50, maximum=100)


def _describe_alarms_pages(self: CloudWatchResponse) -> ActionResult:
    """DescribeAlarms serves its metric alarms in pages of ``DESCRIBE_ALARMS_PAGE`` (composite alarms, which the
    controller never makes, come whole with every page)."""
    requested = self._get_param("MaxRecords")
    everything = _moto_describe_alarms(self).result
    assert isinstance(everything, dict)
    try:
        alarms, token = page(
            everything["MetricAlarms"],
            self._get_param("NextToken"),
            int(requested) if requested else None,
            DESCRIBE_ALARMS_PAGE,
            "MaxRecords",
        )
    except ValueError as refused:
        raise CloudWatchValidationError(str(refused)) from None
    result: dict[str, Any] = {"MetricAlarms": alarms, "CompositeAlarms": everything["CompositeAlarms"]}
    if token:
        result["NextToken"] = token
    return ActionResult(result)


PATCHES: tuple[tuple[object, str, object], ...] = (
    (CloudWatchResponse, "put_metric_alarm", _put_metric_alarm_refuses),
    (CloudWatchBackend, "put_metric_alarm", _alarm_takes_every_extended_statistic),
    (CloudWatchResponse, "describe_alarms", _describe_alarms_pages),
)
