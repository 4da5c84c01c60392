"""django-simple-history of non-page models (departments): readable changes and revert.

Pages keep their history as Wagtail revisions; snippets and plain models keep it with
django-simple-history. Here a historical record becomes a list of readable changes, and
reverting saves the record's values (many-to-many included) as a new change, so the revert
itself is history too.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import get_m2m_reverse_field_name

HISTORY_TYPES = {"+": "创建", "~": "修改", "-": "删除"}


@dataclass
class FieldChange:
    """One field's value before and after a historical change, as display text."""

    label: str
    old: str
    new: str


def _display(model, field_name: str, value) -> str:
    field = model._meta.get_field(field_name)
    if value is None or value == "":
        return "（空）"
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "是" if value else "否"
    if field.is_relation and not field.many_to_many:
        obj = field.related_model._default_manager.filter(pk=value).first()
        return str(obj) if obj else f"（已删除：{value}）"
    return str(value)


def _m2m_display(model, field_name: str, rows: list[dict]) -> str:
    field = model._meta.get_field(field_name)
    target = get_m2m_reverse_field_name(field)
    ids = [row[target] for row in rows]
    objects = field.related_model._default_manager.in_bulk(ids)

    def name(pk) -> str:
        obj = objects.get(pk)
        if obj is None:
            return f"（已删除：{pk}）"
        return obj.get_full_name() if hasattr(obj, "get_full_name") else str(obj)

    return "、".join(name(pk) for pk in ids) or "（空）"


def record_changes(record) -> list[FieldChange]:
    """Return what changed in this historical record compared with the one before it."""
    model = record.instance_type
    previous = record.prev_record
    if previous is None:
        return []
    delta = record.diff_against(previous)
    changes = []
    for change in delta.changes:
        field = model._meta.get_field(change.field)
        if field.many_to_many:
            old, new = _m2m_display(model, change.field, change.old), _m2m_display(model, change.field, change.new)
        else:
            old, new = _display(model, change.field, change.old), _display(model, change.field, change.new)
        changes.append(FieldChange(str(field.verbose_name), old, new))
    return changes


def revert_to(record, user=None):
    """Return the object saved with the values of ``record`` (a historical record).

    Raises ValidationError (Chinese messages) when those values no longer fit, e.g. a
    name that another department has taken since.
    """
    instance = record.instance  # excluded fields (sort_order) keep their current value
    instance._change_reason = f"恢复到{timezone.localtime(record.history_date):%Y-%m-%d %H:%M}的版本"
    if user is not None and user.is_authenticated:
        instance._history_user = user
    # A historical instance looks new to Django, which would then call its own pk a duplicate.
    instance._state.adding = not type(instance)._default_manager.filter(pk=instance.pk).exists()
    instance.full_clean(validate_unique=True)
    with transaction.atomic():
        instance.save()
        for field in record._history_m2m_fields:
            target = get_m2m_reverse_field_name(field)
            ids = list(getattr(record, field.name).values_list(f"{target}_id", flat=True))
            getattr(instance, field.name).set(ids)
    return instance


__all__ = ["HISTORY_TYPES", "FieldChange", "ValidationError", "record_changes", "revert_to"]
