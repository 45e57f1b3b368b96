"""The manifest's optional ``report:`` section."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ReportSection(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = Field(default=True, description="Write report.html at the end of every run.")
    samples_per_reason: int = Field(
        default=5, ge=0, le=100, description="Documents shown per (source, stage, reason), and kept per source."
    )
    max_chars: int = Field(default=600, gt=0, le=20_000, description="Sample texts are shortened to this length.")
    histogram_bins: int = Field(default=30, ge=5, le=200, description="Bins of every score histogram.")
    max_languages: int = Field(
        default=12, ge=1, le=200, description="Languages with their own histograms; the rest are summed as 'other'."
    )
