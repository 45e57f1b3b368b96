# Copyright 2024 Acme Sample Authors
# SPDX-License-Identifier: MIT

"""URL slugs from titles."""

import re

_NOT_WORD = re.compile(r"[^a-z0-9]+")


def slugify(title: str, max_length: int = 60) -> str:
    """'Hello, World!' -> 'hello-world'."""
    slug = _NOT_WORD.sub("-", title.lower()).strip("-")
    return slug[:max_length].rstrip("-")
