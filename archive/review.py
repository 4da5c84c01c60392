"""修改前后对照: two versions of a regulation as rows of a side-by-side table.

Shared by the public 修订对照 page and the admin review screen; both only render the rows.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.utils.safestring import SafeString, mark_safe

from archive.versions import regulation_text
from lib.align import STATUS_LABELS, LawComparison, compare_laws
from lib.diff import EQUAL, render_ops_html
from lib.lawtext import LawTextError

RENUMBERED_LABEL = "条号变更"
RENUMBERED_DIVISION_LABEL = "章节号变更"


@dataclass
class ComparisonRow:
    """One row of the table: the old and the new side, with Chinese status labels."""

    status: str  # "unchanged" | "modified" | "inserted" | "deleted" | "moved"
    labels: list[str]
    old_label: str
    new_label: str
    old_html: SafeString
    new_html: SafeString

    @property
    def changed(self) -> bool:
        return self.labels != [STATUS_LABELS["unchanged"]]


@dataclass
class Review:
    """The comparison of two versions as table rows, or the reason there is none."""

    article_rows: list[ComparisonRow] = field(default_factory=list)
    division_rows: list[ComparisonRow] = field(default_factory=list)  # changed 编/章/节 only
    title_row: ComparisonRow | None = None
    preamble_row: ComparisonRow | None = None
    error: str = ""

    def summary(self) -> list[tuple[str, int]]:
        """Return (label, number of articles) for every label that occurs, e.g. [("修改", 3), …]."""
        counts = Counter(label for row in self.article_rows for label in row.labels)
        order = [STATUS_LABELS[s] for s in ("modified", "inserted", "deleted", "moved")] + [
            RENUMBERED_LABEL, STATUS_LABELS["unchanged"]]
        return [(label, counts[label]) for label in order if counts[label]]

    @property
    def has_changes(self) -> bool:
        return bool(self.title_row or self.preamble_row or self.division_rows
                    or any(row.changed for row in self.article_rows))


def _labels(status: str, renumbered: bool, ops) -> list[str]:
    labels = [STATUS_LABELS[status]]
    if status == "moved" and any(kind != EQUAL for kind, _ in ops):
        labels.append(STATUS_LABELS["modified"])
    if renumbered and status != "unchanged":
        labels.append(RENUMBERED_LABEL)
    elif renumbered:
        labels = [RENUMBERED_LABEL]
    return labels


def _row(pair, old_label: str, new_label: str) -> ComparisonRow:
    return ComparisonRow(
        status=pair.status,
        labels=_labels(pair.status, pair.renumbered, pair.ops),
        old_label=old_label,
        new_label=new_label,
        old_html=mark_safe(render_ops_html(pair.ops, "old")) if pair.old is not None else mark_safe(""),  # noqa: S308
        new_html=mark_safe(render_ops_html(pair.ops, "new")) if pair.new is not None else mark_safe(""),  # noqa: S308
    )


def _text_row(ops, label: str) -> ComparisonRow | None:
    if all(kind == EQUAL for kind, _ in ops):
        return None
    return ComparisonRow("modified", [STATUS_LABELS["modified"]], label, label,
                         mark_safe(render_ops_html(ops, "old")), mark_safe(render_ops_html(ops, "new")))  # noqa: S308


def _division_changed(pair) -> bool:
    # align_divisions calls a chapter "modified" when any of its articles changed; the
    # article rows show those, so a division row is only for the heading itself.
    title_changed = any(kind != EQUAL for kind, _ in pair.ops)
    return pair.status in ("inserted", "deleted", "moved") or pair.renumbered or title_changed


def _division_row(pair) -> ComparisonRow:
    row = _row(pair, pair.old.label if pair.old else "", pair.new.label if pair.new else "")
    title_changed = any(kind != EQUAL for kind, _ in pair.ops)
    if pair.status == "modified" and not title_changed:
        row.labels = [RENUMBERED_DIVISION_LABEL] if pair.renumbered else []
    else:
        row.labels = [RENUMBERED_DIVISION_LABEL if label == RENUMBERED_LABEL else label for label in row.labels]
    return row


def review_from_comparison(comparison: LawComparison) -> Review:
    """Return the table rows of a LawComparison."""
    return Review(
        article_rows=[_row(p, p.old.label if p.old else "", p.new.label if p.new else "") for p in comparison.articles],
        division_rows=[_division_row(p) for p in comparison.divisions if _division_changed(p)],
        title_row=_text_row(comparison.title_ops, "标题"),
        preamble_row=_text_row(comparison.preamble_ops, "序言"),
    )


def review_versions(old_page, new_page) -> Review:
    """Return the 修改前后对照 of two versions (page objects, e.g. ``revision.as_object()``)."""
    try:
        comparison = compare_laws(regulation_text(old_page), regulation_text(new_page))
    except LawTextError as error:
        return Review(error=f"无法按条文比较：{error}")
    return review_from_comparison(comparison)
