"""Charts as inline SVG: no script, no network, every text escaped.

Each function returns :class:`markupsafe.Markup` holding one ``<svg>`` element. Text from the
scenario (names, labels) always goes through :func:`markupsafe.escape`, so a hostile name is
shown as text, never run.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from markupsafe import Markup, escape

ROLE_COLOURS = {
    "party": "#1b6ca8", "mediator": "#2a9d3f", "host": "#8e5cc4", "accompanying": "#8c564b",
    "external": "#e67e22", "spoiler": "#c0392b", "other": "#7f7f7f",
}
# Ten distinguishable colours (Tableau 10), one per column of a default forecast
MODEL_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
                 "#7f7f7f", "#bcbd22", "#17becf"]
LEGEND_STEP = 130  # pixels per legend entry: a name of 16 characters and its dot
FONT = 'font-family="system-ui, sans-serif"'


def _svg(width: int, height: int, body: list[str], label: str) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(label)}" {FONT} font-size="11">'
        f"<title>{escape(label)}</title>" + "".join(body) + "</svg>")


def _short(text: str, limit: int = 22) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Axis:
    """A linear map from data values to pixels."""

    def __init__(self, low: float, high: float, left: float, right: float):
        self.low, self.high, self.left, self.right = low, high, left, right

    def __call__(self, value: float) -> float:
        span = self.high - self.low or 1.0
        return self.left + (value - self.low) / span * (self.right - self.left)


def issue_map(issue, stances, actors, width: int = 760, height: int = 280) -> Markup:
    """Actors on one issue: position across, salience up, size by capability, colour by role."""
    x = Axis(issue.scale.min, issue.scale.max, 50, width - 30)
    y = Axis(0, 1, height - 50, 25)
    top = max(a.capability for a in actors.values())
    body = [f'<rect x="0" y="0" width="{width}" height="{height}" fill="#fff"/>']
    for region in issue.off_table:
        body.append(f'<rect x="{x(region.low):.1f}" y="20" width="{x(region.high) - x(region.low):.1f}" '
                    f'height="{height - 70}" fill="#c0392b" fill-opacity="0.08"/>'
                    f'<text x="{x(region.high) - 4:.1f}" y="34" text-anchor="end" fill="#c0392b">'
                    f"off the table: {escape(_short(region.label, 60))}</text>")
    body += _axes(x, y, width, height, issue.scale, "salience")
    if issue.status_quo is not None:
        sq = x(issue.status_quo)
        body.append(f'<line x1="{sq:.1f}" x2="{sq:.1f}" y1="20" y2="{height - 50}" stroke="#333" '
                    f'stroke-dasharray="4 3"/><text x="{sq + 3:.1f}" y="{height - 54}" '
                    f'fill="#333">status quo</text>')
    taken: list[tuple[float, float]] = []
    for s in sorted(stances, key=lambda s: -actors[s.actor].capability):
        actor = actors[s.actor]
        r = 4 + 14 * math.sqrt(actor.capability / top)
        cx, cy = x(s.position), y(s.salience)
        colour = ROLE_COLOURS[actor.role.value]
        left = cx > width - 170
        lx = cx - r - 2 if left else cx + r + 2
        ly = cy + 4
        while any(abs(lx - tx) < 90 and abs(ly - ty) < 12 for tx, ty in taken):
            ly += 12
        taken.append((lx, ly))
        anchor = ' text-anchor="end"' if left else ""
        body.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r:.1f}" fill="{colour}" '
                    f'fill-opacity="0.55" stroke="{colour}"><title>{escape(actor.name)}: '
                    f"position {s.position:g}, salience {s.salience:g}, capability "
                    f"{actor.capability:g}</title></circle>"
                    f'<text x="{lx:.1f}" y="{ly:.1f}"{anchor}>{escape(_short(actor.name))}</text>')
    return _svg(width, height, body, f"Actors on {issue.name}")


def _axes(x: Axis, y: Axis, width: int, height: int, scale, y_label: str) -> list[str]:
    base = height - 50
    parts = [f'<line x1="{x.left}" x2="{x.right}" y1="{base}" y2="{base}" stroke="#999"/>',
             f'<line x1="{x.left}" x2="{x.left}" y1="20" y2="{base}" stroke="#999"/>',
             f'<text x="12" y="{(base + 20) / 2:.0f}" transform="rotate(-90 12 {(base + 20) / 2:.0f})" '
             f'text-anchor="middle" fill="#555">{escape(y_label)}</text>']
    for v in np.linspace(scale.min, scale.max, 6):
        parts.append(f'<line x1="{x(v):.1f}" x2="{x(v):.1f}" y1="{base}" y2="{base + 5}" '
                     f'stroke="#999"/><text x="{x(v):.1f}" y="{base + 17}" text-anchor="middle" '
                     f'fill="#555">{v:g}</text>')
    for value in scale.anchors:
        parts.append(f'<text x="{x(value):.1f}" y="{base + 32}" text-anchor="middle" '
                     f'fill="#1b6ca8">▲</text>')
    for v in (0, 0.5, 1):
        parts.append(f'<text x="{x.left - 6}" y="{y(v) + 4:.1f}" text-anchor="end" '
                     f'fill="#555">{v:g}</text>')
    unit = f" ({escape(scale.unit)})" if scale.unit else ""
    parts.append(f'<text x="{(x.left + x.right) / 2:.0f}" y="{height - 4}" text-anchor="middle" '
                 f'fill="#555">position{unit}; ▲ = labelled anchor point</text>')
    return parts


def dot_rows(rows: Sequence[tuple[str, float, float, float | None, dict[str, tuple]]],
             models: Sequence[str], title: str, width: int = 760) -> Markup:
    """One row per issue: model estimates as dots (or intervals) on the issue's own scale.

    ``rows``: (label, scale min, scale max, status quo, {model: (value, low, high)}) where low and
    high may be None (no interval).
    """
    left, right = 190, width - 20
    row_h = max(36, 12 + 4 * len(models))  # the models' dots are stacked 4 pixels apart
    per_line = max(1, (right - 20) // LEGEND_STEP)
    top = 20 * math.ceil(len(models) / per_line) + 25
    height = top + row_h * len(rows) + 30
    body = [f'<rect width="{width}" height="{height}" fill="#fff"/>']
    for m, model in enumerate(models):
        colour = MODEL_COLOURS[m % len(MODEL_COLOURS)]
        lx, ly = 20 + LEGEND_STEP * (m % per_line), 16 + 20 * (m // per_line)
        body.append(f'<circle cx="{lx + 6}" cy="{ly}" r="5" fill="{colour}"/>'
                    f'<text x="{lx + 15}" y="{ly + 4}">{escape(_short(model, 16))}</text>')
    for i, (label, low, high, sq, values) in enumerate(rows):
        cy = top + row_h * i
        x = Axis(low, high, left, right)
        body.append(f'<text x="{left - 8}" y="{cy + 4}" text-anchor="end">{escape(_short(label, 30))}</text>'
                    f'<line x1="{left}" x2="{right}" y1="{cy}" y2="{cy}" stroke="#ddd"/>')
        finite = [v[0] for v in values.values() if v[0] is not None and np.isfinite(v[0])]
        if finite:
            body.append(f'<rect x="{x(min(finite)):.1f}" y="{cy - 6}" '
                        f'width="{max(1.0, x(max(finite)) - x(min(finite))):.1f}" height="12" '
                        f'fill="#bbb" fill-opacity="0.35"/>')
        if sq is not None:
            body.append(f'<line x1="{x(sq):.1f}" x2="{x(sq):.1f}" y1="{cy - 9}" y2="{cy + 9}" '
                        f'stroke="#000" stroke-width="2"><title>status quo {sq:g}</title></line>')
        for m, model in enumerate(models):
            if model not in values or values[model][0] is None:
                continue
            value, lo, hi = values[model]
            colour = MODEL_COLOURS[m % len(MODEL_COLOURS)]
            dy = (m - (len(models) - 1) / 2) * 4
            if lo is not None:
                body.append(f'<line x1="{x(lo):.1f}" x2="{x(hi):.1f}" y1="{cy + dy:.1f}" '
                            f'y2="{cy + dy:.1f}" stroke="{colour}" stroke-width="2" '
                            f'stroke-opacity="0.7"/>')
            body.append(f'<circle cx="{x(value):.1f}" cy="{cy + dy:.1f}" r="4.5" fill="{colour}">'
                        f"<title>{escape(model)}: {value:.1f}</title></circle>")
        body.append(f'<text x="{left}" y="{cy + 15}" fill="#999" font-size="9">{low:g}</text>'
                    f'<text x="{right}" y="{cy + 15}" fill="#999" font-size="9" '
                    f'text-anchor="end">{high:g}</text>')
    body.append(f'<text x="{left}" y="{height - 8}" fill="#555">each row on its issue\'s own scale; '
                f"black tick = status quo; grey band = spread between models</text>")
    return _svg(width, height, body, title)


def trajectory(rounds: np.ndarray, actors: Sequence[str], outcome: np.ndarray, low: float,
               high: float, title: str, label: str = "forecast", width: int = 370,
               height: int = 220) -> Markup:
    """Positions per round (thin lines, one per actor) and the model's forecast after each round
    (thick line), ``label`` saying what that forecast is (e.g. "weighted median")."""
    t = rounds.shape[0]
    x = Axis(0, max(1, t - 1), 40, width - 10)
    y = Axis(low, high, height - 30, 20)
    body = [f'<rect width="{width}" height="{height}" fill="#fff"/>',
            f'<text x="{width / 2:.0f}" y="13" text-anchor="middle" font-weight="600">'
            f"{escape(_short(title, 48))}</text>",
            f'<line x1="40" x2="{width - 10}" y1="{height - 30}" y2="{height - 30}" stroke="#999"/>',
            f'<line x1="40" x2="40" y1="20" y2="{height - 30}" stroke="#999"/>']
    for v in np.linspace(low, high, 5):
        body.append(f'<text x="36" y="{y(v) + 4:.1f}" text-anchor="end" fill="#555">{v:g}</text>')
    for r in range(t):
        body.append(f'<text x="{x(r):.1f}" y="{height - 16}" text-anchor="middle" fill="#555">{r}</text>')
    body.append(f'<text x="{(width + 40) / 2:.0f}" y="{height - 2}" text-anchor="middle" '
                f'fill="#555">round</text>')
    for i, name in enumerate(actors):
        points = " ".join(f"{x(r):.1f},{y(rounds[r, i]):.1f}" for r in range(t))
        body.append(f'<polyline points="{points}" fill="none" stroke="#9aa7b4" stroke-width="1">'
                    f"<title>{escape(name)}</title></polyline>")
    points = " ".join(f"{x(r):.1f},{y(outcome[r]):.1f}" for r in range(t) if np.isfinite(outcome[r]))
    body.append(f'<polyline points="{points}" fill="none" stroke="#c0392b" stroke-width="3">'
                f"<title>forecast per round: {escape(label)}</title></polyline>")
    return _svg(width, height, body, title)


def histogram(values: np.ndarray, low: float, high: float, title: str, p5: float, p95: float,
              width: int = 370, height: int = 160, bins: int = 30) -> Markup:
    """Distribution of one issue's outcome over the draws, 5-95% interval shaded."""
    counts, edges = np.histogram(values[np.isfinite(values)], bins=bins, range=(low, high))
    x = Axis(low, high, 30, width - 10)
    top = counts.max() or 1
    base = height - 30
    body = [f'<rect width="{width}" height="{height}" fill="#fff"/>',
            f'<text x="{width / 2:.0f}" y="13" text-anchor="middle" font-weight="600">'
            f"{escape(_short(title, 48))}</text>",
            f'<rect x="{x(p5):.1f}" y="18" width="{max(1.0, x(p95) - x(p5)):.1f}" '
            f'height="{base - 18}" fill="#e67e22" fill-opacity="0.12"/>']
    for c, a, b in zip(counts, edges[:-1], edges[1:]):
        h = (base - 22) * c / top
        body.append(f'<rect x="{x(a) + 0.5:.1f}" y="{base - h:.1f}" width="{max(0.5, x(b) - x(a) - 1):.1f}" '
                    f'height="{h:.1f}" fill="#1b6ca8"/>')
    body.append(f'<line x1="30" x2="{width - 10}" y1="{base}" y2="{base}" stroke="#999"/>')
    for v in np.linspace(low, high, 6):
        body.append(f'<text x="{x(v):.1f}" y="{base + 13}" text-anchor="middle" fill="#555">{v:g}</text>')
    body.append(f'<text x="{width / 2:.0f}" y="{height - 3}" text-anchor="middle" fill="#555">'
                f"outcome; shaded: 5–95% ({p5:.1f}–{p95:.1f})</text>")
    return _svg(width, height, body, title)


def bars(items: Sequence[tuple[str, float]], title: str, width: int = 760) -> Markup:
    """Horizontal bars for signed effects (leverage): labels on the left, bars from a centre line."""
    row_h, label_right = 22, 340
    mid = label_right + (width - label_right) / 2
    height = 30 + row_h * len(items) + 20
    biggest = max((abs(v) for _, v in items), default=1.0) or 1.0
    scale = (mid - label_right - 45) / biggest
    body = [f'<rect width="{width}" height="{height}" fill="#fff"/>',
            f'<line x1="{mid}" x2="{mid}" y1="20" y2="{height - 20}" stroke="#999"/>']
    for i, (label, value) in enumerate(items):
        cy = 32 + row_h * i
        w = max(abs(value) * scale, 1.0)
        xpos = mid if value >= 0 else mid - w
        colour = "#2a9d3f" if value >= 0 else "#c0392b"
        number_x = mid + w + 4 if value >= 0 else mid - w - 4
        anchor = "start" if value >= 0 else "end"
        body.append(f'<text x="{label_right}" y="{cy + 4}" text-anchor="end">'
                    f"{escape(_short(label, 58))}<title>{escape(label)}</title></text>"
                    f'<rect x="{xpos:.1f}" y="{cy - 7}" width="{w:.1f}" height="14" '
                    f'fill="{colour}"/><text x="{number_x:.1f}" y="{cy + 4}" '
                    f'text-anchor="{anchor}" fill="#333">{value:+.1f}</text>')
    body.append(f'<text x="{mid}" y="{height - 4}" text-anchor="middle" fill="#555">'
                f"change in the forecast (scale units)</text>")
    return _svg(width, height, body, title)


def utility_paths(utility: np.ndarray, reservation: np.ndarray, aspiration: np.ndarray,
                  parties: Sequence[str], present: np.ndarray, title: str, width: int = 760,
                  height: int = 260) -> Markup:
    """Each party's utility of the text per round (solid, hollow markers while away from the
    table), what it holds out for (dotted) and its reservation value (dashed)."""
    t = utility.shape[0]
    x = Axis(0, max(1, t - 1), 50, width - 130)
    y = Axis(0.0, 1.0, height - 35, 20)
    body = [f'<rect width="{width}" height="{height}" fill="#fff"/>',
            f'<line x1="50" x2="{width - 130}" y1="{height - 35}" y2="{height - 35}" stroke="#999"/>',
            f'<line x1="50" x2="50" y1="20" y2="{height - 35}" stroke="#999"/>']
    for v in (0, 0.25, 0.5, 0.75, 1):
        body.append(f'<text x="44" y="{y(v) + 4:.1f}" text-anchor="end" fill="#555">{v:g}</text>')
    for r in range(t):
        body.append(f'<text x="{x(r):.1f}" y="{height - 20}" text-anchor="middle" fill="#555">'
                    f"{r + 1}</text>")
    body.append(f'<text x="{(width - 80) / 2:.0f}" y="{height - 4}" text-anchor="middle" '
                f'fill="#555">round; dotted: what the party holds out for; dashed: no deal</text>')
    for i, name in enumerate(parties):
        colour = MODEL_COLOURS[i % len(MODEL_COLOURS)]
        points = " ".join(f"{x(r):.1f},{y(utility[r, i]):.1f}" for r in range(t))
        body.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2.5">'
                    f"<title>{escape(name)}</title></polyline>")
        held = " ".join(f"{x(r):.1f},{y(aspiration[r, i]):.1f}" for r in range(t))
        body.append(f'<polyline points="{held}" fill="none" stroke="{colour}" stroke-width="1.5" '
                    f'stroke-dasharray="2 3"><title>{escape(name)}: holds out for</title></polyline>')
        body.append(f'<line x1="50" x2="{width - 130}" y1="{y(reservation[i]):.1f}" '
                    f'y2="{y(reservation[i]):.1f}" stroke="{colour}" stroke-dasharray="5 4"/>')
        for r in range(t):
            fill = colour if present[r, i] else "#fff"
            body.append(f'<circle cx="{x(r):.1f}" cy="{y(utility[r, i]):.1f}" r="4" fill="{fill}" '
                        f'stroke="{colour}"/>')
        body.append(f'<text x="{width - 124}" y="{y(utility[-1, i]) + 4:.1f}" fill="{colour}">'
                    f"{escape(_short(name, 18))}</text>")
    return _svg(width, height, body, title)
