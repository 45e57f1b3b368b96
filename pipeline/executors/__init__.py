"""Executors run a plan's pending parts; they share the chain and the writer, so they agree by construction."""

from __future__ import annotations

from pipeline.executors.base import Executor, ProgressSink


def make_executor(kind: str, address: str | None = None, num_cpus: int | None = None) -> Executor:
    if kind == "local":
        from pipeline.executors.local import LocalExecutor

        return LocalExecutor()
    if kind == "ray":
        from pipeline.executors.ray_data import RayExecutor

        return RayExecutor(address=address, num_cpus=num_cpus)
    raise ValueError(f"unknown executor {kind!r}; expected 'local' or 'ray'")


__all__ = ["Executor", "ProgressSink", "make_executor"]
