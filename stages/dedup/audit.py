"""The deduplication audit: cluster sizes, the largest clusters, removal per source, alarms.

Each dedup stage summarises its own decision (``stage_audit``); the engine merges those and
the decision tables into ``dedup/audit.json`` (``build_audit``), the report's input. Giant
false clusters that wipe out a source are a known failure of MinHash dedup in the field, so
the alarms say when one source loses more than ``max_source_loss`` or when one cluster
grows past ``max_cluster_size``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import pyarrow as pa
from pydantic import Field

from stages.base import StageConfig

LARGEST_CLUSTERS = 10
MEMBERS_PER_CLUSTER = 5


class DedupAlarm(Exception):
    """A dedup alarm fired and the manifest asked to stop (``alarms.fail_on_alarm``)."""


class AlarmConfig(StageConfig):
    max_source_loss: float = Field(default=0.5, gt=0, le=1, description="Alarm when a source loses more than this.")
    max_cluster_size: int = Field(default=1000, ge=2, description="Alarm when one cluster has more members.")
    fail_on_alarm: bool = Field(default=False, description="Stop the run before removing anything when one fires.")


def stage_audit(
    methods: Sequence[str],
    params: Mapping[str, Any],
    in_by_source: Mapping[str, int],
    removed_by_source: Mapping[str, int],
    cluster_sizes: Mapping[str, int],
    alarms: AlarmConfig,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """One stage's audit; ``cluster_sizes`` counts every member of each cluster, its survivor included."""
    removed = {
        source: {"in": count, "removed": removed_by_source.get(source, 0),
                 "share": round(removed_by_source.get(source, 0) / count, 6) if count else 0.0}
        for source, count in sorted(in_by_source.items())
    }  # fmt: skip
    fired = []
    for source, row in removed.items():
        if row["share"] > alarms.max_source_loss:
            message = (
                f"source {source!r} loses {row['removed']:,} of {row['in']:,} documents ({row['share']:.0%}) "
                f"to dedup, more than max_source_loss {alarms.max_source_loss:.0%}"
            )
            fired.append({"kind": "source_loss", "source": source, "message": message})
    for cluster, size in sorted(cluster_sizes.items(), key=lambda item: (-item[1], item[0])):
        if size <= alarms.max_cluster_size:
            break
        message = f"cluster {cluster} has {size:,} members, more than max_cluster_size {alarms.max_cluster_size:,}"
        fired.append({"kind": "giant_cluster", "source": None, "message": message})
    histogram = Counter(cluster_sizes.values())
    return {
        "methods": list(methods),
        **params,
        "size_histogram": {str(size): histogram[size] for size in sorted(histogram)},
        "removed_by_source": removed,
        "alarms": fired,
        "fail_on_alarm": alarms.fail_on_alarm,
        **(extra or {}),
    }


def build_audit(stages: Sequence[tuple[dict[str, Any], pa.Table | None]]) -> dict[str, Any]:
    """Merge the audits of every dedup stage of a run (run-wide ones first for the top-level parameters)."""
    ordered = sorted(stages, key=lambda item: (item[0].get("scope") != "_run", item[0]["stage"], item[0]["scope"]))
    methods: list[str] = []
    params: dict[str, Any] = {"threshold": None, "num_perm": None, "bands": None, "rows": None}
    histogram: Counter[int] = Counter()
    removed: dict[str, dict[str, Any]] = {}
    alarms: list[dict[str, Any]] = []
    clusters: list[dict[str, Any]] = []
    per_stage = []
    for audit, decisions in ordered:
        methods.extend(m for m in audit["methods"] if m not in methods)
        if params["num_perm"] is None and audit.get("num_perm") is not None:
            params.update({k: audit.get(k) for k in params})
        histogram.update({int(size): count for size, count in audit["size_histogram"].items()})
        for source, row in audit["removed_by_source"].items():
            total = removed.setdefault(source, {"in": 0, "removed": 0})
            total["in"] = max(total["in"], row["in"])  # what reached the source's first dedup stage
            total["removed"] += row["removed"]
        alarms.extend({**alarm, "stage": audit["stage"]} for alarm in audit["alarms"])
        if decisions is not None:
            clusters.extend(_largest_clusters(decisions, audit["stage"]))
        per_stage.append({k: v for k, v in audit.items() if k not in ("alarms",)})
    for row in removed.values():
        row["share"] = round(row["removed"] / row["in"], 6) if row["in"] else 0.0
    clusters.sort(key=lambda c: (-c["size"], c["cluster_id"]))
    return {
        "methods": methods,
        **params,
        "size_histogram": {str(size): histogram[size] for size in sorted(histogram)},
        "largest_clusters": clusters[:LARGEST_CLUSTERS],
        "removed_by_source": dict(sorted(removed.items())),
        "alarms": alarms,
        "stages": per_stage,
    }


def _largest_clusters(decisions: pa.Table, stage: str) -> list[dict[str, Any]]:
    rows = [r for r in decisions.to_pylist() if r["cluster"] is not None and r["fate"] != "rewritten"]
    by_cluster: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_cluster.setdefault(row["cluster"], []).append(row)
    biggest = sorted(by_cluster.items(), key=lambda item: (-len(item[1]), item[0]))[:LARGEST_CLUSTERS]
    out = []
    for cluster, members in biggest:
        first = members[0]
        listed = [{"id": first["survivor"], "source": first["survivor_source"], "preview": first["survivor_preview"],
                   "survivor": True}]  # fmt: skip
        listed += [
            {"id": m["id"], "source": m["source"], "preview": m["preview"], "survivor": False, "reason": m["reason"]}
            for m in sorted(members, key=lambda m: m["id"])[: MEMBERS_PER_CLUSTER - 1]
        ]
        out.append(
            {
                "cluster_id": cluster,
                "stage": stage,
                "size": len(members) + 1,
                "survivor_id": first["survivor"],
                "survivor_source": first["survivor_source"],
                "members": listed,
            }
        )
    return out
