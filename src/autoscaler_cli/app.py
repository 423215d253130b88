"""What every command of the CLI is given (``App``, through ``pass_app``): the group in ``autoscaler_cli.main`` makes
it, and the commands defined in other modules (``autoscaler_cli.simulate``) take it without importing ``main``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import click

from autoscaler.aws import Aws
from autoscaler.reconciler import Deps
from autoscaler.settings import Settings
from autoscaler_cli.render import Output


@dataclass
class App:
    """What every command gets: settings, output, and AWS made on first use (validate never makes it)."""

    settings: Settings
    out: Output
    make_aws: Callable[[], Aws]
    _aws: Aws | None = None

    @property
    def aws(self) -> Aws:
        if self._aws is None:
            self._aws = self.make_aws()
        return self._aws

    def deps(self, **overrides: Any) -> Deps:
        return Deps(replace(self.settings, **overrides) if overrides else self.settings, self.aws)


pass_app = click.make_pass_decorator(App)
