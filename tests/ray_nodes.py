"""A real multi-node Ray cluster on loopback addresses, for tests: head on 127.0.0.2, workers on 127.0.0.3+.

Every port is chosen free, the cluster has its own temp dir, and stopping it kills only its own processes
(``ray stop`` would stop every Ray on the machine). Startup and shutdown are bounded in time.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

HEAD_IP = "127.0.0.2"
START_TIMEOUT_S = 90


def free_port(host: str = HEAD_IP) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def cluster_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(RAY_AUTH_MODE="disabled", RAY_USAGE_STATS_ENABLED="0")
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"  # `python` is this venv's
    return env


@dataclass
class LoopbackCluster:
    temp_dir: Path
    gcs_port: int
    dashboard_port: int
    node_ips: list[str] = field(default_factory=list)
    starters: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def address(self) -> str:
        return f"{HEAD_IP}:{self.gcs_port}"

    @property
    def dashboard(self) -> str:
        return f"http://{HEAD_IP}:{self.dashboard_port}"

    def _start(self, args: list[str], node_ip: str) -> None:
        log = open(self.temp_dir / f"start-{node_ip}.log", "wb")  # the child process writes it
        command = [sys.executable, "-m", "ray.scripts.scripts", "start", "--block", "--disable-usage-stats", *args]
        self.starters.append(
            subprocess.Popen(command, env=cluster_env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        )
        self.node_ips.append(node_ip)

    def start(self, workers: int, cpus_per_node: int) -> None:
        self._start(
            [
                "--head",
                f"--node-ip-address={HEAD_IP}",
                f"--port={self.gcs_port}",
                f"--dashboard-host={HEAD_IP}",
                f"--dashboard-port={self.dashboard_port}",
                f"--ray-client-server-port={free_port()}",
                f"--dashboard-agent-listen-port={free_port()}",
                f"--num-cpus={cpus_per_node}",
                f"--temp-dir={self.temp_dir}",
                "--object-store-memory=200000000",
            ],
            HEAD_IP,
        )
        self.wait_for_nodes(1)
        for index in range(workers):
            node_ip = f"127.0.0.{3 + index}"
            self._start(
                [
                    f"--address={self.address}",
                    f"--node-ip-address={node_ip}",
                    f"--dashboard-agent-listen-port={free_port(node_ip)}",
                    f"--num-cpus={cpus_per_node}",
                    "--object-store-memory=200000000",
                ],
                node_ip,
            )
        self.wait_for_nodes(1 + workers)

    def wait_for_nodes(self, count: int) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if any(starter.poll() is not None for starter in self.starters):
                raise RuntimeError(f"a Ray node failed to start; see {self.temp_dir}/start-*.log")
            probe = subprocess.run(
                [sys.executable, "-c", _COUNT_NODES, self.address],
                env=cluster_env(),
                capture_output=True,
                text=True,
                timeout=60,
            )
            if probe.returncode == 0 and probe.stdout.strip() == str(count):
                return
            time.sleep(1)
        raise TimeoutError(f"the loopback Ray cluster did not reach {count} node(s) in {START_TIMEOUT_S} s")

    def processes(self) -> list[psutil.Process]:
        """Every process of this cluster: the starters, and anything naming its temp dir or its GCS address."""
        marks = (str(self.temp_dir), self.address, f"--gcs_server_port={self.gcs_port}")
        found = []
        for process in psutil.process_iter(["pid", "cmdline"]):
            cmdline = " ".join(process.info["cmdline"] or [])
            if any(mark in cmdline for mark in marks):
                found.append(process)
        starters = {s.pid for s in self.starters}
        found.extend(
            p for p in (_process(pid) for pid in starters) if p is not None and p.pid not in {f.pid for f in found}
        )
        return found

    def worker_processes(self, node_ip: str) -> list[psutil.Process]:
        """Ray worker processes (``ray::...``) running on the node with ``node_ip``."""
        raylets = [
            p
            for p in self.processes()
            if "raylet" in " ".join(p.cmdline() or []) and f"--node_ip_address={node_ip}" in " ".join(p.cmdline())
        ]
        workers = []
        for raylet in raylets:
            for child in raylet.children(recursive=True):
                try:
                    if child.name().startswith("ray::") or "ray::" in " ".join(child.cmdline()):
                        workers.append(child)
                except psutil.NoSuchProcess:
                    continue
        return workers

    def stop(self, timeout_s: float = 20) -> None:
        for starter in self.starters:
            if starter.poll() is None:
                os.killpg(starter.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline and any(s.poll() is None for s in self.starters):
            time.sleep(0.5)
        for process in self.processes():
            try:
                process.kill()
            except psutil.NoSuchProcess:
                continue
        for starter in self.starters:
            try:
                os.killpg(starter.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            starter.wait(timeout=10)
        shutil.rmtree(self.temp_dir, ignore_errors=True)


_COUNT_NODES = """
import sys, ray
ray.init(address=sys.argv[1], log_to_driver=False, configure_logging=False)
print(sum(1 for node in ray.nodes() if node["Alive"]))
"""


def _process(pid: int) -> psutil.Process | None:
    try:
        return psutil.Process(pid)
    except psutil.NoSuchProcess:
        return None


def start_loopback_cluster(workers: int = 1, cpus_per_node: int = 1) -> LoopbackCluster:
    cluster = LoopbackCluster(Path(tempfile.mkdtemp(prefix="curate-ray-")), free_port(), free_port())
    try:
        cluster.start(workers, cpus_per_node)
    except BaseException:
        cluster.stop()
        raise
    return cluster
