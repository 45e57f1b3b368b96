"""Secret columns in every table syntax the grid readers know, and the headers that do or do not name a secret."""

from __future__ import annotations

import pytest

from filters.pii import PiiConfig, find_pii
from filters.pii_grids import grids
from filters.pii_tables import is_secret_header

RULES = PiiConfig(entities=["SECRET"], secret_tagger=False)
PASSWORDS = ("Tq8mRb2VxK9z", "lagoon+pepper+103+amber")

TABLES = {
    "html": (
        "<table>\n<tr><th>Host</th><th>Login</th><th>Kennwort</th></tr>\n"
        "<tr><td>edge19</td><td>admin</td><td><code>Tq8mRb2VxK9z</code></td></tr>\n"
        "<tr><td>db20</td><td>root</td><td>lagoon+pepper+103+amber</td></tr>\n</table>"
    ),
    "latex": (
        "\\begin{tabular}{lll}\n\\hline\nHost & Login & Admin-Kennwort \\\\\n\\hline\n"
        "edge19 & admin & \\texttt{Tq8mRb2VxK9z} \\\\\ndb20 & root & lagoon+pepper+103+amber \\\\\n\\end{tabular}"
    ),
    "mediawiki": (
        "{| class=wikitable\n! Host !! Login !! PW\n|-\n| edge19 || admin || Tq8mRb2VxK9z\n|-\n| db20\n| root\n"
        "| lagoon+pepper+103+amber\n|}"
    ),
    "asciidoc": (
        '[cols="1,1,2", options="header"]\n|===\n|Host |Login |Password admin\n\n|edge19 |admin |Tq8mRb2VxK9z\n\n'
        "|db20 |root\n|lagoon+pepper+103+amber\n|==="
    ),
    "confluence": (
        "||Host||Login||Parola d'accesso||\n| edge19 | admin | Tq8mRb2VxK9z |\n"
        "| db20 | root | lagoon+pepper+103+amber |"
    ),
    "org": (
        "| Host | Login | Contraseña |\n|---+---+---|\n| edge19 | admin | Tq8mRb2VxK9z |\n"
        "| db20 | root | lagoon+pepper+103+amber |"
    ),
    "fixed_width": (
        "Host      Login    Passwort                   Angelegt\n"
        "------    -----    -----------------------    ----------\n"
        "edge19    admin    Tq8mRb2VxK9z               2025-05-24\n"
        "db20      root     lagoon+pepper+103+amber    05.04.2023\n"
    ),
    "csv": "host;login;hasło\nedge19;admin;Tq8mRb2VxK9z\ndb20;root;lagoon+pepper+103+amber\n",
}


@pytest.mark.parametrize("syntax", sorted(TABLES))
def test_every_table_syntax_gives_its_secret_column(syntax: str) -> None:
    found = [value for _, value in ((s.entity, s.text) for s in find_pii(TABLES[syntax], RULES))]
    assert found == list(PASSWORDS)


@pytest.mark.parametrize("syntax", sorted(TABLES))
def test_the_readers_keep_rows_and_columns_aligned(syntax: str) -> None:
    text = TABLES[syntax]
    tables = [grid for grid in grids(text) if any(is_secret_header(name) for name in grid.header)]
    assert len(tables) == 1
    grid = tables[0]
    column = next(i for i, name in enumerate(grid.header) if is_secret_header(name))
    assert [text[slice(*row[1])].strip() for row in grid.rows] == ["admin", "root"]
    assert [text[slice(*row[column])].strip() for row in grid.rows][1] == PASSWORDS[1]


@pytest.mark.parametrize(
    ("header", "secret"),
    [
        ("Password", True),
        ("Admin-Kennwort", True),
        ("PW", True),
        ("API secret", True),
        ("Ключ API", True),
        ("Password hash", False),
        ("Key ID", False),
        ("Token expiry", False),
        ("CSRF token", False),
        ("Cache key", False),
        ("Public key", False),
        ("Last password change", False),
        ("Login", False),
    ],
)
def test_headers_that_name_a_secret_column(header: str, secret: bool) -> None:
    assert is_secret_header(header) is secret


def test_stored_hashes_ids_and_cache_keys_in_tables_are_not_secrets() -> None:
    text = (
        "| Benutzer | Passwort-Hash | Cache key |\n|---|---|---|\n"
        "| elena64 | $2b$12$CCvwZR8Mjo6peDUbbwIzupFDMS6SpDsM7E8uGY4MIKibfS1Vp | cart:89592:profile |\n"
    )
    assert find_pii(text, RULES) == []
