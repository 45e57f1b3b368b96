"""The manifest's ``nightly:`` section: incremental runs and the alarms that make them exit non-zero."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class NightlyAlarms(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    max_error_share: float | None = Field(
        default=None, ge=0, le=1, description="Alarm when a source errors on more than this share of its records."
    )
    max_quarantined_inputs: int | None = Field(
        default=None, ge=0, description="Alarm when more input files than this are quarantined."
    )
    min_new_documents: int | None = Field(
        default=None, ge=0, description="Alarm when a run with new inputs keeps fewer documents than this."
    )
    dedup: bool = Field(default=True, description="Raise the dedup audit's alarms (source loss, giant clusters).")


class NightlySection(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    incremental: bool = Field(default=False, description="Same as `curate run --incremental`.")
    alarms: NightlyAlarms = NightlyAlarms()
