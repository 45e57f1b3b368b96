"""One self-contained HTML file: the template, the inline CSS and JS, and the data as escaped JSON.

The data sits in a ``<script type="application/json">`` block (never executed) with ``<``,
``>`` and ``&`` written as ``\\u003c`` and friends, so no document text can close the block.
The page's own script is allowed by its hash in a Content-Security-Policy that forbids every
other script, inline event handlers and all network access: even a rendering bug could not
run code from a web page. The script renders data with ``textContent`` only.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

from pipeline.rundir import atomic_write_bytes

ASSETS = "pipeline.report.assets"


def _asset(name: str) -> str:
    return resources.files(ASSETS).joinpath(name).read_text(encoding="utf-8")


def embed_json(data: Any) -> str:
    """JSON that is safe inside a script element: no ``<``, ``>``, ``&`` or line separators."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=str)
    for raw, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, escaped)
    return text


def render_html(data: dict[str, Any], title: str) -> str:
    script = _asset("report.js")
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    policy = (
        "default-src 'none'; "
        f"script-src 'sha256-{digest}'; "
        "style-src 'unsafe-inline'; img-src data:; "
        "connect-src 'none'; form-action 'none'; base-uri 'none'"
    )
    page = _asset("report.html")
    safe_title = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    replacements = {
        "{{policy}}": policy,
        "{{title}}": safe_title,
        "{{style}}": _asset("report.css"),
        "{{data}}": embed_json(data),
        "{{script}}": script,
    }
    # One pass over the template: inserted values (document text) are never scanned for placeholders.
    return re.sub(r"\{\{(policy|title|style|data|script)\}\}", lambda m: replacements[m.group(0)], page)


def write_html(path: Path, data: dict[str, Any], title: str) -> Path:
    atomic_write_bytes(path, render_html(data, title).encode("utf-8"))
    return path
