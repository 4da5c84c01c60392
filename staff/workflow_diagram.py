"""The workflow viewer: an enforcement workflow's steps drawn as a server-side SVG flow chart.

``workflow_steps(page)`` reads a ``WorkflowPage`` into plain ``Step`` rows;
``diagram_svg(title, steps)`` lays them out top to bottom in one swim lane per
responsible department (a step's box sits in its department's lane, arrows turn
where the work changes hands), each box saying the step's name, its department
and its time limit in working days. No JavaScript: the SVG is inlined in the page,
scales with its container, and is an accessible image (``role="img"`` with a
``<title>`` and a ``<desc>`` reading the steps out); the page lists the same steps
as text beneath it. ``step_deadlines()`` tells, for a chosen start date, when each
step with a limit is due on the Chinese working-day calendar.
"""
from __future__ import annotations

import datetime
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from html import escape

from lib.workdays import CalendarOutOfRange, add_working_days, estimate_note, estimated
from portal.models.metadata import archived_q
from portal.models.regulations import WorkflowPage
from portal.walls.access import visible_q

FONT_STACK = "PingFang SC, Hiragino Sans GB, Microsoft YaHei, Noto Sans CJK SC, Source Han Sans SC, sans-serif"
NAME_SIZE = 15
TEXT_SIZE = 13
LINE = 19
MARGIN = 16
LANE_HEADER = 46
LANE_WIDTH_SINGLE = 520
LANE_WIDTH = 280
BOX_INSET = 14
BOX_PAD = 12
GAP = 34  # between boxes: room for the arrow
TERMINAL_HEIGHT = 30
# Each colour reaches 4.5:1 or more against white (WCAG 2.1 AA for text and graphics).
INK = "#1a1a1a"
MUTED = "#4e5b6e"
BLUE = "#1f4e9a"
LANE_FILLS = ["#f3f6fa", "#ffffff"]
BOX_FILL = "#eef4fb"
NO_LIMIT = "未规定（按法定期限或视情况）"
NO_DEPARTMENT = "未指定责任部门"
NO_LINE_START = set("，。、；：？！）》」』】〕”’%)],.;:?!")
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass
class Step:
    """One step of a workflow as the viewer shows it."""

    number: int
    name: str
    department: str  # the department's full name, or "" when none is named
    days: int | None  # the time limit in working days, None when the step has none
    basis: str = ""
    materials: str = ""

    @property
    def limit_label(self) -> str:
        return f"{self.days} 个工作日" if self.days is not None else NO_LIMIT


def workflow_steps(page) -> list[Step]:
    """Return the steps of a WorkflowPage in order (a deleted department reads as none)."""
    steps = []
    for number, block in enumerate(page.steps, start=1):
        value = block.value
        department = value.get("department")
        steps.append(Step(number=number, name=str(value.get("name") or f"第{number}环节"),
                          department=str(department) if department else "",
                          days=value.get("time_limit_days"), basis=value.get("basis") or "",
                          materials=value.get("materials") or ""))
    return steps


def visible_workflows(user, include_archived: bool = False):
    """Return the live workflows ``user`` may see, by title; abolished ones only when asked for."""

    qs = WorkflowPage.objects.live().filter(visible_q(user)).select_related("department").order_by("title", "pk")
    return qs if include_archived else qs.exclude(archived_q())


def total_days(steps: list[Step]) -> int:
    """Return the working days of the steps that have a limit, added up."""
    return sum(step.days or 0 for step in steps)


def step_deadlines(steps: list[Step], start: datetime.date) -> tuple[list[datetime.date | None], str]:
    """Return, per step, the day it is due when it begins on ``start`` (None without a limit), and a notice.

    The notice is "" unless a due day is 预计 (counted past the known holiday arrangements: the
    notice says how) or cannot be counted at all (before 2004: that step gets None).
    """
    dues: list[datetime.date | None] = []
    notice = ""
    for step in steps:
        if step.days is None:
            dues.append(None)
            continue
        try:
            due = add_working_days(start, step.days)
        except CalendarOutOfRange as exc:
            dues.append(None)
            notice = str(exc)
            continue
        dues.append(due)
        if estimated(due) and not notice:
            notice = estimate_note(due)
    return dues, notice


# --- drawing ---------------------------------------------------------------------------------------

def _text(value) -> str:
    """Return the value as text safe inside an XML element or a double-quoted attribute."""
    return escape(_XML_FORBIDDEN.sub("", str(value)), quote=True)


def text_width(text: str, size: float) -> float:
    """Return the approximate rendered width of text: CJK characters are square, Latin ones narrower."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else size * 0.6 for ch in text)


def wrap(text: str, width: float, size: float, max_lines: int = 3) -> list[str]:
    """Return ``text`` broken into lines no wider than ``width`` (the last one cut with … when too many).

    Chinese line breaking: closing punctuation never begins a line.
    """
    lines, line = [], ""
    for ch in " ".join(str(text).split()):
        if line and text_width(line + ch, size) > width and ch not in NO_LINE_START:
            lines.append(line)
            line = ""
        line += ch
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and text_width(last + "…", size) > width:
            last = last[:-1]
        lines = lines[: max_lines - 1] + [last + "…"]
    return lines or [""]


def _lanes(steps: list[Step]) -> list[str]:
    return list(dict.fromkeys(step.department or NO_DEPARTMENT for step in steps))


def diagram_description(title: str, steps: list[Step]) -> str:
    """Return the diagram read out as text (the SVG's <desc>)."""
    if not steps:
        return f"{title}尚未填写流程环节。"
    parts = [f"{s.number}. {s.name}（责任部门：{s.department or NO_DEPARTMENT}；时限：{s.limit_label}）" for s in steps]
    return f"{title}，共 {len(steps)} 个环节，自上而下依次为：" + "；".join(parts) + "。"


def diagram_svg(title: str, steps: list[Step]) -> str:
    """Return one self-contained, well-formed ``<svg>`` flow chart of the steps (the caller marks it safe)."""
    lanes = _lanes(steps) or [NO_DEPARTMENT]
    lane_width = LANE_WIDTH_SINGLE if len(lanes) == 1 else LANE_WIDTH
    width = MARGIN * 2 + lane_width * len(lanes)
    inner = lane_width - 2 * BOX_INSET - 2 * BOX_PAD
    diagram_id = "flow-" + hashlib.sha1(repr((title, [vars(s) for s in steps])).encode()).hexdigest()[:8]

    def lane_x(department: str) -> float:
        return MARGIN + lanes.index(department or NO_DEPARTMENT) * lane_width

    body: list[str] = []
    y = MARGIN + LANE_HEADER + 14
    centres: list[tuple[float, float, float]] = []  # (centre x, top, bottom) of each node, in order

    def terminal(label: str, lane: str, top: float) -> float:
        cx = lane_x(lane) + lane_width / 2
        w = 76
        body.append(f'<g class="terminal"><rect x="{cx - w / 2:.1f}" y="{top:.1f}" width="{w}" '
                    f'height="{TERMINAL_HEIGHT}" rx="15" fill="#ffffff" stroke="{BLUE}" stroke-width="1.5"/>'
                    f'<text x="{cx:.1f}" y="{top + 20:.1f}" text-anchor="middle" fill="{BLUE}" '
                    f'font-weight="bold">{_text(label)}</text></g>')
        centres.append((cx, top, top + TERMINAL_HEIGHT))
        return top + TERMINAL_HEIGHT

    first_lane = steps[0].department if steps else NO_DEPARTMENT
    y = terminal("开始", first_lane, y) + GAP
    for step in steps:
        x = lane_x(step.department) + BOX_INSET
        name_lines = wrap(f"{step.number}. {step.name}", inner, NAME_SIZE)
        dept_lines = wrap(f"责任部门：{step.department or NO_DEPARTMENT}", inner, TEXT_SIZE, max_lines=2)
        limit_lines = wrap(f"时限：{step.limit_label}", inner, TEXT_SIZE, max_lines=2)
        height = BOX_PAD * 2 + LINE * (len(name_lines) + len(dept_lines) + len(limit_lines)) + 4
        box_width = lane_width - 2 * BOX_INSET
        dashed = ' stroke-dasharray="6 4"' if step.days is None else ""
        body.append(f'<g class="step" id="{diagram_id}-step-{step.number}">')
        body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{box_width:.1f}" height="{height:.1f}" rx="6" '
                    f'fill="{BOX_FILL}" stroke="{BLUE}" stroke-width="1.5"{dashed}/>')
        ty = y + BOX_PAD + 14
        for line in name_lines:
            body.append(f'<text x="{x + BOX_PAD:.1f}" y="{ty:.1f}" font-size="{NAME_SIZE}" '
                        f'font-weight="bold">{_text(line)}</text>')
            ty += LINE
        ty += 4
        for line in dept_lines:
            body.append(f'<text x="{x + BOX_PAD:.1f}" y="{ty:.1f}" fill="{MUTED}">{_text(line)}</text>')
            ty += LINE
        for line in limit_lines:
            weight = ' font-weight="bold"' if step.days is not None else ""
            body.append(f'<text x="{x + BOX_PAD:.1f}" y="{ty:.1f}"{weight}>{_text(line)}</text>')
            ty += LINE
        body.append("</g>")
        centres.append((x + box_width / 2, y, y + height))
        y += height + GAP
    last_lane = steps[-1].department if steps else NO_DEPARTMENT
    y = terminal("结束", last_lane, y)
    height = y + MARGIN + (LINE + 8 if steps else 0)

    arrows = []
    for (x1, _, bottom), (x2, top, _) in zip(centres, centres[1:], strict=False):
        if abs(x1 - x2) < 0.5:
            d = f"M{x1:.1f},{bottom:.1f} V{top - 2:.1f}"
        else:  # the work changes hands: down, across to the next department's lane, down
            mid = bottom + GAP / 2
            d = f"M{x1:.1f},{bottom:.1f} V{mid:.1f} H{x2:.1f} V{top - 2:.1f}"
        arrows.append(f'<path d="{d}" fill="none" stroke="{INK}" stroke-width="1.5" '
                      f'marker-end="url(#{diagram_id}-arrow)"/>')

    lanes_svg = []
    for i, lane in enumerate(lanes):
        lx = MARGIN + i * lane_width
        lanes_svg.append(f'<rect x="{lx:.1f}" y="{MARGIN}" width="{lane_width}" height="{height - 2 * MARGIN:.1f}" '
                         f'fill="{LANE_FILLS[i % 2]}" stroke="#c4ccd6"/>')
        header = wrap(lane, lane_width - 16, TEXT_SIZE, max_lines=2)
        for j, line in enumerate(header):
            lanes_svg.append(f'<text x="{lx + lane_width / 2:.1f}" y="{MARGIN + 20 + j * 17:.1f}" '
                             f'text-anchor="middle" font-weight="bold" fill="{MUTED}">{_text(line)}</text>')
        lanes_svg.append(f'<line x1="{lx:.1f}" y1="{MARGIN + LANE_HEADER}" x2="{lx + lane_width:.1f}" '
                         f'y2="{MARGIN + LANE_HEADER}" stroke="#c4ccd6"/>')

    footer = []
    if steps:
        footer.append(f'<text x="{MARGIN}" y="{height - MARGIN + 2:.1f}" fill="{MUTED}">'
                      f'{_text(f"共 {len(steps)} 个环节；已规定时限的环节合计 {total_days(steps)} 个工作日")}</text>')

    title_text = f"{title}流程图"
    return "\n".join([
        f'<svg xmlns="http://www.w3.org/2000/svg" class="workflow-diagram" role="img" '
        f'width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'style="width:100%;max-width:{width:.0f}px;min-width:{min(width, 420):.0f}px;height:auto" '
        f'aria-labelledby="{diagram_id}-title {diagram_id}-desc" '
        f'font-family="{FONT_STACK}" font-size="{TEXT_SIZE}" fill="{INK}">',
        f'<title id="{diagram_id}-title">{_text(title_text)}</title>',
        f'<desc id="{diagram_id}-desc">{_text(diagram_description(title, steps))}</desc>',
        f'<defs><marker id="{diagram_id}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" '
        f'markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{INK}"/></marker></defs>',
        f'<rect width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>',
        *lanes_svg,
        *arrows,
        *body,
        *footer,
        "</svg>",
    ])
