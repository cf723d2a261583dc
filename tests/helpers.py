"""What several tests share that is not a fixture: paths, a check of the demo corpus's
best-known answer, and texts of tricky layouts."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the project's folder
DEMO_CORPUS = ROOT / "qa" / "demo_corpus"
APP_INDEX = "index"  # the session app's index folder, under the app_folder fixture

# A PDF's property table: columns of words, two rows wrapped over two lines.
PROPERTY_TABLE = (
    "Property Type Description\n"
    "family String Font family names\n"
    "style String Font style. Overrides weight and slant\n"
    "slant Int Italic, oblique or roman\n"
    "ftface FT_Face Use the specified FreeType face object\n"
    "rgba Int unknown, rgb, bgr, vrgb, vbgr,\n"
    "none - subpixel geometry\n"
    "lang String List of RFC-3066-style languages this\n"
    "font supports\n"
    "antialias Bool Whether glyphs can be antialiased\n"
    "hinting Bool Whether the rasterizer should use hinting"
)


def names_quds_commander(text: str) -> bool:
    """Whether ``text`` names who brokered the ceasefire: the al-Quds Brigade's commander."""
    lowered = text.lower()
    return ("quds" in lowered or "qods" in lowered) and (
        "commander" in lowered or "suleimani" in lowered
    )


FIXTURES = ROOT / "tests" / "fixtures"  # real documents of each format (see SOURCES.md there)


def document_of(folder: Path, name: str, data: bytes):  # noqa: ANN201  (a qa Document)
    """The document that ``data``, saved as ``folder/name``, is read as."""
    from qa.ingest import list_corpus_files, load_document

    (folder / name).write_bytes(data)
    return load_document(next(f for f in list_corpus_files(folder) if f.doc_id == name))
