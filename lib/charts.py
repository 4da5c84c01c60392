"""Server-side SVG charts of statistics tables: bar, line and pie, without any JavaScript.

Every function returns one self-contained ``<svg>`` element as a string, ready
to be inlined in a page (the caller marks it safe). The output is well-formed
XML: all text is escaped and characters XML forbids are dropped. Each chart is
an accessible image (``role="img"`` labelled by its ``<title>`` and
``<desc>``, the desc reading out the data), prints every value on its bar,
point or slice legend entry, and has a legend, so nothing depends on colour
alone. The page shows the same data as a table under the chart.
"""
from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections.abc import Sequence
from html import escape

Number = int | float

FONT_STACK = (
    "PingFang SC, Hiragino Sans GB, Microsoft YaHei, Noto Sans CJK SC, "
    "Source Han Sans SC, WenQuanYi Micro Hei, sans-serif"
)
# Every colour has a contrast ratio of at least 4.5:1 against white, so
# white text on a slice and the bars themselves on the white ground pass
# WCAG 2.1 AA (1.4.3 for text, 1.4.11 for graphics).
PALETTE = ["#1f4e9a", "#b3261e", "#2e6b30", "#8a4b00", "#6a1b9a", "#00695c", "#4e5b6e", "#ad1457"]
TEXT = "#1a1a1a"
MUTED = "#595959"  # 7:1 on white
GRID = "#d0d0d0"

WIDTH = 640
PIE_WIDTH = 440
# Narrowest a chart is drawn (wider than that on a phone, its wrapper scrolls instead):
# below it the text of a 640-wide chart would shrink under 9px.
MIN_WIDTH = {WIDTH: 480, PIE_WIDTH: 320}
PLOT_HEIGHT = 240
FONT_SIZE = 13
TITLE_SIZE = 16

_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


# --- text helpers ---------------------------------------------------------

def _text(value) -> str:
    """Return the value as text safe inside an XML element or a double-quoted attribute."""
    return escape(_XML_FORBIDDEN.sub("", str(value)), quote=True)


def format_number(value: Number) -> str:
    """Return a number as printed on a chart: integers plain, fractions with at most two decimals."""
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def parse_number(cell) -> float | None:
    """Return the number a table cell holds, or None when it holds none.

    Accepts full-width digits, thousands separators and a trailing % sign
    (１２３、1,234、12.5%); anything else (text, dates, empty cells) is not a number.
    """
    if cell is None:
        return None
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return float(cell) if math.isfinite(cell) else None
    text = unicodedata.normalize("NFKC", str(cell)).strip().replace(",", "").replace(" ", "")
    text = text.removesuffix("%")
    if not _NUMBER.match(text):
        return None
    return float(text)


def _text_width(text: str, size: float) -> float:
    """Return the approximate rendered width of a label: CJK characters are square, Latin ones narrower."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else size * 0.6 for ch in text)


LABEL_MAX_WIDTH = FONT_SIZE * 9


def _truncate(text: str, max_width: float) -> str:
    """Return the text shortened with an ellipsis to about max_width pixels."""
    if _text_width(text, FONT_SIZE) <= max_width:
        return text
    shown = ""
    for ch in text:
        if _text_width(shown + ch + "…", FONT_SIZE) > max_width:
            break
        shown += ch
    return shown + "…"


def _chart_id(*parts) -> str:
    """Return an id prefix that is stable for the same chart and distinct for different ones."""
    digest = hashlib.sha1(repr(parts).encode("utf-8")).hexdigest()[:8]
    return f"chart-{digest}"


NO_LINE_START = set("，。、；：？！）》」』】〕”’%)],.;:?!")


def _title_lines(title: str, width: float, max_lines: int = 3) -> list[str]:
    """Return the visible title broken into lines that fit the chart's width (the last one shortened if need be)."""
    title = title or "统计图表"
    room = width - 40
    # Lines of even length: a long title breaks in the middle, not before its last two characters.
    count = math.ceil(_text_width(title, TITLE_SIZE) / room)
    target = min(room, _text_width(title, TITLE_SIZE) / count + TITLE_SIZE)
    lines, line = [], ""
    for ch in title:
        # Chinese line breaking: closing punctuation never starts a line.
        if line and _text_width(line + ch, TITLE_SIZE) > target and ch not in NO_LINE_START:
            lines.append(line)
            line = ""
        line += ch
    lines.append(line)
    if len(lines) > max_lines:
        lines = lines[: max_lines - 1] + [_truncate("".join(lines[max_lines - 1:]), room * FONT_SIZE / TITLE_SIZE)]
    return lines


def _title_height(lines: list[str]) -> float:
    """Return the y below the visible title."""
    return 32 + 21 * (len(lines) - 1)


def _open_svg(chart_id: str, width: float, height: float, title: str, desc: str) -> list[str]:
    title = title or "统计图表"
    heading = "".join(
        f'<tspan x="{width / 2:.1f}" dy="{0 if i == 0 else 21}">{_text(line)}</tspan>'
        for i, line in enumerate(_title_lines(title, width))
    )
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" '
        # Scales down with its container, but no narrower than MIN_WIDTH.
        f'style="width:100%;max-width:{width:.0f}px;min-width:{MIN_WIDTH.get(width, width):.0f}px;height:auto" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-family="{FONT_STACK}" font-size="{FONT_SIZE}" fill="{TEXT}">',
        f'<title id="{chart_id}-title">{_text(title)}</title>',
        f'<desc id="{chart_id}-desc">{_text(desc)}</desc>',
        f'<rect width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>',
        f'<text x="{width / 2:.1f}" y="24" text-anchor="middle" font-size="{TITLE_SIZE}" '
        f'font-weight="bold" aria-hidden="true">{heading}</text>',
    ]


def _empty_chart(title: str) -> str:
    chart_id = _chart_id("empty", title)
    parts = _open_svg(chart_id, WIDTH, 120, title, "暂无可绘制的数据。")
    parts.append(f'<text x="{WIDTH / 2}" y="72" text-anchor="middle" fill="{MUTED}">暂无可绘制的数据</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def _series_desc(kind: str, labels: Sequence[str], series: dict[str, Sequence[Number | None]]) -> str:
    """Return the spoken description of a bar or line chart: its kind and every value."""
    sentences = [f"{kind}，横轴为{'、'.join(map(str, labels))}。"]
    for name, values in series.items():
        points = [f"{label} {format_number(v)}" for label, v in zip(labels, values, strict=False) if v is not None]
        sentences.append(f"{name}：{'，'.join(points) or '无数据'}。")
    return "".join(sentences)


# --- legend -------------------------------------------------------------

def _legend(entries: list[tuple[str, str, str]], x0: float, y0: float, max_width: float) -> tuple[list[str], float]:
    """Return (SVG parts, height used) of a legend laid out in rows; entries are (colour, marker, text)."""
    parts = ['<g class="legend">']
    x, y, row_height = x0, y0, FONT_SIZE + 10
    for colour, marker, label in entries:
        item_width = 22 + _text_width(label, FONT_SIZE) + 18
        if x > x0 and x + item_width > x0 + max_width:
            x, y = x0, y + row_height
        parts.append(_marker(marker, x + 7, y + 7, colour, 6))
        parts.append(f'<text x="{x + 20:.1f}" y="{y + 12:.1f}">{_text(label)}</text>')
        x += item_width
    parts.append("</g>")
    return parts, (y - y0) + row_height


def _marker(shape: str, cx: float, cy: float, colour: str, r: float) -> str:
    """Return a marker shape; line series get distinct shapes so they differ without colour."""
    if shape == "circle":
        return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r * 0.8:.1f}" fill="{colour}"/>'
    if shape == "triangle":
        return (f'<path d="M{cx:.1f},{cy - r:.1f} L{cx + r:.1f},{cy + r * 0.8:.1f} '
                f'L{cx - r:.1f},{cy + r * 0.8:.1f} Z" fill="{colour}"/>')
    if shape == "diamond":
        return (f'<path d="M{cx:.1f},{cy - r:.1f} L{cx + r:.1f},{cy:.1f} L{cx:.1f},{cy + r:.1f} '
                f'L{cx - r:.1f},{cy:.1f} Z" fill="{colour}"/>')
    # square (also the swatch of bars and slices)
    return f'<rect x="{cx - r:.1f}" y="{cy - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}" fill="{colour}"/>'


LINE_MARKERS = ["circle", "square", "triangle", "diamond"]


# --- axes -----------------------------------------------------------------

def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Return round tick values (steps of 1, 2, 2.5 or 5 × 10ⁿ) covering [low, high], zero included."""
    low, high = min(low, 0.0), max(high, 0.0)
    if high == low:
        high = low + 1
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    ticks, value = [], start
    while value < high - step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    ticks.append(round(value, 10))
    return ticks


class _Frame:
    """The plot area of a bar or line chart: a value axis and one band per label."""

    def __init__(self, labels: Sequence[str], values: list[float], top: float):
        self.labels = [str(label) for label in labels]
        low, high = min(values, default=0.0), max(values, default=0.0)
        # Headroom beyond the extreme values for the numbers printed there.
        pad = (max(high, 0) - min(low, 0)) * 0.08
        self.ticks = nice_ticks(low - pad if low < 0 else low, high + pad if high > 0 else high)
        tick_width = max(_text_width(format_number(t), FONT_SIZE) for t in self.ticks)
        self.left = 16 + tick_width
        self.right = WIDTH - 16
        self.top = top
        self.bottom = top + PLOT_HEIGHT
        self.band = (self.right - self.left) / max(len(self.labels), 1)
        self.shown = self.labels
        self.rotate = max((_text_width(label, FONT_SIZE) for label in self.labels), default=0) > self.band - 4
        if self.rotate:
            # Labels that do not fit their band are shortened and turned so they don't
            # overlap; the full text is in the tooltip, the description and the table.
            self.shown = [_truncate(label, LABEL_MAX_WIDTH) for label in self.labels]
            widest = max(_text_width(label, FONT_SIZE) for label in self.shown)
            # The first label reaches left of its band by cos(35°) of its width.
            reach = widest * 0.82 + 8
            if reach > self.left + self.band / 2:
                self.left = reach - self.band / 2
                self.band = (self.right - self.left) / len(self.labels)
                self.left = max(self.left, reach - self.band / 2)
                self.band = (self.right - self.left) / len(self.labels)
            self.label_height = widest * 0.58 + FONT_SIZE + 8
        else:
            self.label_height = FONT_SIZE + 12

    def y(self, value: float) -> float:
        low, high = self.ticks[0], self.ticks[-1]
        return self.bottom - (value - low) / (high - low) * (self.bottom - self.top)

    def band_centre(self, index: int) -> float:
        return self.left + self.band * (index + 0.5)

    def draw(self) -> list[str]:
        parts = ['<g class="axes">']
        for tick in self.ticks:
            y = self.y(tick)
            parts.append(f'<line x1="{self.left:.1f}" y1="{y:.1f}" x2="{self.right:.1f}" y2="{y:.1f}" '
                         f'stroke="{GRID if tick else MUTED}" stroke-width="1"/>')
            parts.append(f'<text x="{self.left - 6:.1f}" y="{y + 4:.1f}" text-anchor="end" '
                         f'fill="{MUTED}">{_text(format_number(tick))}</text>')
        for index, (label, shown) in enumerate(zip(self.labels, self.shown, strict=True)):
            x = self.band_centre(index)
            y = self.bottom + FONT_SIZE + 6
            if self.rotate:
                tooltip = f"<title>{_text(label)}</title>" if shown != label else ""
                parts.append(f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="end" '
                             f'transform="rotate(-35 {x:.1f} {y:.1f})">{tooltip}{_text(shown)}</text>')
            else:
                parts.append(f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="middle">{_text(label)}</text>')
        parts.append("</g>")
        return parts


def _clean_series(labels, series) -> dict[str, list[float | None]]:
    """Return the series with every value a float or None, each as long as the labels."""
    cleaned = {}
    for name, values in series.items():
        values = [parse_number(v) for v in values][: len(labels)]
        cleaned[str(name)] = values + [None] * (len(labels) - len(values))
    return cleaned


def _axis_chart(kind: str, labels, series, title: str, draw_series) -> str:
    labels = [str(label) for label in labels]
    series = _clean_series(labels, series)
    values = [v for vs in series.values() for v in vs if v is not None]
    if not labels or not values:
        return _empty_chart(title)
    kind_name = "柱状图" if kind == "bar" else "折线图"
    chart_id = _chart_id(kind, title, labels, series)
    frame = _Frame(labels, values, top=_title_height(_title_lines(title, WIDTH)) + 24)
    entries = [
        (PALETTE[i % len(PALETTE)], "square" if kind == "bar" else LINE_MARKERS[i % len(LINE_MARKERS)], name)
        for i, name in enumerate(series)
    ]
    legend_top = frame.bottom + frame.label_height + 8
    legend, legend_height = _legend(entries, frame.left, legend_top, frame.right - frame.left)
    height = legend_top + legend_height + 8
    parts = _open_svg(chart_id, WIDTH, height, title, _series_desc(kind_name, labels, series))
    parts += frame.draw()
    parts += draw_series(frame, series)
    parts += legend
    parts.append("</svg>")
    return "\n".join(parts)


# --- the three charts -------------------------------------------------------

def bar_chart_svg(labels: Sequence[str], series: dict[str, Sequence[Number | None]], title: str) -> str:
    """Return a grouped bar chart as an SVG string: one group per label, one bar per series, values printed."""

    def draw(frame: _Frame, series):
        parts = []
        count = len(series)
        group = frame.band * 0.8
        bar = group / count
        value_size = max(9, min(FONT_SIZE - 1, bar * 0.45))
        zero = frame.y(0)
        for s, (name, values) in enumerate(series.items()):
            colour = PALETTE[s % len(PALETTE)]
            parts.append(f'<g class="series" fill="{colour}">')
            for i, value in enumerate(values):
                if value is None:
                    continue
                x = frame.left + frame.band * i + (frame.band - group) / 2 + bar * s
                y = frame.y(value)
                top, h = min(y, zero), abs(zero - y)
                parts.append(f'<rect x="{x + 1:.1f}" y="{top:.1f}" width="{max(bar - 2, 1):.1f}" '
                             f'height="{h:.1f}"><title>{_text(frame.labels[i])} {_text(name)}：'
                             f'{format_number(value)}</title></rect>')
                shown = format_number(value)
                cx = x + bar / 2
                if _text_width(shown, value_size) <= bar:
                    text_y = top - 4 if value >= 0 else top + h + value_size + 2
                    parts.append(f'<text x="{cx:.1f}" y="{text_y:.1f}" text-anchor="middle" '
                                 f'font-size="{value_size:.0f}" fill="{TEXT}">{shown}</text>')
                else:
                    # Too narrow a bar for the number: it stands upright on the bar's end.
                    text_y = top - 3 if value >= 0 else top + h + 3
                    anchor = "start" if value >= 0 else "end"
                    tx = cx + value_size * 0.35
                    parts.append(f'<text x="{tx:.1f}" y="{text_y:.1f}" text-anchor="{anchor}" '
                                 f'transform="rotate(-90 {tx:.1f} {text_y:.1f})" '
                                 f'font-size="{value_size:.0f}" fill="{TEXT}">{shown}</text>')
            parts.append("</g>")
        return parts

    return _axis_chart("bar", labels, series, title, draw)


def line_chart_svg(labels: Sequence[str], series: dict[str, Sequence[Number | None]], title: str) -> str:
    """Return a line chart as an SVG string: one line per series with marked, labelled points; gaps where a value is missing."""

    def draw(frame: _Frame, series):
        parts = []
        columns = list(series.values())
        highest = [
            max((k for k in range(len(columns)) if columns[k][i] is not None),
                key=lambda k: (columns[k][i], -k), default=None)
            for i in range(len(frame.labels))
        ]
        for s, values in enumerate(columns):
            colour = PALETTE[s % len(PALETTE)]
            marker = LINE_MARKERS[s % len(LINE_MARKERS)]
            parts.append('<g class="series">')
            segment: list[str] = []
            segments = []
            for i, value in enumerate(values):
                if value is None:
                    if segment:
                        segments.append(segment)
                    segment = []
                    continue
                segment.append(f"{frame.band_centre(i):.1f},{frame.y(value):.1f}")
            if segment:
                segments.append(segment)
            for points in segments:
                if len(points) > 1:
                    parts.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" '
                                 f'stroke-width="2.5" stroke-linejoin="round"/>')
            for i, value in enumerate(values):
                if value is None:
                    continue
                x, y = frame.band_centre(i), frame.y(value)
                parts.append(_marker(marker, x, y, colour, 5))
                # The highest point at a label sits above its marker, the others below,
                # so the labels of two crossing lines don't cover each other.
                dy = -9 if s == highest[i] or y + 18 > frame.bottom - 2 else 18
                parts.append(f'<text x="{x:.1f}" y="{y + dy:.1f}" text-anchor="middle" '
                             f'font-size="{FONT_SIZE - 1}">{format_number(value)}</text>')
            parts.append("</g>")
        return parts

    return _axis_chart("line", labels, series, title, draw)


def pie_percentages(values: Sequence[float], decimals: int = 1) -> list[float]:
    """Return each value's share in percent, rounded so that the printed shares add up to exactly 100.

    Largest-remainder rounding: 1/3, 1/3, 1/3 → 33.4, 33.3, 33.3 rather than
    three times 33.3 (99.9).
    """
    total = sum(values)
    if total <= 0:
        return [0.0 for _ in values]
    unit = 10 ** decimals
    exact = [v / total * 100 * unit for v in values]
    floors = [math.floor(e) for e in exact]
    missing = 100 * unit - sum(floors)
    by_remainder = sorted(range(len(values)), key=lambda i: exact[i] - floors[i], reverse=True)
    for i in by_remainder[:missing]:
        floors[i] += 1
    return [f / unit for f in floors]


def pie_chart_svg(labels: Sequence[str], values: Sequence[Number | None], title: str) -> str:
    """Return a pie chart as an SVG string; slices that are missing, zero or negative are left out.

    Shares are printed on slices big enough to hold them and, with the value,
    in the legend for every slice.
    """
    pairs = [(str(label), parse_number(value)) for label, value in zip(labels, values, strict=False)]
    pairs = [(label, value) for label, value in pairs if value is not None and value > 0]
    if not pairs:
        return _empty_chart(title)
    shares = pie_percentages([value for _, value in pairs])
    chart_id = _chart_id("pie", title, pairs)
    entries = [
        (PALETTE[i % len(PALETTE)], "square", f"{label}：{format_number(value)}（{share:.1f}%）")
        for i, ((label, value), share) in enumerate(zip(pairs, shares, strict=True))
    ]
    # Pie above, legend below: one column that stays legible on a phone.
    radius = 120
    cx, cy = PIE_WIDTH / 2, _title_height(_title_lines(title, PIE_WIDTH)) + 12 + radius
    legend, legend_height = _legend_column(entries, 24, cy + radius + 20, PIE_WIDTH - 36)
    height = cy + radius + 20 + legend_height + 8
    desc = "饼图。" + "；".join(text for _, _, text in entries) + "。"
    parts = _open_svg(chart_id, PIE_WIDTH, height, title, desc)
    parts.append('<g class="slices" stroke="#ffffff" stroke-width="1.5">')
    total = sum(value for _, value in pairs)
    angle = -math.pi / 2  # start at twelve o'clock, go clockwise
    for i, ((label, value), share) in enumerate(zip(pairs, shares, strict=True)):
        colour = PALETTE[i % len(PALETTE)]
        sweep = value / total * 2 * math.pi
        tooltip = f"<title>{_text(label)}：{format_number(value)}（{share:.1f}%）</title>"
        if len(pairs) == 1:
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="{radius}" fill="{colour}">{tooltip}</circle>')
        else:
            x1, y1 = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
            x2, y2 = cx + radius * math.cos(angle + sweep), cy + radius * math.sin(angle + sweep)
            large = 1 if sweep > math.pi else 0
            parts.append(f'<path d="M{cx},{cy} L{x1:.2f},{y1:.2f} A{radius},{radius} 0 {large} 1 '
                         f'{x2:.2f},{y2:.2f} Z" fill="{colour}">{tooltip}</path>')
        if sweep >= 0.35:  # about 20°: enough room for "12.5%"
            mid = angle + sweep / 2
            tx, ty = cx + radius * 0.62 * math.cos(mid), cy + radius * 0.62 * math.sin(mid)
            parts.append(f'<text x="{tx:.1f}" y="{ty + 4:.1f}" text-anchor="middle" fill="#ffffff" '
                         f'stroke="none" font-weight="bold">{share:.1f}%</text>')
        angle += sweep
    parts.append("</g>")
    parts += legend
    parts.append("</svg>")
    return "\n".join(parts)


def _legend_column(entries, x0: float, y0: float, max_width: float) -> tuple[list[str], float]:
    """Return (SVG parts, height used) of a legend with one entry per line."""
    parts = ['<g class="legend">']
    row_height = FONT_SIZE + 10
    for row, (colour, marker, label) in enumerate(entries):
        y = y0 + row * row_height
        shown = _truncate(label, max_width - 20)
        tooltip = f"<title>{_text(label)}</title>" if shown != label else ""
        parts.append(_marker(marker, x0 + 7, y + 7, colour, 6))
        parts.append(f'<text x="{x0 + 20:.1f}" y="{y + 12:.1f}">{tooltip}{_text(shown)}</text>')
    parts.append("</g>")
    return parts, len(entries) * row_height


# --- from a statistics table -----------------------------------------------

def table_series(rows: Sequence[Sequence]) -> tuple[list[str], dict[str, list[float | None]]]:
    """Return (labels, series) of a table whose first row is the header and first column the labels.

    A column becomes a series when at least one of its data cells is a number;
    cells that are not numbers become gaps. Rows without a label are skipped.
    """
    if not rows or len(rows) < 2:
        return [], {}
    header = [("" if cell is None else str(cell)).strip() for cell in rows[0]]
    data = [row for row in rows[1:] if row and str(row[0] if row[0] is not None else "").strip()]
    labels = [str(row[0]).strip() for row in data]
    series: dict[str, list[float | None]] = {}
    width = max(len(header), *(len(row) for row in data)) if data else len(header)
    for col in range(1, width):
        values = [parse_number(row[col]) if col < len(row) else None for row in data]
        if any(v is not None for v in values):
            name = header[col] if col < len(header) and header[col] else f"第{col}列"
            while name in series:  # two columns with the same heading stay two series
                name += "′"
            series[name] = values
    return labels, series


def chart_for_table(rows: Sequence[Sequence], kind: str, title: str = "") -> str:
    """Return the chart of a statistics table as an SVG string, or "" when the table has no numbers.

    ``kind`` is bar, line or pie (anything else draws bars); a pie charts the
    first numeric column.
    """
    labels, series = table_series(rows)
    if not labels or not series:
        return ""
    if kind == "pie":
        name, values = next(iter(series.items()))
        return pie_chart_svg(labels, values, f"{title}（{name}）" if title else name)
    if kind == "line":
        return line_chart_svg(labels, series, title)
    return bar_chart_svg(labels, series, title)
