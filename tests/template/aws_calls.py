"""The AWS calls a function's code can make, read from the code itself (no hand-written list).

Every AWS call goes through ``autoscaler.aws`` (its docstring: "The only package that talks to AWS"). This module
parses the functions' handlers and the ``autoscaler`` package, follows from a handler every function and method it
calls or passes on (by name, whatever the class: it errs towards reaching too much), and collects the boto3 operations
the reached code of the ``autoscaler/aws/`` package calls. What it must not do is miss one:
tests/template/test_template.py checks that it reaches every call the adapter has code for. These refinements keep it
close:

- a ``match`` arm of ``case SomeAction():`` is reached only when the class ``SomeAction`` is named by reached code
  (``Aws.apply`` dispatches on the planned action: the sweeper, which only deregisters, never reaches its puts);
- a function passed as a keyword argument (``resolve_instance_types=instance_types``) is reached when the keyword is
  named by reached code (where the callback is called), not where it is passed;
- a parameter or local variable shadows a function of the same name, and an attribute only read (``trigger.sweep``)
  reaches only properties.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import botocore.session
from botocore import xform_name

ROOT = Path(__file__).parents[2]
PACKAGE = ROOT / "layers/common/autoscaler"
ADAPTER = PACKAGE / "aws"  # one module per AWS service (autoscaler/aws/__init__.py composes them)
# Planned actions are rendered into requests (``actions.request`` -> ``Request(SERVICE, "Operation", params)``) that
# ``Aws.send`` sends: the renderer's ``Request`` calls are AWS calls of a function whose code reaches ``send`` (the
# configuration check renders the same requests without sending them).
RENDERER = PACKAGE / "actions.py"
SENDER = "send"
RENDERED_SERVICES = {"AUTOSCALING": "application-autoscaling", "CLOUDWATCH": "cloudwatch"}

# ``Aws``'s client attributes (autoscaler/aws/__init__.py, Aws.create) and the services ``Aws.client(name)`` makes.
CLIENT_ATTRIBUTES = {
    "sagemaker": "sagemaker",
    "autoscaling": "application-autoscaling",
    "cloudwatch": "cloudwatch",
    "events": "events",
    "ssm": "ssm",
    "dynamodb": "dynamodb",
    "ec2": "ec2",
}
# The IAM service prefix of each boto3 service (Service Authorization Reference: "Actions, resources, and condition
# keys for ..." of each service names its prefix; the Tagging API's is `tag`).
IAM_PREFIX = {
    "application-autoscaling": "application-autoscaling",
    "cloudwatch": "cloudwatch",
    "dynamodb": "dynamodb",
    "ec2": "ec2",
    "events": "events",
    "resourcegroupstaggingapi": "tag",
    "s3": "s3",
    "sagemaker": "sagemaker",
    "service-quotas": "servicequotas",
    "sqs": "sqs",
    "ssm": "ssm",
}
# API operations authorized by an action of another name (Amazon SQS Developer Guide, "Amazon SQS API permissions:
# Actions and resource reference": the batch actions are authorized by the action of the single call).
ACTION_OF_OPERATION = {("sqs", "SendMessageBatch"): "SendMessage"}


@dataclass
class _Node:
    """One function or method: the AWS operations it calls, the names it uses, what it passes by keyword, and the
    arms of its ``match`` statements by the class each matches."""

    operations: set[tuple[str, str]] = field(default_factory=set)  # (boto3 service, snake_case method)
    rendered: set[tuple[str, str]] = field(default_factory=set)  # built by the renderer: sent only through ``send``
    names: set[str] = field(default_factory=set)  # called, or passed on as a callable
    read: set[str] = field(default_factory=set)  # attributes only read (``x.sweep``): they run only if properties
    by_keyword: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    arms: dict[str, _Node] = field(default_factory=dict)


def _client(node: ast.expr, aliases: dict[str, str]) -> str | None:
    """The boto3 service of a client expression: ``self.sagemaker``, ``self.client("sqs")``, or a local alias."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
        return CLIENT_ATTRIBUTES.get(node.attr)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "client"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    ):
        return str(node.args[0].value)
    if isinstance(node, ast.Name):
        return aliases.get(node.id)
    return None


def _literal(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


class _Reader(ast.NodeVisitor):
    """Fills one node from a function body; nested functions become nodes of their own."""

    def __init__(self, node: _Node, defs: dict[str, list[_Node]], local: frozenset[str] = frozenset()) -> None:
        self.node, self.defs, self.aliases, self.local = node, defs, {}, local

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        _read_function(node, self.defs)
        self.node.names.discard(node.name)  # defining is not naming

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self.visit_FunctionDef(node)

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self.generic_visit(node)  # a lambda runs where it is called: counted as its definer's

    def visit_Assign(self, node: ast.Assign) -> None:
        if isinstance(node.value, ast.Attribute):  # a method kept to be called later
            self.node.names.add(node.value.attr)
        service = _client(node.value, self.aliases)
        if service is not None:
            self.aliases.update({t.id: service for t in node.targets if isinstance(t, ast.Name)})
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute):
            service = _client(func.value, self.aliases)
            if service is not None and func.attr != "get_paginator":
                self.node.operations.add((service, func.attr))
            if service is not None and func.attr == "get_paginator" and node.args:
                operation = _literal(node.args[0])
                if operation:
                    self.node.operations.add((service, operation))
            if func.attr == "_pages" and len(node.args) >= 2:  # Aws._pages(client, "operation", ...)
                service, operation = _client(node.args[0], self.aliases), _literal(node.args[1])
                if service and operation:
                    self.node.operations.add((service, operation))
        if isinstance(func, ast.Name) and func.id == "Request" and len(node.args) >= 2:
            first, operation = node.args[0], _literal(node.args[1])
            service = RENDERED_SERVICES.get(first.id) if isinstance(first, ast.Name) else None
            if service and operation:
                self.node.rendered.add((service, xform_name(operation)))
        for keyword in node.keywords:
            value = keyword.value
            if keyword.arg and isinstance(value, ast.Name):
                self.node.by_keyword[keyword.arg].add(value.id)
            elif keyword.arg and isinstance(value, ast.Attribute):
                self.node.by_keyword[keyword.arg].add(value.attr)
                self.visit(value.value)
            else:
                self.visit(value)
        self.visit(func)
        if isinstance(func, ast.Attribute):
            self.node.names.add(func.attr)
        for argument in node.args:
            if isinstance(argument, ast.Attribute):  # a method passed on (``pool.map(self.describe_listed, ...)``)
                self.node.names.add(argument.attr)
            self.visit(argument)

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load) and node.id not in self.local:  # a parameter or local shadows a function
            self.node.names.add(node.id)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        self.node.read.add(node.attr)
        self.generic_visit(node)

    def visit_Match(self, node: ast.Match) -> None:
        self.visit(node.subject)
        for case in node.cases:
            pattern = case.pattern
            if isinstance(pattern, ast.MatchClass) and isinstance(pattern.cls, ast.Name):
                arm = self.node.arms.setdefault(pattern.cls.id, _Node())
                reader = _Reader(arm, self.defs, self.local)
                reader.aliases = self.aliases
                for statement in case.body:
                    reader.visit(statement)
            else:
                for statement in case.body:
                    self.visit(statement)


def _read_function(function: ast.FunctionDef | ast.AsyncFunctionDef, defs: dict[str, list[_Node]]) -> None:
    node = _Node()
    defs[function.name].append(node)
    if any(_decorator_name(d) in PROPERTIES for d in function.decorator_list):
        defs[PROPERTY_MARK + function.name].append(node)
    arguments = function.args
    parameters = arguments.posonlyargs + arguments.args + arguments.kwonlyargs
    parameters += [a for a in (arguments.vararg, arguments.kwarg) if a is not None]
    stored = {n.id for n in ast.walk(function) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    reader = _Reader(node, defs, frozenset(a.arg for a in parameters) | stored)
    for statement in function.body:
        reader.visit(statement)


PROPERTIES = ("property", "cached_property")
PROPERTY_MARK = "property "  # defs[PROPERTY_MARK + name]: the properties of that name


def _decorator_name(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _definitions(entries: tuple[Path, ...]) -> tuple[dict[str, list[_Node]], _Node]:
    """Every function of the package and of the entry modules, by name; and the entry modules' top level (what runs at
    import, and their functions: the entry points)."""
    defs: dict[str, list[_Node]] = defaultdict(list)
    top = _Node()
    for path in (*entries, *sorted(set(PACKAGE.rglob("*.py")) - set(entries))):
        tree = ast.parse(path.read_text(), filename=str(path))
        _collect(tree.body, defs, top if path in entries else None)
    return defs, top


def _collect(body: list[ast.stmt], defs: dict[str, list[_Node]], top: _Node | None) -> None:
    for statement in body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            _read_function(statement, defs)
            if top is not None:
                top.names.add(statement.name)
        elif isinstance(statement, ast.ClassDef):
            _collect(statement.body, defs, None)
        elif top is not None:
            _Reader(top, defs).visit(statement)


def reachable_operations(*entries: Path) -> set[tuple[str, str]]:
    """(boto3 service, snake_case method) of every AWS call reachable from the entry modules' functions."""
    defs, top = _definitions(entries)
    named: set[str] = set()
    seen: set[int] = set()
    operations: set[tuple[str, str]] = set()
    rendered: set[tuple[str, str]] = set()
    pending: list[_Node] = [top]
    arms: list[tuple[str, _Node]] = []  # match arms, reached when their class is named
    keywords: list[tuple[str, set[str]]] = []  # callbacks passed by keyword, reached when the keyword is named
    while pending:
        while pending:
            node = pending.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            operations |= node.operations
            rendered |= node.rendered
            for name in node.names - named:
                named.add(name)
                pending += defs.get(name, [])
            for name in node.read:
                pending += defs.get(PROPERTY_MARK + name, [])
            arms += node.arms.items()
            keywords += node.by_keyword.items()
        pending += [arm for cls, arm in arms if cls in named]
        arms = [(cls, arm) for cls, arm in arms if cls not in named]
        pending += [node for keyword, names in keywords if keyword in named for name in names for node in defs[name]]
        keywords = [(k, v) for k, v in keywords if k not in named]
    if SENDER in named:
        operations |= rendered
    return {(service, operation) for service, operation in operations if _is_operation(service, operation)}


def adapter_operations() -> set[tuple[str, str]]:
    """Every AWS call the ``autoscaler/aws/`` package has code for, reachable or not."""
    defs, _ = _definitions((*sorted(ADAPTER.glob("*.py")), RENDERER))
    found: set[tuple[str, str]] = set()

    def gather(node: _Node) -> None:
        found.update(node.operations | node.rendered)
        for arm in node.arms.values():
            gather(arm)

    for nodes in defs.values():
        for node in nodes:
            gather(node)
    return {(service, operation) for service, operation in found if _is_operation(service, operation)}


@cache
def _operation_names(service: str) -> dict[str, str]:
    model = botocore.session.get_session().get_service_model(service)
    return {xform_name(name): name for name in model.operation_names}


def _is_operation(service: str, method: str) -> bool:
    return method in _operation_names(service)


def iam_action(service: str, method: str) -> str:
    """The IAM action that authorizes a boto3 call (``("sqs", "send_message_batch")`` -> ``sqs:SendMessage``)."""
    operation = _operation_names(service)[method]
    return f"{IAM_PREFIX[service]}:{ACTION_OF_OPERATION.get((service, operation), operation)}"


def actions_called(*entries: Path) -> set[str]:
    """The IAM actions of every AWS call the entry modules' code (a function's handler) can make."""
    return {iam_action(service, method) for service, method in reachable_operations(*entries)}
