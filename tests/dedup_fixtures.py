"""Self-made documents for the dedup tests: random prose from a seeded vocabulary, with planted copies."""

from __future__ import annotations

import json
import random
from pathlib import Path

_SYLLABLES = ["ka", "lo", "mi", "ren", "sto", "vel", "dar", "qui", "ne", "bo", "tra", "sil", "um", "pe", "gor"]


def vocabulary(size: int = 3000, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def documents(count: int, words: int = 200, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    vocab = vocabulary()
    return [" ".join(rng.choice(vocab) for _ in range(words)) for _ in range(count)]


def substitute(text: str, share: float, seed: int = 2) -> str:
    """Replace ``share`` of the words with new ones."""
    rng = random.Random(seed)
    words = text.split()
    for index in rng.sample(range(len(words)), int(len(words) * share)):
        words[index] = f"zz{rng.randint(0, 10**9)}"
    return " ".join(words)


def write_code_source(folder: Path, rows: list[tuple[str, str]]) -> Path:
    """A Stack-style JSONL file of (path, content) records, one repository, MIT licence."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps({"repo_name": "acme/" + folder.name, "path": path, "content": content, "license": "MIT"})
             for path, content in rows]  # fmt: skip
    (folder / "shard-0.jsonl").write_text("\n".join(lines) + "\n")
    return folder
