"""The index report: what was read, what the rules left out (and which documents lost much of
their text), and every skipped file, grouped by reason."""

from qa.index.manifest import BuildSettings, Manifest, SegmentCounts, TextKept, text_kept
from qa.index.report import LISTED_SKIPS, IndexReport
from qa.types import RUNNING_LINES, Document, Segment, SkippedFile

SETTINGS = BuildSettings(4, "all-MiniLM-L6-v2", "bf16", 384, 256, 192, 32, 0.7)


def test_text_kept_counts_each_document_s_losses_by_reason() -> None:
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
    paged = Document(
        "manual.pdf",
        "Manual",
        "Page 1\nText.",
        segments=(Segment("boilerplate", 0, 6, reason=RUNNING_LINES), Segment("article", 7, 12)),
        pages=(0,),
    )
    web = Document("web.html", "Web", "Text.", removed=(("navigation", 40),))
    blog = Document("blog.txt", "Blog", "Post.\nA reply.", segments=(Segment("comment", 6, 14),))
    assert text_kept([heavy, light, paged, web, blog]) == {
        "blog.txt": TextKept(14, {}, page_rules=True),
        "heavy.html": TextKept(len(page), {"page furniture": len(page) - 14}, page_rules=True),
        "light.txt": TextKept(17, {}),
        "manual.pdf": TextKept(12, {"running headers and footers": 6}),
        "web.html": TextKept(45, {"navigation": 40}),
    }


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
        texts={
            "manual.html": TextKept(13_394, {"page furniture": 8_775}),
            "spec.pdf": TextKept(6_000, {"running headers and footers": 300, "navigation": 6}),
            "notes.txt": TextKept(606, {}),
            "post.html": TextKept(0, {}, page_rules=True),
        },
    )
    summary = IndexReport.of(manifest, "/index", embedded=9, seconds=1.0).summary()
    assert (
        "text:      20,000 characters, 9,081 of them left out (8,775 page furniture, "
        "300 running headers and footers, 6 navigation)"
    ) in summary
    assert "left out, by file (2 of 4 lost text):" in summary
    assert "read as web pages with comments (page rules applied): 1 of 4: post.html" in summary
    assert (
        "manual.html: 66% (8,775 of 13,394 characters: 8,775 page furniture, over 25%: check it)"
    ) in summary
    assert (
        "spec.pdf: 5% (306 of 6,000 characters: 300 running headers and footers, 6 navigation)"
        in summary
    )
    assert "notes.txt" not in summary
    assert "skipped:   26 file(s): 25 not a supported format, 1 PDF without a text layer" in summary
    assert summary.count(".pptx: not a supported format") == LISTED_SKIPS
    assert "... and 6 more" in summary


def test_an_up_to_date_index_says_so_in_a_line_or_in_full() -> None:
    manifest = Manifest(
        settings=SETTINGS,
        corpus="/docs",
        documents=1,
        chunks=3,
        texts={"spec.pdf": TextKept(6_000, {"running headers and footers": 300})},
        skipped=(SkippedFile("deck.pptx", "not a supported format (.pptx; reads .txt)"),),
    )
    report = IndexReport.of(manifest, "/index")
    assert report.summary() == "Index of /docs is up to date: 1 documents, 3 chunks (/index)"
    full = report.summary(details=True)
    assert "spec.pdf: 5% (300 of 6,000 characters: 300 running headers and footers)" in full
    assert "deck.pptx: not a supported format" in full


def test_the_manifest_keeps_the_pdf_page_count_and_reads_an_older_one_without_it() -> None:
    manifest = Manifest(settings=SETTINGS, corpus="/docs", documents=2, chunks=9, pages=17)
    stored = manifest.to_json()
    assert Manifest.from_json(stored).pages == 17
    del stored["counts"]["pages"]  # written before pages were counted
    assert Manifest.from_json(stored).pages is None
