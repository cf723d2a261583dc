"""The index report: what was read, what the rules left out (and which documents lost much of
their text), and every skipped file, grouped by reason."""

from qa.index.manifest import BuildSettings, Manifest, SegmentCounts, text_kept
from qa.index.report import LISTED_SKIPS, IndexReport
from qa.types import Document, Segment, SkippedFile

SETTINGS = BuildSettings(4, "all-MiniLM-L6-v2", "bf16", 384, 256, 192, 32, 0.7)


def test_text_kept_names_the_documents_that_lost_over_a_quarter() -> None:
    page = "Article text.\nShare this\nNewsletter\nCopyright notice here"
    heavy = Document(
        "heavy.html",
        "Heavy",
        page,
        segments=(Segment("article", 0, 13), Segment("boilerplate", 14, len(page))),
    )
    light = Document(
        "light.txt", "Light", "All of it counts.", segments=(Segment("article", 0, 17),)
    )
    characters, dropped, losses = text_kept([heavy, light])
    assert characters == len(page) + 17 and dropped == len(page) - 14
    assert losses == {"heavy.html": (len(page) - 14, len(page))}


def test_the_summary_groups_skipped_files_and_names_heavy_losses() -> None:
    skipped = tuple(
        [
            SkippedFile(f"deck{i}.pptx", "not a supported format (.pptx; reads .txt)")
            for i in range(25)
        ]
        + [SkippedFile("scan.pdf", "PDF without a text layer (a scan?); OCR it first")]
    )
    manifest = Manifest(
        settings=SETTINGS,
        corpus="/docs",
        documents=2,
        chunks=9,
        segments=SegmentCounts(2, 0, 1),
        skipped=skipped,
        characters=20_000,
        dropped=8_775,
        losses={"manual.html": (8_775, 13_394)},
    )
    summary = IndexReport.of(manifest, "/index", embedded=9, seconds=1.0).summary()
    assert "text:      20,000 characters, 8,775 of them page furniture (not indexed)" in summary
    assert "manual.html: 66% (8,775 of 13,394 characters)" in summary
    assert "skipped:   26 file(s): 25 not a supported format, 1 PDF without a text layer" in summary
    assert summary.count(".pptx: not a supported format") == LISTED_SKIPS
    assert "... and 6 more" in summary
