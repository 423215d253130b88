"""Run any function's handler in-process on an event file, with the environment template.yaml gives it. No Docker.

    python -m localaws.invoke RouterFunction events/cloudtrail-addtags.json --endpoint-url http://127.0.0.1:5000
    python -m localaws.invoke SweeperFunction events/schedule-sweep.json --stack-name sagemaker-autoscaler

With ``--endpoint-url`` (a local AWS such as ``python -m localaws.server``) the stack's queues, SSM parameters and
rules are first created there (idempotent), so the template's references resolve; fake credentials are used unless
some are configured, and botocore makes one attempt per call. Without it, the handler talks to real AWS through the
normal credential chain, and ``--stack-name`` reads the physical ids of a deployed stack (the queue URL). Template
parameters take ``--param Name=Value``; environment variables ``--env NAME=VALUE``. The handler's answer is printed
as JSON on the last line.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import boto3

from localaws.pipeline import TEMPLATE, Function, Template, UnresolvedError, deploy

__all__ = ["invoke", "main", "pairs"]

LOCAL_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


def pairs(values: Sequence[str], what: str) -> dict[str, str]:
    """``NAME=VALUE`` arguments of the option ``what``; ValueError names the first that is not one (each command line
    makes it its usage error)."""
    found = {}
    for value in values:
        name, sep, text = value.partition("=")
        if not sep or not name:
            raise ValueError(f"{what} {value!r}: expected NAME=VALUE")
        found[name] = text
    return found


def invoke(
    function: str,
    event: Any,
    *,
    endpoint_url: str | None = None,
    stack_name: str | None = None,
    parameters: dict[str, str] | None = None,
    environment: dict[str, str] | None = None,
    region: str | None = None,
    template_path: Path = TEMPLATE,
) -> Any:
    """Runs ``function``'s handler on ``event``; returns what the handler returned."""
    region = region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    template = Template.load(template_path, parameters or {}, region)
    if function not in template.of_type("AWS::Lambda::Function"):
        names = ", ".join(sorted(template.of_type("AWS::Lambda::Function")))
        raise SystemExit(f"{function}: not a function of {template_path.name} ({names})")
    extra = {"AWS_REGION": region, "AWS_DEFAULT_REGION": region}
    if endpoint_url:
        deploy(template, endpoint_url, capture=False)
        extra |= {"AWS_ENDPOINT_URL": endpoint_url, "AWS_MAX_ATTEMPTS": "1"}
        if not boto3.session.Session().get_credentials():
            extra |= LOCAL_CREDENTIALS
    elif stack_name:
        cloudformation = boto3.client("cloudformation", region_name=region)
        for resource in cloudformation.describe_stack_resources(StackName=stack_name)["StackResources"]:
            template.physical[resource["LogicalResourceId"]] = resource["PhysicalResourceId"]
    extra |= environment or {}
    try:
        handler = Function(template, function, extra)
    except UnresolvedError as exc:
        raise SystemExit(f"{exc}: pass --endpoint-url, --stack-name, or the variable with --env NAME=VALUE") from None
    return handler(event)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m localaws.invoke", description=__doc__.splitlines()[0])
    parser.add_argument("function", help="logical id of the function in template.yaml, e.g. RouterFunction")
    parser.add_argument("event", type=Path, help="event file, e.g. events/cloudtrail-addtags.json")
    parser.add_argument("--endpoint-url", help="a local AWS (e.g. python -m localaws.server); default: real AWS")
    parser.add_argument("--stack-name", help="deployed stack whose resources the template's references name")
    parser.add_argument("--region", help="default: AWS_REGION, AWS_DEFAULT_REGION or us-east-1")
    parser.add_argument("--param", action="append", default=[], help="template parameter Name=Value (repeatable)")
    parser.add_argument("--env", action="append", default=[], help="environment variable NAME=VALUE (repeatable)")
    args = parser.parse_args(argv)
    try:
        parameters, environment = pairs(args.param, "--param"), pairs(args.env, "--env")
    except ValueError as exc:
        parser.error(str(exc))
    result = invoke(
        args.function,
        json.loads(args.event.read_text()),
        endpoint_url=args.endpoint_url,
        stack_name=args.stack_name,
        parameters=parameters,
        environment=environment,
        region=args.region,
    )
    sys.stdout.write(json.dumps(result, default=str) + "\n")


if __name__ == "__main__":
    main()
