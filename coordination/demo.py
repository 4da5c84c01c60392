"""Demo records of 区编办 and 区政府法制办's door, in 周村区: two disputes and one accountability case.

``load_coordination_demo(report, departments)`` is called by ``demo.loader.load_demo`` after the departments
(with their liaisons, ``demo/data/departments.json``) and the working systems' demo records exist. Every
record goes through the same functions the screens call, acting as the liaisons of the departments
concerned; each is looked up by its title first, so a second run changes nothing. Parties are named
neutrally (某…): the demo states no fact about 周村区 beyond the directive.
"""
from __future__ import annotations

import datetime

from cooperation.models import CaseTransfer
from coordination import accountability, disputes
from coordination.models import AccountabilityCase, Dispute

D = datetime.date
DUTIES_TITLE = "露天焚烧垃圾的日常巡查职责分工"
JURISDICTION_TITLE = "某农贸市场外无照摆摊经营的查处管辖"
CASE_TRANSFER_TITLE = "某餐饮店无证经营"


def _liaison(department):
    return department.liaisons.order_by("pk").first()


def _duty_split(departments) -> None:
    """二（一）: an unclear duty split, consulted, referred, and jointly settled by 区编办 and 区政府法制办."""
    bureau, env = departments["ZHZF"], departments["HBFJ"]
    bb, fzb = departments["BB"], departments["FZB"]
    d = disputes.raise_dispute(
        _liaison(bureau), department=bureau, parties=[env], kind=Dispute.Kind.DUTIES, title=DUTIES_TITLE,
        facts="双方对该事项按照《周村区综合行政执法部门与相关行政管理部门监督管理职责分工办法》由谁负责日常巡查"
              "发现理解不一（演示数据）。", on=D(2026, 10, 19))
    disputes.record_consultation(d, _liaison(bureau), department=bureau, date=D(2026, 10, 20),
                                 note="函商环保分局，建议由环保分局负责巡查发现、执法局负责处罚。", today=D(2026, 10, 20))
    disputes.record_consultation(d, _liaison(env), department=env, date=D(2026, 10, 22),
                                 note="复函认为巡查发现应由执法局派驻中队负责，未达成一致。", today=D(2026, 10, 22))
    disputes.refer(d, _liaison(env), reason="两次函商未达成一致。", on=D(2026, 10, 23))
    disputes.record_opinion(d, _liaison(bb), coordinator=bb, competent_department=env, on=D(2026, 10, 28),
                            text="相关行政管理部门依法履行违法行为事前事中巡查发现等职责（二（一）），由环保分局负责巡查发现。")
    disputes.record_opinion(d, _liaison(fzb), coordinator=fzb, competent_department=env, on=D(2026, 10, 29),
                            text="同意区编办意见；发现违法行为后按照案件移送制度移送执法局处罚。")


def _jurisdiction(departments) -> None:
    """二（四）3 案件移送的其他情形③: consulted, not determined, both proposals reported to the 区政府."""
    bureau, aic = departments["ZHZF"], departments["SJJ"]
    bb, fzb = departments["BB"], departments["FZB"]
    d = disputes.raise_dispute(
        _liaison(aic), department=aic, parties=[bureau], kind=Dispute.Kind.JURISDICTION, title=JURISDICTION_TITLE,
        facts="群众举报某农贸市场外有人无照摆摊经营。工商局认为属占道经营，应由执法局查处；执法局认为属无照经营，"
              "应由工商局查处。", on=D(2026, 11, 2))
    disputes.record_consultation(d, _liaison(aic), department=aic, date=D(2026, 11, 3),
                                 note="与执法局召开协调会，未达成一致。", today=D(2026, 11, 3))
    disputes.record_consultation(d, _liaison(bureau), department=bureau, date=D(2026, 11, 3),
                                 note="参加协调会，坚持由工商局查处的意见。", today=D(2026, 11, 3))
    disputes.refer(d, _liaison(bureau), reason="协调会后双方仍坚持各自意见。", on=D(2026, 11, 4))
    disputes.record_opinion(d, _liaison(bb), coordinator=bb, competent_department=bureau, on=D(2026, 11, 9),
                            text="占道经营行为的处罚已划转综合行政执法部门，由执法局管辖。")
    disputes.record_opinion(d, _liaison(fzb), coordinator=fzb, competent_department=None, on=D(2026, 11, 10),
                            text="该行为同时涉及无照经营和占道经营，现有材料无法认定。")
    disputes.record_opinion(d, _liaison(bb), coordinator=bb, competent_department=bureau, on=D(2026, 11, 12),
                            text="建议由执法局查处占道经营行为，查处中发现无照经营的移送工商局。")
    disputes.record_opinion(d, _liaison(fzb), coordinator=fzb, competent_department=bureau, on=D(2026, 11, 12),
                            text="同意区编办的处理意见，报区政府作出决定。")


def _case(departments) -> bool:
    """二（四）7: an open case for a transfer not sent within 2 working days, registered by 区编办."""
    transfer = CaseTransfer.objects.filter(title=CASE_TRANSFER_TITLE).first()
    if transfer is None or transfer.transfer_due is None or transfer.sent_date:
        return False
    bb = departments["BB"]
    accountability.register(
        _liaison(bb), source=AccountabilityCase.Source.TRANSFER_OVERDUE, department=transfer.from_department,
        title=f"案件移送逾期未移送：{transfer.title}（{transfer.number}）", source_key=f"transfer-send:{transfer.pk}",
        facts=f"{transfer.discovered_date:%Y-%m-%d}发现，应于{transfer.transfer_due:%Y-%m-%d}前移送（二（四）3："
              f"2个工作日内移送），登记时仍在审批中。", on=D(2026, 12, 1))
    return True


def load_coordination_demo(report, departments) -> None:
    """Create the demo disputes and the accountability case that are missing (needs BB, FZB and their liaisons)."""
    needed = ("ZHZF", "HBFJ", "SJJ", "BB", "FZB")
    if not all(code in departments and _liaison(departments[code]) for code in needed):
        return
    if not Dispute.objects.filter(title=DUTIES_TITLE).exists():
        _duty_split(departments)
        report.add("争议协调")
    if not Dispute.objects.filter(title=JURISDICTION_TITLE).exists():
        _jurisdiction(departments)
        report.add("争议协调")
    if not AccountabilityCase.objects.filter(source=AccountabilityCase.Source.TRANSFER_OVERDUE).exists() \
            and _case(departments):
        report.add("责任追究")
