"""Quality heuristics: pure functions of text and config (Gopher, C4, FineWeb, ROOTS, code)."""
