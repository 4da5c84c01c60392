"""Chinese character diff for Wagtail's own revision compare view.

Wagtail's ``wagtail.admin.compare.diff_text`` tokenises text into runs of ``isalnum()``
characters. Every Chinese character is alphanumeric, so a clause up to the next
punctuation mark is one token: one changed character shows the whole clause (or the whole
paragraph) deleted and re-added, and paragraph breaks vanish in the HTML.

Why a patch and not ``register_comparison_class``: that registry only maps *model fields*
to comparison classes. Text inside StreamField blocks (our 条/款 live in ArticleBlock's
TextBlock) is compared by classes chosen in ``get_comparison_class_for_block``, which asks
the block class itself (``block.get_comparison_class()``) and otherwise hard-codes
CharBlockComparison & co.; every one of them, like TextFieldComparison and
RichTextFieldComparison, ends in the module-level ``diff_text``. Replacing that one function
(``install()``, called from ArchiveConfig.ready) changes every text diff of every page type
and snippet at once, and keeps Wagtail's output format (``<span class="deletion|addition">``).
"""
from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import mark_safe
from wagtail.admin import compare as wagtail_compare

from lib.diff import DELETE, INSERT, diff_with_info

_CHANGE_TYPES = {DELETE: "deletion", INSERT: "addition"}


class ChineseTextDiff(wagtail_compare.TextDiff):
    """Wagtail's TextDiff, keeping paragraph breaks and telling when the diff was coarse."""

    def __init__(self, changes, separator="", notice=""):
        super().__init__(changes, separator)
        self.notice = notice

    def to_html(self, tag="span", addition_class="addition", deletion_class="deletion"):
        classes = {"addition": addition_class, "deletion": deletion_class}
        html = []
        for change_type, value in self.changes:
            if change_type == "equal":
                html.append(escape(value).replace("\n", "<br>"))
                continue
            css = classes[change_type]
            for i, line in enumerate(value.split("\n")):
                if i:  # a changed paragraph break: shown as ↵, and kept as a break on the new side
                    html.append(f'<{tag} class="{css}">↵</{tag}>')
                    if change_type == "addition":
                        html.append("<br>")
                if line:
                    html.append(f'<{tag} class="{css}">{escape(line)}</{tag}>')
        if self.notice:
            html.append(f'<span class="diff-notice">（{escape(self.notice)}）</span>')
        return mark_safe(self.separator.join(html))  # noqa: S308 - every value is escaped above


def chinese_diff_text(a, b) -> ChineseTextDiff:
    """Return a TextDiff of two texts made by lib.diff (characters, semantic cleanup)."""
    result = diff_with_info("" if a is None else str(a), "" if b is None else str(b))
    changes: list[tuple[str, str]] = []
    for kind, text in result.ops:
        change_type = _CHANGE_TYPES.get(kind, "equal")
        if changes and changes[-1][0] == change_type:
            changes[-1] = (change_type, changes[-1][1] + text)
        else:
            changes.append((change_type, text))
    return ChineseTextDiff(changes, notice=result.notice)


_original_diff_text = wagtail_compare.diff_text


def install() -> None:
    """Make Wagtail's compare view use chinese_diff_text (idempotent)."""
    wagtail_compare.diff_text = chinese_diff_text


def uninstall() -> None:
    """Restore Wagtail's own diff_text (for tests comparing the two)."""
    wagtail_compare.diff_text = _original_diff_text
