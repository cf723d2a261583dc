"""The Documents panel of the chat: what the index holds and left out, a Re-index button, and,
when the server allows it (``--allow-uploads``), a file upload.

The panel reads what the index records (``QA.indexed_files``, ``QA.skipped_files``, the
manifest), never the files. Re-indexing and uploads go through ``QA.index`` and
``QA.add_file``: the index served keeps answering other users' questions while the new one is
built (it is swapped in whole, and kept when the run fails), and the two events run one at a
time (one concurrency group), so that two visitors never index at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr

from qa.errors import QAError, UploadError
from qa.index.report import IndexedFile, IndexReport
from qa.ingest.formats import SUFFIXES
from qa.ingest.upload import MAX_UPLOAD_BYTES
from qa.service import QA
from qa.types import SkippedFile
from qa.ui.render import escape, file_kind, plural, sentence_case

log = logging.getLogger("qa")

LISTED_DOCUMENTS = 1000  # rows of the documents table; the rest are counted
INDEXING = "qa-indexing"  # the concurrency group of re-indexing and uploads: one at a time

DOCUMENTS_CSS = """
#qa-documents-panel .qa-doc-table { max-height: 420px; overflow: auto;
  border: 1px solid var(--border-color-primary); border-radius: 6px; }
#qa-documents-panel .qa-doc-table table { width: 100%; border-collapse: collapse; border: 0;
  font-size: .9em; margin: 0; }
#qa-documents-panel .qa-doc-table tr { border: 0; }  /* no side lines from Gradio's prose */
#qa-documents-panel .qa-doc-table th, #qa-documents-panel .qa-doc-table td { border: 0;
  border-bottom: 1px solid var(--border-color-primary); padding: .3em .6em; text-align: left;
  vertical-align: top; }
#qa-documents-panel .qa-doc-table th { position: sticky; top: 0; white-space: nowrap;
  background: var(--background-fill-secondary); }
#qa-documents-panel .qa-doc-table .qa-num { text-align: right; white-space: nowrap;
  font-variant-numeric: tabular-nums; }
#qa-documents-panel .qa-doc-table .qa-kind { white-space: nowrap; }
#qa-documents-panel .qa-doc-id { font-family: var(--font-mono); word-break: break-all; }
#qa-documents-panel .qa-doc-title { opacity: .75; font-size: .9em; }
#qa-documents-panel .qa-doc-summary { margin: 0 0 .4em; }
#qa-documents-panel h4 { margin: .8em 0 .3em; font-size: 1em; }
#qa-documents-panel .qa-skipped { margin: 0; padding-left: 1.2em; }
#qa-documents-panel .qa-skipped li { margin: .15em 0; }
#qa-documents-status { min-height: 4em; }  /* room for the progress bar while indexing */
#qa-documents-status p { margin: 0; }
#qa-documents-status .qa-ok { color: var(--color-accent); }
#qa-documents-status .qa-refused { color: var(--error-text-color, #b91c1c); }
"""


@dataclass(frozen=True)
class Upload:
    """A file the browser uploaded: where the server keeps it, and the name the visitor's
    file had. Gradio names its copy after the base name alone; the original name is what is
    checked, so that "../x.pdf" is refused rather than quietly renamed."""

    path: str
    name: str

    @classmethod
    def of(cls, payload: Any) -> Upload | None:
        """The upload of an event's raw value (Gradio's ``FileData`` as a dict: the event
        runs with ``preprocess=False``, which keeps ``orig_name``; Gradio has checked by then
        that ``path`` is a file it received)."""
        if isinstance(payload, list):
            payload = payload[0] if payload else None
        if not isinstance(payload, dict) or not isinstance(payload.get("path"), str):
            return None
        name = payload.get("orig_name")
        return cls(payload["path"], name if isinstance(name, str) else "")


def documents_panel(
    files: list[IndexedFile], skipped: list[SkippedFile], limit: int = LISTED_DOCUMENTS
) -> str:
    """The panel's HTML: a table of the indexed documents (file, kind, PDF pages, passages,
    characters indexed and left out, where recorded), then the skipped files with their
    reasons. Every name and reason is escaped."""
    head = (
        '<p class="qa-doc-summary">'
        f"{escape(plural(len(files), 'document'))} indexed, "
        f"{escape(plural(len(skipped), 'file'))} skipped</p>"
    )
    rows = "".join(_row(f) for f in files[:limit])
    more = (
        f'<tr><td colspan="6">… and {len(files) - limit:,} more</td></tr>'
        if len(files) > limit
        else ""
    )
    table = (
        '<div class="qa-doc-table"><table><thead><tr><th>File</th><th>Kind</th>'
        '<th class="qa-num">Pages</th><th class="qa-num">Passages</th>'
        '<th class="qa-num">Characters indexed</th><th class="qa-num">Left out</th></tr>'
        f"</thead><tbody>{rows}{more}</tbody></table></div>"
    )
    if skipped:
        items = "".join(
            f'<li><span class="qa-doc-id">{escape(s.path)}</span>: {escape(s.reason)}</li>'
            for s in skipped
        )
        skipped_html = f'<h4>Skipped ({len(skipped):,})</h4><ul class="qa-skipped">{items}</ul>'
    else:
        skipped_html = '<p class="qa-empty">No file was skipped.</p>'
    return f'<div class="qa-documents">{head}{table}{skipped_html}</div>'


def _row(f: IndexedFile) -> str:
    title = (
        f'<div class="qa-doc-title">{escape(f.title)}</div>'
        if f.title and f.title != f.doc_id
        else ""
    )
    kind = sentence_case(file_kind(f.doc_id)) or "—"
    indexed = "—" if f.indexed is None else f"{f.indexed:,}"
    dropped = "—" if f.dropped is None else f"{f.dropped:,}"
    pages = f"{f.pages:,}" if f.pages else "—"
    return (
        f'<tr data-doc="{escape(f.doc_id)}"><td><span class="qa-doc-id">{escape(f.doc_id)}'
        f'</span>{title}</td><td class="qa-kind">{escape(kind)}</td><td class="qa-num">{pages}</td>'
        f'<td class="qa-num">{f.chunks:,}</td><td class="qa-num">{indexed}</td>'
        f'<td class="qa-num">{dropped}</td></tr>'
    )


def run_note(report: IndexReport) -> str:
    """One line on what a re-indexing run did."""
    if report.up_to_date:
        return f"The index is up to date: {plural(report.documents, 'document')}."
    return (
        f"Re-indexed in {report.seconds:.1f} s: {plural(report.documents, 'document')} "
        f"({report.documents_read:,} read, {report.documents - report.documents_read:,} "
        f"unchanged), {plural(len(report.skipped), 'file')} skipped, "
        f"{plural(report.embedded, 'passage')} embedded."
    )


def _status(text: str, ok: bool) -> str:
    css = "qa-ok" if ok else "qa-refused"
    mark = "" if ok else "⚠ "
    return f'<p class="{css}">{escape(mark + text)}</p>'


def documents_section(
    qa: QA,
    outputs: list[gr.components.Component],
    refreshed: Callable[[QA], Sequence[Any]],
    allow_uploads: bool = False,
    max_upload_bytes: int = MAX_UPLOAD_BYTES,
) -> None:
    """The Documents accordion, built inside the current Blocks column, and its events.

    Args:
        qa: The service.
        outputs: Other components to refresh after indexing (the header, the index report).
        refreshed: A function of ``qa`` returning their new values, in that order.
        allow_uploads: Whether to offer a file upload (``--allow-uploads``); without it the
            page has no upload control and no upload event.
        max_upload_bytes: The largest file accepted.
    """

    def panel() -> str:
        return documents_panel(qa.indexed_files(), qa.skipped_files)

    def after(message: str, ok: bool) -> tuple[Any, ...]:
        return (_status(message, ok), panel(), *refreshed(qa))

    def reindex(progress: gr.Progress = gr.Progress(track_tqdm=True)) -> tuple[Any, ...]:  # noqa: B008
        progress(0, desc="Re-indexing the folder")
        try:
            report = qa.index()
        except QAError as exc:
            note = f"Re-indexing failed: {exc}; the index served is unchanged"
            return (_status(note, False), *skips())
        except Exception:
            log.exception("Re-indexing %s failed", qa.corpus)
            note = "Re-indexing failed (the server log has the details); the index is unchanged"
            return (_status(note, False), *skips())
        return after(run_note(report), True)

    def skips() -> list[Any]:
        return [gr.skip() for _ in range(1 + len(outputs))]

    with gr.Accordion("Documents", open=False, elem_id="qa-documents"):
        # A replica reads an index kept up to date elsewhere, and has no folder to re-index.
        button = gr.Button(
            "Re-index the folder",
            size="sm",
            variant="secondary",
            elem_id="qa-reindex",
            visible=not qa.read_only,
        )
        status = gr.HTML("", elem_id="qa-documents-status")
        if allow_uploads:
            upload = gr.File(
                label=f"Add a document ({', '.join(SUFFIXES)}; up to "
                f"{max_upload_bytes / (1024 * 1024):.0f} MB)",
                file_count="single",
                file_types=list(SUFFIXES),
                elem_id="qa-upload",
                height=170,
            )
        listing = gr.HTML(panel(), elem_id="qa-documents-panel")

    io = dict(
        outputs=[status, listing, *outputs],
        concurrency_limit=1,
        concurrency_id=INDEXING,
        show_progress_on=[status],
        api_visibility="private",
    )
    button.click(reindex, None, **io)  # type: ignore[arg-type]
    # Each page load shows the index served now, which anyone may have re-indexed since the
    # page was built.
    gr.on(
        None,
        lambda: (panel(), *refreshed(qa)),
        None,
        [listing, *outputs],
        api_visibility="private",
        queue=False,
        show_progress="hidden",  # no dimmed header while it reloads
    )
    if not allow_uploads:
        return

    def add(
        payload: Any,
        progress: gr.Progress = gr.Progress(track_tqdm=True),  # noqa: B008
    ) -> tuple[Any, ...]:
        uploaded = Upload.of(payload)
        if uploaded is None:  # the box was cleared
            return (gr.skip(), *skips(), gr.skip())
        progress(0, desc=f"Adding {uploaded.name}")
        try:
            report = qa.add_file(uploaded.name, Path(uploaded.path), max_upload_bytes)
        except UploadError as exc:
            return (_status(f"Refused: {exc}", False), *skips(), None)
        except QAError as exc:  # saved, but the index could not be written: the next run takes it
            note = f"{uploaded.name} was saved, but indexing failed: {exc}; the index is unchanged"
            return (_status(note, False), *skips(), None)
        except Exception:
            log.exception("Adding the upload %r failed", uploaded.name)
            note = "The file could not be added (the server log has the details)"
            return (_status(note, False), *skips(), None)
        finally:
            Path(uploaded.path).unlink(missing_ok=True)  # Gradio's copy: the folder has its own
        skipped = {s.path: s.reason for s in report.skipped}
        if uploaded.name in skipped:  # changed on disk between the check and the index
            return (
                *after(f"{uploaded.name} was saved but skipped: {skipped[uploaded.name]}", False),
                None,
            )
        return (*after(f"Added {uploaded.name}. {run_note(report)}", True), None)

    # preprocess=False: the function gets Gradio's record of the file, original name included.
    upload.upload(  # type: ignore[union-attr]
        add, [upload], preprocess=False, **{**io, "outputs": [status, listing, *outputs, upload]}
    )
