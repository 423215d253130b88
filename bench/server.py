"""The benchmark's local AWS: ``localaws.LocalAws`` (moto_server with the fidelity layer, which pages like AWS),
in a child process so that the benchmark's peak memory and CPU are the controller's alone.

    python -m bench.server      # prints the endpoint URL, serves until stdin closes or SIGTERM

Each line on its stdin is a command (``BenchServer.command``): a JSON object ``{"command": ..., **arguments}``,
answered by one JSON line on stdout. The commands seed a large world inside this process (``bench.seeding``).
"""

from __future__ import annotations

import json
import logging
import signal
import subprocess
import sys
import threading
import urllib.request
from types import TracebackType
from typing import Any, Self

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

    def command(self, name: str, **arguments: Any) -> dict[str, Any]:
        """Runs ``bench.seeding``'s ``name`` in the server process; returns its answer (``result``, ``seconds``)."""
        process = self._process
        assert process is not None
        assert process.stdin is not None
        assert process.stdout is not None
        process.stdin.write(json.dumps({"command": name, **arguments}) + "\n")
        process.stdin.flush()
        answer: dict[str, Any] = json.loads(process.stdout.readline() or '{"error": "bench.server exited"}')
        if "error" in answer:
            raise RuntimeError(f"bench.server {name}: {answer['error']}")
        return answer

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
            for line in sys.stdin:
                print(json.dumps(_run(aws.endpoint_url, json.loads(line))), flush=True)
            done.set()

        threading.Thread(target=until_stdin_closes, daemon=True).start()
        done.wait()


def _run(endpoint_url: str, request: dict[str, Any]) -> dict[str, Any]:
    import time

    from bench import seeding

    started = time.perf_counter()
    try:
        if request["command"] == "create_endpoints":
            result = seeding.create_endpoints(request["count"])
        elif request["command"] == "apply_templates":
            result = seeding.apply_templates(endpoint_url, request["count"], request["templates"])
        else:
            return {"error": f"unknown command {request['command']!r}"}
    except Exception as exc:  # the parent reports it; the server keeps serving
        return {"error": f"{type(exc).__name__}: {exc}"}
    return {"result": result, "seconds": round(time.perf_counter() - started, 3)}


if __name__ == "__main__":
    main()
