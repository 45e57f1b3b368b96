"""Writes the bundled arXiv sample inputs (manifests/samples/arxiv/).

Every paper is written here, by us, in the forms arXiv ships sources: a paper folder,
.tar.gz bundles and a gzipped single .tex. They exercise the recipe (preamble, comments,
user macros with arguments, \\input of sub-files, verbatim, bibliography) and its reasons:
a paper without a \\section and a truncated bundle. The files are byte-for-byte
reproducible. Run ``python manifests/samples/make_arxiv_samples.py`` to regenerate them.
"""

from __future__ import annotations

import gzip
import io
import shutil
import tarfile
from pathlib import Path

HERE = Path(__file__).resolve().parent / "arxiv"

PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage{amsmath}
% Macros for this paper
\newcommand{\stones}{river stones}
\newcommand{\vect}[1]{\mathbf{#1}}
\newcommand{\term}[2][ital]{\textit{#2} (#1)}
\def\flow{\ensuremath{Q}}
\title{Counting \stones{} with a camera}
\author{A. Example \and B. Sample}
\begin{document}
\maketitle
\begin{abstract}
We count \stones{} in shallow water from photographs.
\end{abstract}
"""

INTRO = r"""\section{Introduction}
% TODO: shorten this paragraph before submission
Rivers sort their beds: fast water carries sand away and leaves \stones{} behind.
Counting them by hand is slow, so we photograph a one metre square of the bed and let a
program mark each stone. About 90\% of the stones we marked by hand were found again.
We write $\vect{x}$ for the position of a stone and \flow{} for the discharge of the river.
"""

METHOD = r"""\section{Method}
Each photograph is split into tiles. A tile is a \term{patch} of the bed, or a
\term[bold]{cell} when it holds exactly one stone. % the inline remark goes away
The program prints a line per tile:
\begin{verbatim}
tile 12: 3 stones  % kept: inside verbatim this is text
\end{verbatim}
We repeat the count on three days and keep the median, which is less sensitive to a
single blurred photograph than the mean.
"""

RESULTS = r"""\section{Results}
Across twelve river sections the automatic count was within one stone of the manual count
in most tiles. Errors came from stones that touched each other and from shadows cast by
overhanging branches; both are easy to spot when the marked photograph is shown next to
the original.
\bibliographystyle{plain}
\bibliography{refs}
\end{document}
Notes after the end of the document are never typeset.
"""

SINGLE_FILE = r"""\documentclass{article}
\newcommand{\lake}{Lake Example}
\begin{document}
\title{Ice days on \lake}
\maketitle
\section{Observations}
We recorded, every winter morning for five years, whether \lake{} was frozen at the pier.
The lake froze on average on forty-one days per winter, with a long cold spell in the
second year and almost no ice in the fourth. Observers noted the time, the air temperature
and whether the ice carried snow, so that later readers can check each entry.
\section{Discussion}
Short records like this one cannot show a trend on their own, but they add detail to the
longer series kept by the weather service twenty kilometres away, and they were cheap to keep.
\begin{thebibliography}{1}
\bibitem{ws} Weather Service. Winter reports. 2020.
\end{thebibliography}
\end{document}
"""

NO_SECTION = r"""\documentclass{letter}
\begin{document}
Dear editor, please find attached our revised manuscript. We answered every comment of
the two reviewers and shortened the introduction as requested.
\end{document}
"""


def tar_gz(files: dict[str, str]) -> bytes:
    """A reproducible .tar.gz holding ``files`` at its root, as arXiv's source bundles do."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name, text in files.items():
            data = text.encode("utf-8")
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), 1_700_000_000, 0o644
            tar.addfile(info, io.BytesIO(data))
    return gzip.compress(raw.getvalue(), mtime=0)


def main() -> None:
    if HERE.exists():
        shutil.rmtree(HERE)
    folder = HERE / "2401.00001"
    (folder / "sections").mkdir(parents=True)
    (folder / "main.tex").write_text(PREAMBLE + "\\input{sections/intro}\n\\include{sections/method.tex}\n" + RESULTS)
    (folder / "sections" / "intro.tex").write_text(INTRO)
    (folder / "sections" / "method.tex").write_text(METHOD)
    bundle = {"paper.tex": PREAMBLE + "\\input{intro}\n\\input{method}\n" + RESULTS, "intro.tex": INTRO}
    bundle["method.tex"] = METHOD
    (HERE / "2401.00002.tar.gz").write_bytes(tar_gz(bundle))
    (HERE / "2401.00003.gz").write_bytes(gzip.compress(SINGLE_FILE.encode(), mtime=0))
    (HERE / "2401.00004.tar.gz").write_bytes(tar_gz({"letter.tex": NO_SECTION}))
    whole = tar_gz(bundle)
    (HERE / "2401.00005.tar.gz").write_bytes(whole[: len(whole) // 2])  # cut in the middle of the stream
    for path in sorted(HERE.rglob("*")):
        if path.is_file():
            print(f"{path.relative_to(HERE.parent)}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
