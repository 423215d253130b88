"""The project's moto_server launcher: moto over real HTTP, with the AWS fidelity layer installed.

The server runs in a thread of this process, so the class-level patches of ``localaws.fidelity`` apply to it, and
moto's resets (``/moto-api/reset``) keep them: they rebuild backend instances, not classes.

    python -m localaws.server [--port N] [--transition-seconds S]
"""

from __future__ import annotations

import argparse
import signal
import socket
import time
import urllib.request
from types import TracebackType
from typing import Any, Self

import boto3
from botocore.config import Config
from moto.moto_server.threaded_moto_server import ThreadedMotoServer

from localaws import fidelity
from localaws.fidelity import FidelityConfig

__all__ = ["LocalAws", "main"]

HOST = "127.0.0.1"
DEFAULT_REGION = "us-east-1"
READY_TIMEOUT_SECONDS = 10.0


class _ClosingMotoServer(ThreadedMotoServer):
    """ThreadedMotoServer whose stop() also closes the listening socket, so the port is free afterwards."""

    def stop(self) -> None:
        super().stop()
        if self._server is not None:
            self._server.server_close()


class LocalAws:
    """A moto_server on 127.0.0.1 with the fidelity layer installed, for the duration of a ``with`` block.

    ``port=0`` picks a free port. On exit the server stops and the fidelity layer is uninstalled if this launcher
    installed it, also when the block raises (KeyboardInterrupt included).
    """

    def __init__(self, port: int = 0, config: FidelityConfig | None = None) -> None:
        self.port = port
        self.config = config
        self.endpoint_url = ""
        self._server: _ClosingMotoServer | None = None
        self._installed_fidelity = False

    def __enter__(self) -> Self:
        self._installed_fidelity = not fidelity.installed()
        fidelity.install(self.config)
        try:
            if self.port:
                _check_port_free(self.port)  # ThreadedMotoServer.start() would wait forever on a busy port
            self._server = _ClosingMotoServer(ip_address=HOST, port=self.port, verbose=False)
            self._server.start()
            self.port = self._server.get_host_and_port()[1]
            self.endpoint_url = f"http://{HOST}:{self.port}"
            self._wait_until_ready()
        except BaseException:
            self._stop()
            raise
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self._stop()

    def client(self, service_name: str, region_name: str = DEFAULT_REGION) -> Any:
        """A boto3 client for this server, with fake credentials and no retries (moto answers HTTP 500 for
        unimplemented calls, which botocore would otherwise retry)."""
        return boto3.client(  # type: ignore[call-overload]
            service_name,
            region_name=region_name,
            endpoint_url=self.endpoint_url,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=Config(retries={"max_attempts": 1, "mode": "standard"}),
        )

    def reset(self) -> None:
        """Deletes every resource in the server (POST /moto-api/reset)."""
        request = urllib.request.Request(f"{self.endpoint_url}/moto-api/reset", method="POST")
        with urllib.request.urlopen(request, timeout=READY_TIMEOUT_SECONDS):
            pass

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        while True:
            try:
                with urllib.request.urlopen(f"{self.endpoint_url}/moto-api/config", timeout=1.0):
                    return
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def _stop(self) -> None:
        try:
            if self._server is not None:
                self._server.stop()
                self._server = None
        finally:
            if self._installed_fidelity:
                fidelity.uninstall()
                self._installed_fidelity = False


def _check_port_free(port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((HOST, port))


def main(argv: list[str] | None = None) -> None:
    """Runs a LocalAws in the foreground until Ctrl-C or SIGTERM."""
    parser = argparse.ArgumentParser(prog="python -m localaws.server", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="port to listen on (default: a free one)")
    parser.add_argument(
        "--transition-seconds",
        type=float,
        default=0.0,
        help="how long endpoints stay Creating/Updating (default: 0)",
    )
    args = parser.parse_args(argv)

    # Block the stop signals before any thread starts (threads inherit the mask), then wait for one in this thread:
    # a signal handler would only run once the kernel happened to deliver the signal to the main thread.
    stop_signals = {signal.SIGINT, signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, stop_signals)
    with LocalAws(port=args.port, config=FidelityConfig(endpoint_transition_seconds=args.transition_seconds)) as aws:
        print(aws.endpoint_url, flush=True)
        signal.sigwait(stop_signals)


if __name__ == "__main__":
    main()
