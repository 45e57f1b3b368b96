"""The engine: manifest, planning, executors, run directory, CLI and reports."""
