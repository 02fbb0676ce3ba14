"""PortalServer: the simulated web in a subprocess on a real socket, for tests and demo crawls."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class PortalServer:
    def __init__(self, seed: int = 1, portals: list[str] | None = None, log_path: str | None = None,
                 port: int = 0, latency: float = 0.0):
        self.latency = latency
        self.seed = seed
        self.portals = portals
        self._tmp = None
        if log_path is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="simportals-")
            log_path = os.path.join(self._tmp.name, "requests.jsonl")
        self.log_path = str(log_path)
        self.port = port
        self.proc: subprocess.Popen | None = None

    # ------------------------------------------------------------ lifecycle
    def start(self) -> "PortalServer":
        cmd = [sys.executable, "-m", "simportals", "serve", "--port", str(self.port), "--seed", str(self.seed),
               "--log", self.log_path]
        if self.portals:
            cmd += ["--portals", ",".join(self.portals)]
        if self.latency:
            cmd += ["--latency", str(self.latency)]
        env = dict(os.environ)
        env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
        for k in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"):
            env.pop(k, None)
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=None, cwd=str(ROOT), env=env, text=True)
        deadline = time.time() + 60
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if line.startswith("listening on 127.0.0.1:"):
                self.port = int(line.rsplit(":", 1)[1])
                return self
            if not line and self.proc.poll() is not None:
                break
        self.stop()
        raise RuntimeError("simportals server did not start")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        if self.proc and self.proc.stdout:
            self.proc.stdout.close()
        self.proc = None

    def __enter__(self) -> "PortalServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
        if self._tmp:
            self._tmp.cleanup()

    # ------------------------------------------------------------ access
    @property
    def proxy_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def opener(self) -> urllib.request.OpenerDirector:
        return urllib.request.build_opener(urllib.request.ProxyHandler({"http": self.proxy_url}))

    def control(self, action: str, **params):
        """reset | redesign(portal=host) | revise(url=…, note=…) | spoil(url=…, how=…) | truth | portals."""
        from urllib.parse import urlencode
        url = f"http://sim.control/{action}" + (f"?{urlencode(params)}" if params else "")
        with self.opener().open(url, timeout=60) as r:
            return json.loads(r.read().decode("utf-8"))

    @property
    def truth(self) -> list[dict]:
        """The truth as the server holds it now (revisions included)."""
        return self.control("truth")

    def requests(self) -> list[dict]:
        if not os.path.exists(self.log_path):
            return []
        with open(self.log_path, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]
