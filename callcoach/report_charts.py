"""Reports stage, drawing side: the geometry of the per-call timeline and of the report's charts.

Each function turns a call's result document (or the batch's totals) into
plain positions and sizes in SVG user units, CSS classes and tooltips. The
templates draw them as inline SVG, server side, when :mod:`callcoach.report`
renders the pages (``_macros.html`` the timeline, ``index.html`` the charts).
No script draws anything in the browser.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

from .rules.base import mmss

__all__ = ["timeline", "bar_chart", "status_chart", "histogram"]

#: Check statuses in the order the stacked status bars draw them.
STATUSES = ("pass", "warn", "fail", "n/a")


# --------------------------------------------------------------------------- timeline

#: Timeline geometry (SVG user units).
_LABEL_W, _PLOT_W, _LANE_H, _LANE_GAP, _AXIS_H = 88, 880, 22, 8, 26
_TICK_STEPS_S = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600)


def _ticks(t0: float, t1: float, most: int = 12) -> list[float]:
    span = max(t1 - t0, 1e-6)
    step = next((s for s in _TICK_STEPS_S if span / s <= most), _TICK_STEPS_S[-1])
    first = math.ceil(t0 / step) * step
    return [first + i * step for i in range(int((t1 - first) // step) + 1)]


def _bursts(ringback: Any) -> list[tuple[float, float]]:
    if not isinstance(ringback, dict):
        return []
    out = []
    for b in ringback.get("bursts") or []:
        if isinstance(b, dict):
            start, end = b.get("start_s"), b.get("end_s")
        elif isinstance(b, (list, tuple)) and len(b) >= 2:
            start, end = b[0], b[1]
        else:
            continue
        if isinstance(start, (int, float)) and isinstance(end, (int, float)):
            out.append((float(start), float(end)))
    return out


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def timeline(doc: dict) -> dict:
    """Geometry of a call's timeline for the SVG template.

    Lanes, top to bottom: ringing (ringback bursts heard in the recording, or
    the ringing before it began when the ring time came from metadata), agent
    turns, customer turns (one "speech" lane for an unlabelled mono call),
    holds (red when over the limit or unannounced), findings. Each item has
    ``x``, ``w``, a CSS class, a tooltip and, for turns and findings, a link to
    its row on the page.
    """
    checks = doc.get("checks") or {}
    answer = checks.get("answer") or {}
    hold = checks.get("hold") or {}
    turns = ((doc.get("transcript") or {}).get("turns")) or []
    findings = doc.get("findings") or []
    bursts = _bursts((doc.get("signals") or {}).get("ringback"))
    onset = answer.get("ring_onset_s")
    answered = answer.get("answer_s")
    ends = [float(doc.get("duration_s") or 0.0)] + [float(t.get("end_s") or 0) for t in turns]
    t0 = min([0.0] + ([float(onset)] if isinstance(onset, (int, float)) else []))
    t1 = max(ends + [e for _, e in bursts] + [1.0])

    def x(t: float) -> float:
        return round(_LABEL_W + (t - t0) / (t1 - t0) * _PLOT_W, 1)

    def span(start: float, end: float, cls: str, title: str, href: str | None = None) -> dict:
        left = x(max(t0, start))
        return {"x": left, "w": round(max(1.5, x(min(t1, end)) - left), 1), "cls": cls, "title": title, "href": href}

    lanes: list[dict] = []
    ring = [span(s, e, "ring", f"ringback {mmss(s)}–{mmss(e)}") for s, e in bursts]
    if isinstance(onset, (int, float)) and onset < 0:
        ring.insert(
            0,
            span(
                onset,
                0.0,
                "ring-before",
                f"rang {-onset:.1f} s before the recording started ({answer.get('ring_source')})",
            ),
        )
    if ring or isinstance(onset, (int, float)):
        lanes.append({"label": "ringing", "items": ring})
    speakers = {t.get("speaker") for t in turns}
    labelled = bool(speakers & {"agent", "customer"})
    lane_of = {"agent": "agent", "customer": "customer"} if labelled else {}
    by_lane: dict[str, list[dict]] = {"agent": [], "customer": [], "speech": []}
    for i, t in enumerate(turns):
        lane = lane_of.get(t.get("speaker"), "speech" if not labelled else None)
        if lane is None:
            continue
        start, end = float(t.get("start_s") or 0), float(t.get("end_s") or 0)
        by_lane[lane].append(
            span(
                start,
                end,
                f"turn {lane}",
                f"{t.get('speaker')} {mmss(start)}–{mmss(end)}: {_short(t.get('text', ''))}",
                f"#turn-{i}",
            )
        )
    if labelled:
        lanes.append({"label": "agent", "items": by_lane["agent"]})
        lanes.append({"label": "customer", "items": by_lane["customer"]})
    else:
        lanes.append({"label": "speech", "items": by_lane["speech"]})
    limit = hold.get("limit_s")
    hold_items = []
    for h in hold.get("holds") or []:
        start, end = float(h.get("start_s") or 0), float(h.get("end_s") or 0)
        duration = h.get("duration_s") if h.get("duration_s") is not None else end - start
        over = limit is not None and duration > limit
        kind = "dead air" if h.get("kind") == "dead_air" or not h.get("announced") else "hold"
        cls = "hold over" if over or kind == "dead air" else "hold"
        title = f"{kind} {mmss(start)}–{mmss(end)}, {duration:.0f} s" + (f" (limit {limit:g} s)" if limit else "")
        hold_items.append(span(start, end, cls, title))
    lanes.append({"label": "holds", "items": hold_items})
    marks = []
    for i, f in enumerate(findings):
        at = f.get("at_s")
        if not isinstance(at, (int, float)):
            continue
        marks.append(
            {
                "x": x(min(max(float(at), t0), t1)),
                "cls": f"mark {f.get('severity', 'info')}",
                "title": f"{mmss(at)} [{f.get('rule')}] {_short(f.get('message', ''), 140)}",
                "href": f"#finding-{i}",
            }
        )
    lanes.append({"label": "findings", "items": [], "marks": marks})
    for i, row in enumerate(lanes):
        row["y"] = i * (_LANE_H + _LANE_GAP)
    height = len(lanes) * (_LANE_H + _LANE_GAP)
    ticks = [{"x": x(t), "label": mmss(t)} for t in _ticks(t0, t1)]
    return {
        "width": _LABEL_W + _PLOT_W + 12,
        "height": height + _AXIS_H,
        "lane_h": _LANE_H,
        "plot_x": _LABEL_W,
        "plot_w": _PLOT_W,
        "axis_y": height,
        "lanes": lanes,
        "ticks": ticks,
        "answer_x": x(float(answered)) if isinstance(answered, (int, float)) else None,
        "answer_title": None if answered is None else f"answered at {mmss(answered)}",
        "t0": t0,
        "t1": t1,
    }


# --------------------------------------------------------------------------- charts


def bar_chart(items: list[tuple[str, float | None]], maximum: float = 100.0, unit: str = "") -> dict:
    """Horizontal bars, one per (label, value)."""
    bar_h, gap, label_w, plot_w = 18, 6, 150, 300
    bars = []
    for i, (label, value) in enumerate(items):
        w = 0.0 if value is None else max(0.0, min(1.0, value / maximum)) * plot_w
        bars.append(
            {
                "y": i * (bar_h + gap),
                "w": round(w, 1),
                "label": _short(label, 24),
                "value": "–" if value is None else f"{value:.0f}{unit}",
                "cls": "good" if (value or 0) >= 80 else "fair" if (value or 0) >= 60 else "poor",
            }
        )
    return {
        "bars": bars,
        "bar_h": bar_h,
        "label_w": label_w,
        "plot_w": plot_w,
        "width": label_w + plot_w + 50,
        "height": max(1, len(items)) * (bar_h + gap),
    }


def status_chart(statuses: dict[str, Counter]) -> dict:
    """One stacked bar per check: the share of calls that passed, warned, failed, or where it did not apply."""
    bar_h, gap, label_w, plot_w = 18, 6, 110, 340
    rows = []
    for i, (check, counts) in enumerate(statuses.items()):
        total = sum(counts[s] for s in STATUSES) or 1
        left, parts = float(label_w), []
        for status in STATUSES:
            w = counts[status] / total * plot_w
            if w > 0:
                parts.append(
                    {
                        "x": round(left, 1),
                        "w": round(w, 1),
                        "cls": status.replace("/", ""),
                        "title": f"{check}: {counts[status]} {status}",
                    }
                )
            left += w
        rows.append({"y": i * (bar_h + gap), "label": check, "parts": parts})
    return {
        "rows": rows,
        "bar_h": bar_h,
        "label_w": label_w,
        "plot_w": plot_w,
        "width": label_w + plot_w + 10,
        "height": max(1, len(rows)) * (bar_h + gap),
    }


def histogram(scores: list[float]) -> dict:
    """Calls per 10-point score band."""
    counts = [0] * 10
    for s in scores:
        counts[min(9, max(0, int(s // 10)))] += 1
    top = max(counts) or 1
    col_w, plot_h = 34, 120
    cols = [
        {
            "x": i * col_w,
            "h": round(c / top * plot_h, 1),
            "n": c,
            "label": f"{i * 10}",
            "title": f"{c} calls scored {i * 10}–{i * 10 + 10 if i < 9 else 100}",
        }
        for i, c in enumerate(counts)
    ]
    return {"cols": cols, "col_w": col_w, "plot_h": plot_h, "width": 10 * col_w, "height": plot_h + 20}
