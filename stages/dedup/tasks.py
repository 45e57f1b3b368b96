"""Where the parallel steps of deduplication run: in this process, or as Ray tasks.

The engine picks: a run on the Ray executor leaves Ray initialised, and the whole-source
phase then hands signature batches and bucket partitions to Ray tasks. Results come back in
submission order, so both give the same answer.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol


class TaskMap(Protocol):
    def imap(self, fn: Callable[..., Any], items: Iterable[tuple[Any, ...]]) -> Iterator[Any]: ...


class LocalTasks:
    def imap(self, fn: Callable[..., Any], items: Iterable[tuple[Any, ...]]) -> Iterator[Any]:
        for args in items:
            yield fn(*args)


class RayTasks:
    """Ray tasks with at most ``in_flight`` outstanding, so memory stays bounded on a long stream."""

    def __init__(self, in_flight: int = 8, num_cpus: float = 1) -> None:
        self.in_flight = in_flight
        self.num_cpus = num_cpus

    def imap(self, fn: Callable[..., Any], items: Iterable[tuple[Any, ...]]) -> Iterator[Any]:
        import ray

        remote = ray.remote(num_cpus=self.num_cpus)(fn)
        pending: deque[Any] = deque()
        for args in items:
            pending.append(remote.remote(*args))
            if len(pending) >= self.in_flight:
                yield ray.get(pending.popleft())
        while pending:
            yield ray.get(pending.popleft())


def default_tasks() -> TaskMap:
    try:
        import ray
    except ImportError:  # pragma: no cover - ray is a dependency
        return LocalTasks()
    return RayTasks() if ray.is_initialized() else LocalTasks()
