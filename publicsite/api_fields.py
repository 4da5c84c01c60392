"""Fields of the pages API (/api/v2/) that are computed rather than stored.

``SharingDeadlineField`` gives a shared record's 应共享日期 (``lib.workdays.sharing_deadline`` of
its 信息形成日期) with whether it is 预计: counted on days for which no official holiday arrangement
is known yet. In the API it reads::

    "sharing_deadline": {"date": "2027-01-04", "estimated": true, "label": "预计",
                         "note": "预计：2027年节假日安排尚未导入，……"}

``estimated`` is false and ``label``/``note`` empty for an exact date; the whole value is null when
the date cannot be counted at all (信息形成日期 before 2004).
"""
from rest_framework import serializers

from lib.workdays import CalendarOutOfRange, estimate_note, estimated, sharing_deadline

ESTIMATED_LABEL = "预计"


def sharing_deadline_value(formed) -> dict | None:
    """Return the API value of the 应共享日期 of a record formed on ``formed`` (None when it cannot be counted)."""
    if formed is None:
        return None
    try:
        due = sharing_deadline(formed)
    except CalendarOutOfRange:
        return None
    guessed = estimated(due)
    return {"date": due.isoformat(), "estimated": guessed, "label": ESTIMATED_LABEL if guessed else "",
            "note": estimate_note(due) if guessed else ""}


class SharingDeadlineField(serializers.Field):
    """Read-only: the record's 应共享日期, counted from its ``formed_date``."""

    def __init__(self, **kwargs):
        super().__init__(source="formed_date", read_only=True, **kwargs)

    def to_representation(self, value):
        return sharing_deadline_value(value)
