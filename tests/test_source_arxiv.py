from __future__ import annotations

import gzip
import json
import re
import tarfile
import time
from pathlib import Path

import pytest

from stages.base import PartSpec, Verdict, part_id_for
from stages.sources.arxiv import ArxivConfig, ArxivSource
from stages.sources.latex import VerbatimStore, collect_macros, expand_macros, strip_comments
from tests.conftest import write_source_manifest
from tests.runs import kept_documents, rejected_rows, run

REPO = Path(__file__).resolve().parents[1]
SCIPY = "scipy-1.0-arXiv-1907.10121"
ASTROPY = "astropy-v2.0-arXiv-1801.02634"
SKIMAGE = "scikit-image-arXiv-1407.6245"
FIRST_SECTIONS = {
    SCIPY: "\\section*{Introduction}",
    ASTROPY: "\\section{Introduction}",
    SKIMAGE: "\\section*{Introduction}",
}


def _read(path: Path, **options: object) -> tuple[dict, Verdict | None]:
    source = ArxivSource("arxiv", ArxivConfig(**options))
    results = list(source.read(PartSpec("arxiv", part_id_for(str(path)), str(path)), batch_size=4, limit=None))
    assert [result.batch.num_rows for result in results] == [1]  # one paper, one row
    return results[0].batch.to_pylist()[0], results[0].verdicts[0]


def _paper(folder: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return folder


def _tex(body: str, preamble: str = "") -> str:
    return f"\\documentclass{{article}}\n{preamble}\\begin{{document}}\n{body}\n\\end{{document}}\n"


def _tar_gz(path: Path, folder: Path) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for file in sorted(folder.rglob("*")):
            tar.add(file, arcname=str(file.relative_to(folder)), recursive=False)
    return path


def _clean(folder: Path, body: str, preamble: str = "", **options: object) -> tuple[str | None, Verdict | None, dict]:
    """Clean a one-file paper written into ``folder``."""
    row, verdict = _read(_paper(folder / "paper", {"main.tex": _tex(body, preamble)}), min_chars=0, **options)
    return row["text"], verdict, json.loads(row["meta"])


# --- the three real papers -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("paper", [SCIPY, ASTROPY, SKIMAGE])
def test_each_real_paper_is_one_document_starting_at_its_first_section(shared_data: Path, paper: str) -> None:
    row, verdict = _read(shared_data / "arxiv" / paper)
    assert verdict is None
    assert row["id"] == paper and row["source"] == "arxiv"
    assert row["url"] == "https://arxiv.org/abs/" + paper.rsplit("-", 1)[-1]
    assert row["text"].startswith(FIRST_SECTIONS[paper])
    assert "\\documentclass" not in row["text"] and "\\begin{abstract}" not in row["text"]  # LLaMA drops the preamble


@pytest.mark.parametrize("paper", [SCIPY, ASTROPY, SKIMAGE])
def test_real_papers_lose_their_comments_and_bibliography(shared_data: Path, paper: str) -> None:
    text = _read(shared_data / "arxiv" / paper)[0]["text"]
    assert not [line for line in text.splitlines() if line.lstrip().startswith("%")]
    outside_verbatim = re.sub(r"\\begin\{(py)?verbatim\}.*?\\end\{(py)?verbatim\}", "", text, flags=re.DOTALL)
    assert not re.search(r"(?<!\\)%", outside_verbatim.replace("\\\\", ""))  # no inline comment either
    assert "\\bibliography" not in text and "thebibliography" not in text and "\\end{document}" not in text


def test_scipy_user_macros_are_expanded_including_ones_with_arguments(shared_data: Path) -> None:
    row, _ = _read(shared_data / "arxiv" / SCIPY)
    text, meta = row["text"], json.loads(row["meta"])
    # \newcommand{\code}[1]{\texttt{#1}} and \newcommand{\cmark}{\ding{51}} in paper.tex's preamble.
    assert "\\code" not in text and "\\texttt{PPoly}" in text
    assert "\\cmark" not in text and "Wrapper & & & \\ding{51}" in text
    assert "\\inlinecite" not in text and "\\footnotesize\\citen{powell_efficient_1964}" in text
    assert "\\newcommand" not in text  # \RR is defined inside scipy-optimize.tex, after the first section
    assert meta["macros_expanded"] == 3 and meta["macros_skipped"] == {}


def test_astropy_macros_that_use_other_macros_are_expanded_to_the_end(shared_data: Path) -> None:
    row, _ = _read(shared_data / "arxiv" / ASTROPY)
    text = row["text"]
    # \astropypkg → \package{astropy} → \texttt{astropy}\xspace; \astropy must not eat the start of \astropypkg.
    assert not re.search(r"\\(astropypkg|astropy|package|python)(?![A-Za-z])", text)
    assert "the \\texttt{astropy}\\xspace core package" in text
    assert "The Astropy\\xspace project has grown" in text
    assert json.loads(row["meta"])["macros_skipped"] == {}  # \afberkeleyastro's "\#3411" is not a parameter


def test_included_files_are_put_in_place(shared_data: Path) -> None:
    skimage, _ = _read(shared_data / "arxiv" / SKIMAGE)
    assert "zebrafish" in skimage["text"]  # from usage_research.tex via \input{usage_research}
    assert len(json.loads(skimage["meta"])["included_files"]) == 13
    astropy, _ = _read(shared_data / "arxiv" / ASTROPY)
    assert "\\href{https://github.com/sncosmo/sncosmo}{sncosmo}" in astropy["text"]  # \input{registry.tex}
    meta = json.loads(astropy["meta"])
    assert meta["main_file"] == "main.tex" and meta["included_files"] == ["author.tex", "registry.tex"]
    assert meta["missing_includes"] == []


def test_percent_signs_inside_verbatim_are_text_not_comments(shared_data: Path) -> None:
    text = _read(shared_data / "arxiv" / SCIPY)[0]["text"]
    assert "Special Functions (Bessel, Hankel, Airy, etc.) % hanker -> Hankel" in text
    assert "about 16 years after" not in text  # the abstract goes with the preamble


def test_a_tar_gz_bundle_of_a_real_paper_gives_the_same_document_as_its_folder(
    shared_data: Path, tmp_path: Path
) -> None:
    folder = shared_data / "arxiv" / SCIPY
    bundle_row, verdict = _read(_tar_gz(tmp_path / f"{SCIPY}.tar.gz", folder))
    folder_row, _ = _read(folder)
    assert verdict is None and bundle_row["id"] == SCIPY
    assert bundle_row["text"] == folder_row["text"]
    assert json.loads(bundle_row["meta"])["layout"] == "bundle"


def test_the_three_real_papers_clean_in_well_under_a_second_each(shared_data: Path) -> None:
    _read(shared_data / "arxiv" / SKIMAGE)  # warm up imports
    for paper in (SCIPY, ASTROPY, SKIMAGE):
        started = time.perf_counter()
        _read(shared_data / "arxiv" / paper)
        assert time.perf_counter() - started < 1.0


# --- comments ------------------------------------------------------------------------------------------------------


def test_escaped_percent_is_kept_and_a_comment_after_an_escaped_backslash_is_removed() -> None:
    store = VerbatimStore()
    text = strip_comments("Half: 50\\% of it. % remark\nLine break\\\\% gone\n  % whole line\nend\n", store)
    assert text == "Half: 50\\% of it. \nLine break\\\\\nend\n"


def test_comment_environments_go_and_url_percent_escapes_stay() -> None:
    text = strip_comments(
        "a\\begin{comment}\nold draft\n\\end{comment}b \\url{https://x.test/a%20b} c\n", VerbatimStore()
    )
    assert text == "ab \\url{https://x.test/a%20b} c\n"


def test_verbatim_content_is_untouched_by_comments_and_macros(tmp_path: Path) -> None:
    body = "\\section{S}\n\\verb|50% \\x| and \\begin{lstlisting}\n\\x % code\n\\end{lstlisting} \\x\n"
    text, verdict, _ = _clean(tmp_path, body, preamble="\\newcommand{\\x}{EX}\n")
    assert verdict is None
    assert text == "\\section{S}\n\\verb|50% \\x| and \\begin{lstlisting}\n\\x % code\n\\end{lstlisting} EX\n"


# --- macros --------------------------------------------------------------------------------------------------------


def test_a_macro_with_arguments_and_an_optional_first_argument_is_expanded(tmp_path: Path) -> None:
    preamble = "\\newcommand{\\pair}[3][x]{(#1: #2, #3)}\n\\newcommand*\\bold[1]{\\textbf{#1}}\n"
    text, _, meta = _clean(tmp_path, "\\section{S}\n\\pair{a}{b} \\pair[y]{c} d \\bold{\\pair{e}f}", preamble)
    assert text == "\\section{S}\n(x: a, b) (y: c, d) \\textbf{(x: e, f)}\n"
    assert meta["macros_expanded"] == 2 and meta["macro_expansions"] == 4


def test_def_with_undelimited_parameters_is_expanded_and_double_hash_becomes_hash(tmp_path: Path) -> None:
    text, _, _ = _clean(tmp_path, "\\section{S}\n\\swap{1}{2} \\hash", "\\def\\swap#1#2{#2#1}\n\\def\\hash{\\##1}\n")
    assert text is not None and "21" in text


def test_a_recursive_def_is_left_alone_and_does_not_hang(tmp_path: Path) -> None:
    preamble = "\\def\\loop{\\loop x}\n\\newcommand{\\ping}{\\pong}\n\\newcommand{\\pong}{\\ping}\n"
    started = time.perf_counter()
    text, verdict, meta = _clean(tmp_path, "\\section{S}\n\\loop \\ping", preamble)
    assert time.perf_counter() - started < 1.0
    assert verdict is None and text == "\\section{S}\n\\loop \\ping\n"
    assert meta["macros_skipped"] == {"loop": "recursive", "ping": "recursive", "pong": "recursive"}


def test_delimited_def_parameters_and_conflicting_definitions_are_left_alone(tmp_path: Path) -> None:
    preamble = "\\def\\upto#1.{[#1]}\n\\newcommand{\\a}{one}\n\\renewcommand{\\a}{two}\n"
    text, _, meta = _clean(tmp_path, "\\section{S}\n\\upto x. \\a", preamble)
    assert text == "\\section{S}\n\\upto x. \\a\n"
    assert meta["macros_skipped"] == {"upto": "delimited_parameters", "a": "redefined"}


def test_a_definition_whose_braces_never_close_is_skipped_not_fatal(tmp_path: Path) -> None:
    # The body of \broken swallows the rest: TeX would fail, we keep the text and leave \broken alone.
    text, verdict, meta = _clean(
        tmp_path, "\\section{S}\n\\broken and \\fine", "\\newcommand{\\fine}{ok}\n\\def\\broken{{x}\n"
    )
    assert verdict is None and meta["macros_skipped"] == {"broken": "unbalanced_braces"}
    assert text is not None and text.endswith("\\broken and ok\n")


def test_a_use_whose_argument_never_closes_is_an_errored_row_with_the_line(tmp_path: Path) -> None:
    started = time.perf_counter()
    text, verdict, meta = _clean(
        tmp_path, "\\section{S}\n" + "word " * 20_000 + "\n\\b{runaway " + "{x " * 5000, "\\newcommand{\\b}[1]{#1}"
    )
    assert time.perf_counter() - started < 2.0
    assert verdict == Verdict.error("unbalanced_braces")
    assert "argument of \\b never closes (line 3)" in meta["error"] and text is None


def test_expansion_is_bounded_in_passes_and_in_growth(tmp_path: Path) -> None:
    chain = "".join(f"\\newcommand{{\\m{chr(97 + i)}}}{{\\m{chr(98 + i)}}}\n" for i in range(14)) + "\\def\\mo{end}\n"
    text, verdict, meta = _clean(tmp_path, "\\section{S}\n\\ma", chain, max_expansion_passes=5)
    assert verdict is None and text == "\\section{S}\n\\mf\n" and meta["expansion_passes_exhausted"]
    bomb = "\\def\\ba{xxxxxxxxxx}\n"  # each macro is ten of the previous one: 10^9 characters in the end
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        bomb += "\\def\\b" + name + "{" + ("\\b" + previous) * 10 + "}\n"
    text, verdict, meta = _clean(tmp_path, "\\section{S}\n\\bi", bomb)
    assert verdict == Verdict.error("macro_expansion_overflow") and "grew past" in meta["error"]
    started = time.perf_counter()  # a long body used often overflows within one pass, before it is all built
    text, verdict, meta = _clean(tmp_path, "\\section{S}\n" + "\\big " * 20_000, "\\def\\big{" + "y" * 20_000 + "}")
    assert verdict == Verdict.error("macro_expansion_overflow") and time.perf_counter() - started < 2.0


def test_a_body_that_defines_macros_is_not_expanded() -> None:
    _, table = collect_macros("\\newcommand{\\setup}{\\def\\inner{x}}\n\\newcommand{\\ok}{y}\n")
    assert table.skipped == {"setup": "defines_macros"} and list(table.macros) == ["ok"]
    assert expand_macros("\\ok\\\\ok \\okay", table, 3, 10.0).text == "y\\\\ok \\okay"


# --- inputs, includes and reasons ------------------------------------------------------------------------------------


def test_inputs_with_and_without_extension_resolve_relative_to_the_main_file(tmp_path: Path) -> None:
    files = {
        "src/main.tex": _tex("\\input{sec/a}\n\\include{sec/b.tex}\n\\input{nowhere}"),
        "src/sec/a.tex": "\\section{A}\nalpha text",
        "src/sec/b.tex": "\\section{B}\nbeta text\\input{sec/a}",
    }
    row, verdict = _read(_paper(tmp_path / "p", files), min_chars=0)
    meta = json.loads(row["meta"])
    assert verdict is None and meta["main_file"] == "src/main.tex"
    assert meta["included_files"] == ["src/sec/a.tex", "src/sec/b.tex", "src/sec/a.tex"]
    assert meta["missing_includes"] == ["nowhere"]
    assert row["text"].count("alpha text") == 2 and "beta text" in row["text"]


def test_cycles_in_input_are_recorded_and_cut(tmp_path: Path) -> None:
    files = {"main.tex": _tex("\\section{S}\n\\input{a}"), "a.tex": "in a \\input{b}", "b.tex": "in b \\input{a.tex}"}
    row, verdict = _read(_paper(tmp_path / "p", files), min_chars=0)
    assert verdict is None and row["text"] == "\\section{S}\nin a in b\n"
    assert json.loads(row["meta"])["include_cycles"] == ["b.tex -> a.tex"]


def test_files_included_twice_at_every_level_cannot_blow_up(tmp_path: Path) -> None:
    files = {f"f{level}.tex": f"\\input{{f{level + 1}}}\\input{{f{level + 1}}}" for level in range(40)}
    files["main.tex"] = _tex("\\section{S}\n\\input{f0}")
    started = time.perf_counter()
    row, verdict = _read(_paper(tmp_path / "p", files), max_source_bytes=100_000)
    assert time.perf_counter() - started < 2.0
    assert verdict == Verdict.error("oversized_tex") and "main.tex" in json.loads(row["meta"])["error"]


def test_a_truncated_tar_gz_is_one_errored_row_naming_the_file(tmp_path: Path) -> None:
    folder = _paper(tmp_path / "p", {"main.tex": _tex("\\section{S}\n" + "Some words here. " * 2000)})
    whole = _tar_gz(tmp_path / "whole.tar.gz", folder).read_bytes()
    cut = tmp_path / "2402.12345.tar.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    row, verdict = _read(cut)
    assert verdict == Verdict.error("corrupt_bundle")
    assert row["id"] == "2402.12345" and str(cut) in json.loads(row["meta"])["error"] and row["text"] is None


def test_a_gzipped_single_tex_file_is_a_paper(tmp_path: Path) -> None:
    path = tmp_path / "2403.00001.gz"
    path.write_bytes(gzip.compress(_tex("\\section{Only}\nsingle file paper").encode()))
    row, verdict = _read(path, min_chars=0)
    assert verdict is None and row["text"] == "\\section{Only}\nsingle file paper\n"
    assert json.loads(row["meta"])["main_file"] == "2403.00001.tex"


def test_a_binary_main_file_is_errored(tmp_path: Path) -> None:
    row, verdict = _read(_paper(tmp_path / "p", {"main.tex": b"\\documentclass{article}\x00\x01\x02" * 50}))
    assert verdict == Verdict.error("binary_tex") and "main.tex" in json.loads(row["meta"])["error"]


def test_a_binary_included_file_is_errored(tmp_path: Path) -> None:
    files = {"main.tex": _tex("\\section{S}\n\\input{fig}"), "fig.tex": bytes(range(256)) * 4}
    assert _read(_paper(tmp_path / "p", files))[1] == Verdict.error("binary_tex")


def test_latin1_sources_are_decoded(tmp_path: Path) -> None:
    row, verdict = _read(
        _paper(tmp_path / "p", {"m.tex": _tex("\\section{S}\nCafé crème").encode("latin-1")}), min_chars=0
    )
    assert verdict is None and "Café crème" in row["text"]


@pytest.mark.parametrize(
    ("files", "reason"),
    [
        ({"notes.tex": "\\section{S}\nno document class anywhere"}, "no_main_file"),
        ({"main.tex": _tex("A letter without any section.")}, "no_section"),
        ({"main.tex": _tex("\\section{S}\nshort")}, "too_short"),
    ],
)
def test_papers_the_recipe_rejects_are_dropped_with_a_reason(tmp_path: Path, files: dict, reason: str) -> None:
    assert _read(_paper(tmp_path / "p", files))[1] == Verdict.drop(reason)


def test_a_commented_out_documentclass_does_not_make_a_main_file(tmp_path: Path) -> None:
    files = {"main.tex": "% \\documentclass{article}\n\\section{S}\ntext"}
    assert _read(_paper(tmp_path / "p", files))[1] == Verdict.drop("no_main_file")


def test_layout_options_refuse_the_wrong_kind_of_input(tmp_path: Path) -> None:
    folder = _paper(tmp_path / "p", {"main.tex": _tex("\\section{S}\ntext")})
    assert _read(folder, layout="bundles")[1] == Verdict.error("not_a_bundle")
    assert _read(_tar_gz(tmp_path / "p.tar.gz", folder), layout="folders")[1] == Verdict.error("not_a_folder")
    assert _read(tmp_path / "absent.tar.gz")[1] == Verdict.error("unreadable_input")


# --- end to end ----------------------------------------------------------------------------------------------------


def test_the_bundled_samples_run_through_the_engine_with_every_paper_accounted_for(tmp_path: Path) -> None:
    source = {
        "name": "arxiv",
        "kind": "arxiv",
        "paths": [str(REPO / "manifests" / "samples" / "arxiv" / "*")],
        "min_chars": 300,
        "stages": [],
    }
    path = write_source_manifest(tmp_path / "manifest.yaml", tmp_path / "out", source, batch_size=8)
    outcome = run(path)
    assert outcome.stats["accounting"]["ok"]
    read = outcome.stats["sources"]["arxiv"]["stages"][0]
    assert read["in"] == 5 and read["kept"] == 3
    assert read["dropped"] == {"no_section": 1} and read["errored"] == {"corrupt_bundle": 1}
    docs = kept_documents(tmp_path / "out")
    assert sorted(docs) == ["2401.00001", "2401.00002", "2401.00003"]
    assert docs["2401.00001"]["text"] == docs["2401.00002"]["text"]  # the same paper as a folder and as a bundle
    assert "\\textit{cell} (bold)" in docs["2401.00001"]["text"]
    assert rejected_rows(tmp_path / "out")["2401.00005"] == ("read", "errored", "corrupt_bundle")
