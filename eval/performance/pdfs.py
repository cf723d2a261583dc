"""The PDF section of ``qa bench``: how fast our reader turns PDF pages into text, and its
memory, each in a fresh process (``bench_cases.pdf_read``).

Two inputs: the real PDFs that are committed (``tests/fixtures/`` and, when it exists, the
realdocs corpus ``eval/quality/realdocs/corpus/``), and one long PDF of ``LONG_PAGES`` pages
made at bench time from their pages, in order, one document after another and round again
(pypdfium2's ``import_pages``; nothing but pypdfium2 is needed). The figure is the time of
``qa.ingest.load_document``, as indexing calls it: reading the file, each page's text,
headers and footers found, the document laid out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from eval import ROOT
from eval.performance.harness import Steps
from eval.performance.mixed import FIXTURES, REALDOCS

LONG_PAGES = 1000
SMOKE_LONG_PAGES = 40
REPEATS = 3  # each file is read this many times and its median time kept


def real_pdfs(smoke: bool = False) -> list[Path]:
    """The committed PDFs, sorted: the fixtures', then the realdocs corpus's (not in smoke
    runs, which read the fixtures only)."""
    folders = [FIXTURES] if smoke or not REALDOCS.is_dir() else [FIXTURES, REALDOCS]
    return [
        path
        for folder in folders
        for path in sorted(folder.rglob("*"))
        if path.suffix.lower() == ".pdf" and path.is_file()
    ]


def long_pdf(sources: list[Path], target: Path, pages: int) -> Path:
    """A PDF of ``pages`` pages taken from ``sources`` in order, whole documents one after
    another, starting again at the first until there are enough. A source pypdfium2 cannot
    open (broken, encrypted) is left out."""
    import pypdfium2 as pdfium

    opened = []
    for path in sources:
        try:
            opened.append(pdfium.PdfDocument(path))
        except pdfium.PdfiumError:
            continue
    opened = [pdf for pdf in opened if len(pdf)]
    if not opened:
        raise ValueError(f"none of {', '.join(map(str, sources))} has a page to copy")
    made = pdfium.PdfDocument.new()
    while len(made) < pages:
        for pdf in opened:
            wanted = min(len(pdf), pages - len(made))
            made.import_pages(pdf, pages=list(range(wanted)))
            if len(made) == pages:
                break
    target.parent.mkdir(parents=True, exist_ok=True)
    made.save(str(target))
    for pdf in [made, *opened]:
        pdf.close()
    return target


def bench_pdf(work: Path, smoke: bool) -> dict[str, Any]:
    """Pages/s and peak memory of our PDF reader on the real PDFs, then on the long one."""
    step = Steps("pdf")
    sources = real_pdfs(smoke)
    pages = SMOKE_LONG_PAGES if smoke else LONG_PAGES
    made = long_pdf(sources, work / f"long-{pages}-pages.pdf", pages)
    real = step(
        f"{len(sources)} real PDF(s)", "pdf_read", paths=[str(p) for p in sources], repeats=REPEATS
    )
    long = step(f"one PDF of {pages:,} pages", "pdf_read", paths=[str(made)], repeats=REPEATS)
    return {
        "real": real,
        "long": long,
        "long_made_from": [p.relative_to(ROOT).as_posix() for p in sources],
    }
