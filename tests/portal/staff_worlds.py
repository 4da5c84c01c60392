"""Builders of the staff-portal tests' worlds: sections, discretion standards and workflows like the demo's."""
from __future__ import annotations

import datetime
import json
from pathlib import Path

from portal.models import CategoryIndexPage, DiscretionStandardPage, Scope, WorkflowPage

DEMO = Path(__file__).resolve().parents[2] / "demo" / "data"
ROW_FIELDS = ("violation", "legal_basis", "penalty_basis", "level", "standard", "conditions")


def section(home, code: str, title: str | None = None) -> CategoryIndexPage:
    """Return the published section ``code`` under ``home`` (made if missing)."""
    existing = CategoryIndexPage.objects.child_of(home).filter(section=code).first()
    if existing:
        return existing
    page = CategoryIndexPage(title=title or CategoryIndexPage.Section(code).label, slug=code, section=code)
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def demo_discretion() -> dict:
    """Return the demo discretion standard (demo/data/discretion.json): title, doc number, 19 rows."""
    return json.loads((DEMO / "discretion.json").read_text(encoding="utf-8"))


def demo_workflow() -> dict:
    return json.loads((DEMO / "workflow.json").read_text(encoding="utf-8"))


def publish_discretion(parent, department, *, title=None, scope=Scope.SHARED, rows=None, doc_number=None,
                       slug=None, **fields) -> DiscretionStandardPage:
    """Publish a discretion standard with the demo's rows (or ``rows``: dicts of ROW_FIELDS)."""
    data = demo_discretion()
    page = DiscretionStandardPage(
        title=title or data["title"], department=department, scope=scope,
        doc_number=data["doc_number"] if doc_number is None else doc_number,
        formed_date=fields.pop("formed_date", datetime.date(2025, 6, 10)), **fields)
    if slug:
        page.slug = slug
    page.rows = [{"type": "row", "value": {k: r.get(k, "") for k in ROW_FIELDS}} for r in (rows or data["rows"])]
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def publish_workflow(parent, department, *, title=None, scope=Scope.SHARED, steps=None, **fields) -> WorkflowPage:
    """Publish a workflow; ``steps`` are dicts (name, department, time_limit_days, basis, materials),
    by default the demo's ten steps, all of ``department``."""
    data = demo_workflow()
    if steps is None:
        steps = [{"name": s["name"], "department": department, "time_limit_days": s.get("time_limit_days"),
                  "basis": s.get("basis", ""), "materials": s.get("materials", "")} for s in data["steps"]]
    page = WorkflowPage(title=title or data["title"], department=department, scope=scope,
                        formed_date=fields.pop("formed_date", datetime.date(2025, 8, 4)), **fields)
    page.steps = [{"type": "step", "value": {
        "name": s["name"], "department": s["department"].pk if s.get("department") else None,
        "time_limit_days": s.get("time_limit_days"), "basis": s.get("basis", ""),
        "materials": s.get("materials", "")}} for s in steps]
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page
