"""The benchmark's local AWS: ``localaws.LocalAws`` (moto_server with the fidelity layer, which pages like AWS),
in a child process so that the benchmark's peak memory and CPU are the controller's alone.

    python -m bench.server      # prints the endpoint URL, serves until stdin closes or SIGTERM
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import threading
import urllib.request
from types import TracebackType
from typing import Self

__all__ = ["BenchServer", "main"]


class BenchServer:
    """Starts ``python -m bench.server`` and stops exactly that process."""

    def __init__(self) -> None:
        self.endpoint_url = ""
        self._process: subprocess.Popen[str] | None = None

    def __enter__(self) -> Self:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "bench.server"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self._process.stdout is not None
        self.endpoint_url = self._process.stdout.readline().strip()
        if not self.endpoint_url.startswith("http"):
            self._stop()
            raise RuntimeError("bench.server did not start")
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self._stop()

    def reset(self) -> None:
        """Deletes every resource in the server (moto's reset keeps the fidelity rules: they are on classes)."""
        request = urllib.request.Request(f"{self.endpoint_url}/moto-api/reset", method="POST")
        with urllib.request.urlopen(request, timeout=30):
            pass

    def _stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.stdin is not None:
            process.stdin.close()  # the child exits when its stdin closes
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.terminate()
            process.wait(timeout=10)


def main() -> None:
    from localaws.server import LocalAws

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    with LocalAws() as aws:
        print(aws.endpoint_url, flush=True)

        def until_stdin_closes() -> None:
            sys.stdin.read()
            done.set()

        threading.Thread(target=until_stdin_closes, daemon=True).start()
        done.wait()


if __name__ == "__main__":
    main()
