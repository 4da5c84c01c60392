"""State machines as tables: which action may leave which status, and where it leads.

Each working system declares its ``Machine``: a list of ``Transition`` rows. The
functions that change records ask ``machine.check(action, status)`` first, and
everything they refuse is a ``TransitionError`` whose message is Chinese and
meant for the user. Refusals are raised before anything is written, and the
functions run in a transaction on a freshly locked row, so a refused transition
changes nothing, neither in the database nor on the caller's object.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models


class TransitionError(Exception):
    """A change the directive's rules or the actor's role forbid; ``str(error)`` is the Chinese reason."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Transition:
    """One row of a machine: ``action`` (its Chinese ``label``) may leave ``sources``; it leads to ``target``.

    ``target`` None means the action keeps the status (adding a material, asking for more).
    """

    action: str
    label: str
    sources: frozenset[str]
    target: str | None = None


def transition(action: str, label: str, sources: Iterable[str], target: str | None = None) -> Transition:
    return Transition(action, label, frozenset(str(s) for s in sources), str(target) if target else None)


class Machine:
    """The allowed transitions of one kind of record, with the Chinese names of its statuses."""

    def __init__(self, statuses: type[models.TextChoices], transitions: Iterable[Transition]):
        self.statuses = statuses
        self.transitions = {t.action: t for t in transitions}

    def __getitem__(self, action: str) -> Transition:
        return self.transitions[action]

    def status_label(self, status: str) -> str:
        try:
            return self.statuses(status).label
        except ValueError:
            return status

    def allows(self, action: str, status: str) -> bool:
        return status in self.transitions[action].sources

    def check(self, action: str, status: str) -> Transition:
        """Return the transition of ``action`` from ``status``; raise TransitionError when it is not allowed there."""
        t = self.transitions[action]
        if status not in t.sources:
            raise TransitionError(f"当前状态为“{self.status_label(status)}”，不能{t.label}。")
        return t

    def table(self) -> list[tuple[str, list[str], str]]:
        """Return (action label, source status labels, target status label) rows, for documentation and tests."""
        return [
            (t.label, sorted(self.status_label(s) for s in t.sources), self.status_label(t.target) if t.target else "")
            for t in self.transitions.values()
        ]


def require(condition: bool, message: str) -> None:
    """Raise TransitionError(message) unless ``condition`` holds."""
    if not condition:
        raise TransitionError(message)


def require_text(value: str | None, message: str) -> str:
    """Return ``value`` stripped; raise TransitionError(message) when it is empty or only whitespace."""
    value = (value or "").strip()
    require(bool(value), message)
    return value


def lock(obj):
    """Return a fresh copy of ``obj`` read from the database with a row lock (inside the caller's transaction)."""
    return type(obj).objects.select_for_update().get(pk=obj.pk)


def refresh(obj, fresh) -> None:
    """Copy the fields of ``fresh`` (the updated, saved row) onto the caller's ``obj``."""
    for field in fresh._meta.concrete_fields:
        setattr(obj, field.attname, getattr(fresh, field.attname))
    # Cached relations may point at the old rows.
    obj._state.fields_cache = {}
