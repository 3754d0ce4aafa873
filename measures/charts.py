"""Geometry of the server-rendered SVG charts (templates/measures/_chart_*.html draw it).

No script runs in the browser: the view computes every bar and cell here, the template
writes them as SVG elements, and the same figures appear as an HTML table beside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Colours that stay apart in grey print and for common colour blindness (Okabe-Ito).
SERIES_COLOURS = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00")


@dataclass
class Segment:
    label: str
    value: int
    y: float
    height: float
    colour: str
    url: str


@dataclass
class Bar:
    label: str
    total: int
    x: float
    width: float
    segments: list[Segment] = field(default_factory=list)
    url: str = ""


@dataclass
class Tick:
    value: int
    y: float


@dataclass
class StackedBars:
    width: int
    height: int
    plot_top: int
    plot_bottom: int
    plot_left: int
    bars: list[Bar]
    ticks: list[Tick]
    legend: list[tuple[str, str]]  # (colour, label)

    @property
    def baseline(self) -> int:
        return self.plot_bottom


def nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 2.5, 5 × 10^k at or above value (an axis maximum)."""
    if value <= 0:
        return 1
    magnitude = 1
    while magnitude * 10 <= value:
        magnitude *= 10
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            return int(step * magnitude)
    return 10 * magnitude


def tick_step(axis_max: int) -> int:
    """The smallest of 1, 2, 5 × 10^k that gives at most six ticks above zero."""
    magnitude = 1
    while True:
        for step in (1, 2, 5):
            if axis_max / (step * magnitude) <= 6:
                return step * magnitude
        magnitude *= 10


def stacked_bars(
    columns: list[tuple[str, str]],
    series: list[tuple[str, dict[str, int], dict[str, str]]],
    *,
    width: int = 720,
    height: int = 300,
) -> StackedBars:
    """Bars per column (label, total url), stacked by series (label, values, urls)."""
    top, bottom, left, right = 16, height - 40, 56, 8
    totals = {key: sum(values.get(key, 0) for _l, values, _u in series) for key, _url in columns}
    axis_max = nice_ceiling(max(totals.values(), default=0))
    scale = (bottom - top) / axis_max
    slot = (width - left - right) / max(len(columns), 1)
    bars = []
    for i, (key, url) in enumerate(columns):
        bar = Bar(
            key, totals[key], round(left + i * slot + slot * 0.15, 1), round(slot * 0.7, 1), url=url
        )
        y = float(bottom)
        for j, (label, values, urls) in enumerate(series):
            value = values.get(key, 0)
            if value:
                h = value * scale
                y -= h
                colour = SERIES_COLOURS[j % len(SERIES_COLOURS)]
                bar.segments.append(
                    Segment(label, value, round(y, 1), round(h, 1), colour, urls.get(key, url))
                )
        bars.append(bar)
    step = tick_step(axis_max)
    ticks = [Tick(v, round(bottom - v * scale, 1)) for v in range(0, axis_max + 1, step)]
    legend = [(SERIES_COLOURS[j % len(SERIES_COLOURS)], label) for j, (label, _v, _u) in enumerate(series)]  # fmt: skip
    return StackedBars(width, height, top, bottom, left, bars, ticks, legend)


@dataclass
class Cell:
    x: float
    y: float
    value: int
    shade: str
    dark: bool  # white text on it
    url: str


@dataclass
class HeatRow:
    label: str
    lang: str
    y: float
    cells: list[Cell]


@dataclass
class Heatmap:
    width: int
    height: int
    left: int
    top: int
    cell_width: float
    cell_height: float
    columns: list[tuple[str, float]]  # (label, centre x)
    rows: list[HeatRow]


def heatmap(
    columns: list[str],
    rows: list[tuple[str, str, dict[str, int], dict[str, str]]],
    *,
    label_width: int = 300,
    cell_width: int = 52,
    cell_height: int = 24,
) -> Heatmap:
    """Cells of a matrix shaded by their value; rows are (label, lang, values, urls)."""
    top = 24
    peak = max((v for _l, _g, values, _u in rows for v in values.values()), default=0) or 1
    out = []
    for i, (label, lang, values, urls) in enumerate(rows):
        y = top + i * cell_height
        cells = []
        for j, column in enumerate(columns):
            value = values.get(column, 0)
            # Lightness from 96 % (none) to 28 % (the largest cell), on a square-root
            # scale so that small counts stay visible beside one large one.
            strength = (value / peak) ** 0.5 if value else 0.0
            lightness = 96 - 68 * strength
            shade = f"hsl(205 70% {lightness:.0f}%)"
            cells.append(Cell(label_width + j * cell_width, y, value, shade, lightness < 55, urls.get(column, "")))  # fmt: skip
        out.append(HeatRow(label, lang, y, cells))
    return Heatmap(
        width=label_width + cell_width * len(columns) + 4,
        height=top + cell_height * len(rows) + 4,
        left=label_width,
        top=top,
        cell_width=cell_width,
        cell_height=cell_height,
        columns=[
            (c, round(label_width + j * cell_width + cell_width / 2, 1))
            for j, c in enumerate(columns)
        ],
        rows=out,
    )


@dataclass
class HBar:
    label: str
    lang: str
    value: int
    y: float
    width: float
    url: str


@dataclass
class HBars:
    width: int
    height: int
    left: int
    bar_height: int
    bars: list[HBar]


def horizontal_bars(
    items: list[tuple[str, str, int, str]], *, width: int = 460, label_width: int = 170
) -> HBars:
    """One bar per item (label, lang, value, url), longest first as given."""
    bar_height, gap = 18, 6
    peak = max((v for _l, _g, v, _u in items), default=0) or 1
    room = width - label_width - 60
    bars = [
        HBar(
            label,
            lang,
            value,
            4 + i * (bar_height + gap),
            round(max(room * value / peak, 1), 1),
            url,
        )
        for i, (label, lang, value, url) in enumerate(items)
    ]
    return HBars(width, 8 + len(items) * (bar_height + gap), label_width, bar_height, bars)
