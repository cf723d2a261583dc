"""PNG charts of eval results, drawn with matplotlib (the ``eval`` extra).

Without matplotlib the charts are skipped with a one-line note; the tables and JSON are the
results, the charts only show them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

BASRA_METRICS = (("hit_1", "Hit@1"), ("hit_5", "Hit@5"), ("mrr_10", "MRR@10"))
BEIR_METRICS = (("ndcg_10", "nDCG@10"), ("recall_100", "Recall@100"))


def questions_chart(
    configs: Mapping[str, Mapping], question_set: str, split: str, questions: int, out: Path
) -> bool:
    """Grouped bars: Hit@1, Hit@5 and MRR@10 of each configuration. False without matplotlib."""
    names = list(configs)
    series = {
        title: [configs[name]["scores"][key] for name in names] for key, title in BASRA_METRICS
    }
    title = f"{question_set} questions, {split} split ({questions} questions)"
    return _bars(names, series, title, out)


def beir_chart(
    dataset: str,
    split: str,
    configs: Mapping[str, Mapping[str, float]],
    published: Mapping[str, Sequence[float]],
    out: Path,
) -> bool:
    """Grouped bars: nDCG@10 and Recall@100 of ours, then the published numbers (hatched)."""
    names = [*configs, *(f"published:\n{name}" for name in published)]
    series = {
        title: [configs[n][key] for n in configs] + [pub[i] for pub in published.values()]
        for i, (key, title) in enumerate(BEIR_METRICS)
    }
    return _bars(names, series, f"{dataset}, {split} split", out, hatched_from=len(configs))


RETRIEVE_TARGET_MS = 25  # the goals at 1M chunks, drawn as lines
MEMORY_TARGET_MB = 3 * 1024


def bench_chart(corpora: Sequence[Mapping], scale: Mapping | None, out: Path) -> bool:
    """Latency and memory against collection size: ``retrieve`` and its process's peak
    memory on each corpus, on the synthetic corpus and on the synthetic indexes, and the
    vector index alone at the synthetic sizes; the 1M-chunk goals as dashed lines."""
    plt = _pyplot()
    if plt is None:
        return False
    figure, (speed, memory) = plt.subplots(1, 2, figsize=(10, 4), dpi=120)
    if corpora:
        _plot_corpora(speed, memory, corpora)
    if scale:
        _plot_scale(speed, memory, scale)
    if scale and "retrieve" in scale:
        speed.axhline(RETRIEVE_TARGET_MS, color="grey", ls="--", lw=0.8, label="goal, 1M chunks")
        memory.axhline(MEMORY_TARGET_MB, color="grey", ls="--", lw=0.8, label="goal, 1M chunks")
    for axes, title, unit in ((speed, "Latency", "ms"), (memory, "Memory", "MB")):
        axes.set_xscale("log")
        axes.set_xlabel("chunks (vectors)")
        axes.set_ylabel(unit)
        axes.set_title(title)
        axes.grid(alpha=0.3)
        axes.legend(fontsize=7)
    return _save(plt, figure, out)


def _plot_corpora(speed, memory, corpora: Sequence[Mapping]) -> None:
    """Ours and the tutorial's on each real corpus."""
    sizes = [c["ours"]["chunks"] for c in corpora]
    speed.plot(sizes, [c["ours"]["latency"]["retrieve"]["p50_ms"] for c in corpora], "o-",
               label="retrieve p50 (ours)")  # fmt: skip
    speed.plot(sizes, [c["tutorial"]["latency"]["retrieve"]["p50_ms"] for c in corpora],
               "s--", label="retrieve p50 (tutorial)")  # fmt: skip
    memory.plot(sizes, [c["ours"]["latency"]["peak_rss_mb"] for c in corpora], "o-",
                label="peak memory, answering (ours)")  # fmt: skip
    memory.plot(sizes, [c["tutorial"]["latency"]["peak_rss_mb"] for c in corpora], "s--",
                label="peak memory, retrieving (tutorial)")  # fmt: skip


def _plot_scale(speed, memory, scale: Mapping) -> None:
    """The synthetic measurements: the vector index alone at each size, and (in result files
    that have them) ``retrieve`` on the synthetic indexes and on the synthetic corpus."""
    rows = [r for r in scale["rows"] if r["kind"] != "ivf-flat"]  # the previous default: a table
    sizes = [r["size"] for r in rows]
    speed.plot(sizes, [r["search"]["p50_ms"] for r in rows], "^:",
               label="vector search p50 (synthetic)")  # fmt: skip
    memory.plot(sizes, [r["rss_after_search_mb"] for r in rows], "^:",
                label="vector index, memory after search")  # fmt: skip
    if retrieve := scale.get("retrieve"):
        sizes = [r["size"] for r in retrieve]
        speed.plot(sizes, [r["retrieve"]["p50_ms"] for r in retrieve], "D-",
                   label="retrieve p50 (synthetic index)")  # fmt: skip
        memory.plot(sizes, [r["peak_rss_mb"] for r in retrieve], "D-",
                    label="peak memory, retrieving (synthetic index)")  # fmt: skip
    if text := scale.get("text"):
        latency = text["latency"]
        speed.plot([text["chunks"]], [latency["retrieve"]["p50_ms"]], "*", markersize=10,
                   label="retrieve p50 (synthetic corpus, ours)")  # fmt: skip
        memory.plot([text["chunks"]], [latency["peak_rss_mb"]], "*", markersize=10,
                    label="peak memory, answering (synthetic corpus)")  # fmt: skip
        memory.plot([text["chunks"]], [text["peak_rss_mb"]], "P", markersize=8,
                    label="peak memory, indexing (synthetic corpus)")  # fmt: skip


def refusal_chart(curves: Mapping[str, Mapping[str, Mapping[str, float]]], out: Path) -> bool:
    """For each split, the share of unanswerable questions refused against the share of
    answerable ones refused, one point per ``min_confidence`` threshold."""
    plt = _pyplot()
    if plt is None:
        return False
    figure, axes = plt.subplots(figsize=(6, 5))
    for split, points in curves.items():
        wrong = [p["refuses_answerable"] for p in points.values()]
        right = [p["refuses_unanswerable"] for p in points.values()]
        axes.plot(wrong, right, "o-", label=f"{split} split")
    axes.axvline(0.10, color="grey", linestyle=":", label="target: ≤ 10% answerable refused")
    axes.axhline(0.80, color="grey", linestyle="--", label="target: ≥ 80% unanswerable refused")
    axes.set_xlabel("answerable questions refused (lower is better)")
    axes.set_ylabel("unanswerable questions refused (higher is better)")
    axes.set_xlim(-0.02, 1.02)
    axes.set_ylim(-0.02, 1.02)
    axes.set_title("Refusals by min_confidence (Basra and real documents)")
    axes.legend(loc="lower right")
    return _save(plt, figure, out)


def soak_chart(samples: Sequence[Mapping], warm_at: int, out: Path) -> bool:
    """The app's resident memory and the p95 latency of each window against questions answered,
    in two panels over one axis; the warm-up's end as a dotted line."""
    plt = _pyplot()
    if plt is None:
        return False
    figure, (memory, speed) = plt.subplots(2, 1, figsize=(8, 6), dpi=120, sharex=True)
    memory.plot([s["questions"] for s in samples], [s["rss_mb"] for s in samples], "o-",
                label="resident")  # fmt: skip
    if all("rss_anon_mb" in s for s in samples):  # earlier runs did not record it
        memory.plot([s["questions"] for s in samples], [s["rss_anon_mb"] for s in samples], "^:",
                    label="of which private (heap)")  # fmt: skip
    timed = [s for s in samples if s["latency"]]
    speed.plot([s["questions"] for s in timed], [s["latency"]["p95_ms"] for s in timed], "o-",
               label="p95")  # fmt: skip
    speed.plot([s["questions"] for s in timed], [s["latency"]["p50_ms"] for s in timed], "s--",
               label="p50")  # fmt: skip
    panels = ((memory, "Resident memory of the app", "MB"),
              (speed, "Latency of the questions since the last sample", "ms"))  # fmt: skip
    for axes, title, unit in panels:
        axes.axvline(warm_at, color="grey", ls=":", lw=0.8, label="end of warm-up")
        axes.set_ylabel(unit)
        axes.set_title(title)
        axes.set_ylim(bottom=0)
        axes.grid(alpha=0.3)
        axes.legend(fontsize=7)
    speed.set_xlabel("questions answered")
    return _save(plt, figure, out)


def _pyplot():
    """matplotlib's pyplot on the file-only backend, or None (with a note) without it."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("(matplotlib is not installed: no chart; pip install 'qa[eval]' for one)")
        return None
    return plt


def _save(plt, figure, out: Path) -> bool:
    figure.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(out)
    plt.close(figure)
    print(f"Wrote {out}")
    return True


def _bars(
    names: Sequence[str],
    series: Mapping[str, Sequence[float]],
    title: str,
    out: Path,
    hatched_from: int | None = None,
) -> bool:
    plt = _pyplot()
    if plt is None:
        return False
    width = 0.8 / len(series)
    figure, axes = plt.subplots(figsize=(max(7.0, 1.1 * len(names) + 2), 4.2), dpi=120)
    for s, (label, values) in enumerate(series.items()):
        xs = [i + (s - (len(series) - 1) / 2) * width for i in range(len(names))]
        bars = axes.bar(xs, values, width, label=label)
        for i, bar in enumerate(bars):
            if hatched_from is not None and i >= hatched_from:
                bar.set_hatch("//")
                bar.set_alpha(0.6)
        axes.bar_label(bars, fmt="%.2f", fontsize=7, padding=1)
    axes.set_xticks(range(len(names)), names, rotation=25, ha="right", fontsize=8)
    axes.set_ylim(0, 1.05)
    axes.set_title(title)
    axes.legend(loc="lower right", fontsize=8)
    axes.grid(axis="y", alpha=0.3)
    return _save(plt, figure, out)
