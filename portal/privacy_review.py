"""保密审查: before a 公开 item goes to review or is published, its editor confirms how personal data is masked.

政府信息公开 asks that what is made public be checked for 国家秘密、商业秘密和个人隐私. The portal
masks personal data on every public channel (``lib.masking.mask_for_public``); this check shows
the editor, at the moment of submitting or publishing, what the public will read where personal
data was found — and refuses to go on until the editor ticks ``confirm_personal_data`` or narrows
the 共享范围. Saving a draft is never held up, and staff views keep the full text.
"""
from __future__ import annotations

import re

from django import forms
from django.utils.html import strip_tags

from lib.masking import personal_data_found
from portal.walls.access import Scope

CONFIRM_FIELD = "confirm_personal_data"
CONFIRM_LABEL = "已确认公开文本中的个人信息已按规定遮蔽"
CONFIRM_HELP = "共享范围为“公开”的信息提交审核或发布前须进行保密审查：文中含有个人信息时，请核对遮蔽效果后勾选。"
# The buttons of Wagtail's page editor that send an item towards the public.
REVIEWED_ACTIONS = ("action-publish", "action-submit", "action-restart-workflow")
PREVIEW_CHARS = 80


def confirm_field() -> forms.BooleanField:
    """Return the checkbox the editor ticks once the masked preview is checked."""
    return forms.BooleanField(label=CONFIRM_LABEL, required=False, help_text=CONFIRM_HELP)


def goes_public(form) -> bool:
    """Return True if the posted form submits or publishes an item the public will read (scope 公开)."""
    if not form.is_bound or not any(form.data.get(action) for action in REVIEWED_ACTIONS):
        return False
    return getattr(form.instance, "scope", Scope.PUBLIC) == Scope.PUBLIC


def _label(page, key: str) -> str:
    try:
        return str(page._meta.get_field(key).verbose_name)
    except Exception:  # noqa: BLE001 - a text that is no model field keeps its key
        return key


def _excerpt(masked: str) -> str:
    """Return the stretch of a masked text around its first masked character, as plain text."""
    text = re.sub(r"\s+", " ", strip_tags(masked)).strip()
    first = min([i for i in (text.find("*"), text.find("某")) if i >= 0] or [0])
    start = max(0, first - PREVIEW_CHARS // 2)
    return ("…" if start else "") + text[start:start + PREVIEW_CHARS] + ("…" if start + PREVIEW_CHARS < len(text) else "")


def masked_preview(page) -> list[tuple[str, str]]:
    """Return (field label, excerpt as the public will read it) for each text of ``page`` with personal data."""
    seen, preview = set(), []
    for key, masked in personal_data_found(page):
        label = _label(page, key)
        if label not in seen:
            seen.add(label)
            preview.append((label, _excerpt(masked)))
    return preview


def review_error(form) -> str:
    """Return the Chinese validation error of the 保密审查 for a posted page form, or "" if it passes."""
    if not goes_public(form) or form.cleaned_data.get(CONFIRM_FIELD):
        return ""
    preview = masked_preview(form.instance)
    if not preview:
        return ""
    found = "；".join(f"{label}：“{excerpt}”" for label, excerpt in preview)
    return (f"保密审查：该信息将公开，文中含有个人信息，公开时将显示为——{found}。"
            f"请核对遮蔽效果后勾选“{CONFIRM_LABEL}”，或将共享范围改为非公开后再提交。")


def check(form) -> None:
    """Add the 保密审查's error to a page form after its instance was built from the posted data."""
    error = review_error(form)
    if error:
        form.add_error(CONFIRM_FIELD if CONFIRM_FIELD in form.fields else None, error)
