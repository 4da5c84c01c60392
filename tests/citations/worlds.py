"""Builders of the citation tests' worlds: real texts (the demo's 城市市容和环境卫生管理条例, the directive)
published as laws and 公文, an internal rule, decisions."""
from __future__ import annotations

import datetime
from pathlib import Path

from lib.lawtext import parse_document
from portal.models import PenaltyDecisionPage, RegulationPage, Scope

ROOT = Path(__file__).resolve().parents[2]
SHIRONG = (ROOT / "demo" / "data" / "laws" / "城市市容和环境卫生管理条例(2017-03-01).md").read_text(encoding="utf-8")
DIRECTIVE = (ROOT / "tests" / "fixtures" / "zhouzhengban-2018-18.txt").read_text(encoding="utf-8")
INTERNAL_LAW = ("# 测试区市容执法内部规定\n\n第一条 为规范本局内部执法，制定本规定。\n\n"
                "第二条 占道堆放物料的，先行劝导。\n对拒不改正的，依法查处。")
# A discretion row without its 法律依据 and 处罚依据.
ROW = {"violation": "擅自在街道两侧堆放物料", "level": "一般", "standard": "处50元以上200元以下罚款", "conditions": ""}


def publish_law(laws, department, text, scope=Scope.PUBLIC, title=None, **fields) -> RegulationPage:
    """Publish a text (law or 公文, its title line included) under ``laws``."""
    page = RegulationPage(title=title or parse_document(text).title, department=department, scope=scope,
                          formed_date=datetime.date(2026, 3, 2), **fields)
    page.set_text(text)
    laws.add_child(instance=page)
    page.save_revision().publish()
    return page


def publish_decision(parent, department, title, scope=Scope.PUBLIC, **fields) -> PenaltyDecisionPage:
    """Publish a penalty decision of an organisation unless ``fields`` say otherwise."""
    values = {"party_kind": "organisation", "party_name": "测试商贸有限公司"} | fields
    decision = PenaltyDecisionPage(title=title, department=department, scope=scope,
                                   formed_date=datetime.date(2026, 3, 5), **values)
    parent.add_child(instance=decision)
    decision.save_revision().publish()
    decision.refresh_from_db()  # its slug became penalty-<索引号>: a URL names no party
    return decision
