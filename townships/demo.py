"""Demo records of 镇（街道）综合执法: the 镇（街道） of 周村区, two joint actions and two stationed squadrons.

``load_townships_demo(report, departments)`` is called by one line of ``demo.loader.load_demo`` after the
departments exist. Names: the 街道 (城北路、丝绸路、青年路、大街) and 镇 (北郊、南郊、王村、萌水) are the ones
``demo/data/records.json`` ``_sources`` confirms (https://m.tuniu.com/g1742333/tradition, the 周村区 article of
Wikipedia); 周村经济开发区管委会 is named by the directive itself. Their organs are called as the directive calls
them (“各镇政府、街道办事处，周村经济开发区管委会”). That source lists a fifth 街道 (“永安街”) whose exact name it
leaves unclear; it is left out. Squadron names are built from the directive's words (区综合行政执法局派驻执法中队),
not from a source; places, people and findings are placeholders (某路、某工业园). Every record is made through
``townships.rules`` and looked up first, so a second run changes nothing.
"""
from __future__ import annotations

import datetime

from demo.users import ensure_user
from portal import roles
from portal.models import Department
from townships import rules
from townships.models import JointAction, StationedSquadron, Township

SOURCE = "https://m.tuniu.com/g1742333/tradition；https://zh.wikipedia-on-ipfs.org/wiki/%E5%91%A8%E6%9D%91%E5%8C%BA"
DIRECTIVE = "周政办字〔2018〕18号 主送"
T, S, Z = Township.Kind.TOWN, Township.Kind.SUBDISTRICT, Township.Kind.DEVELOPMENT_ZONE

# (code of its organ on the portal, name, kind, source). Organ: 镇 → “…镇政府”, 街道 → “…街道办事处”.
TOWNSHIPS = [
    ("CBLJD", "城北路街道", S, SOURCE),
    ("SCLJD", "丝绸路街道", S, SOURCE),
    ("QNLJD", "青年路街道", S, SOURCE),
    ("DJJD", "大街街道", S, SOURCE),
    ("BJZ", "北郊镇", T, SOURCE),
    ("NJZ", "南郊镇", T, SOURCE),
    ("WCZ", "王村镇", T, SOURCE),
    ("MSZ", "萌水镇", T, SOURCE),
    ("KFQ", "周村经济开发区", Z, DIRECTIVE),
]

# The office staff of two townships (fictitious people), who organise the demo's joint actions.
STAFF = [("wangcun_zhb", "韩立新", "WCZ"), ("qingnian_zhb", "纪晓彤", "QNLJD")]


def organ_name(name: str, kind: str) -> str:
    """Return the organ's name in the directive's words: 镇政府, 街道办事处, 管委会."""
    return {T: f"{name}政府", S: f"{name}办事处", Z: f"{name}管委会"}[kind]


def _ensure_townships(report) -> dict[str, Township]:
    townships = {}
    for order, (code, name, kind, source) in enumerate(TOWNSHIPS):
        township = Township.objects.filter(name=name).first()
        if township is None:
            department = Department.objects.filter(code=code).first()
            if department is None:
                department = Department.objects.create(
                    code=code, name=organ_name(name, kind), short_name=name, is_member=False, is_bureau=False,
                    sort_order=200 + order)
                report.add("部门")
            township = Township.objects.create(name=name, kind=kind, organ_name=organ_name(name, kind),
                                               department=department, source=source, sort_order=order)
            report.add("镇（街道）")
        townships[code] = township
    return townships


def _ensure_staff(report, townships) -> dict[str, object]:
    liaisons = roles.ensure_roles()[roles.LIAISONS]
    people = {}
    for username, name, code in STAFF:
        department = townships[code].department
        user = ensure_user(report, username, name, department, [liaisons])
        if not department.liaisons.filter(pk=user.pk).exists():
            department.liaisons.add(user)
        people[code] = user
    return people


def _action(report, user, township, departments, *, title, follow_ups=(), **fields):
    if JointAction.objects.filter(township=township, title=title).exists():
        return
    findings = fields.pop("findings", "")
    participants = [departments[c] for c in fields.pop("participants")]
    action = rules.create_action(user, township, title=title, participants=participants, **fields)
    if findings:
        rules.record_findings(action, user, findings)
    for description, code, days, done, note in follow_ups:
        item = rules.add_follow_up(action, user, description=description, responsible_department=departments[code],
                                   working_days=days, assigned_date=action.date)
        if done:
            responsible = departments[code]
            reporter = responsible.liaisons.order_by("pk").first() or user
            rules.complete_follow_up(item, reporter, note=note, today=done)
    report.add("联合执法")


def load_townships_demo(report, departments) -> None:
    """Create whatever township demo records are missing."""
    townships = _ensure_townships(report)
    departments = {**departments, **{code: t.department for code, t in townships.items()}}
    people = _ensure_staff(report, townships)
    _action(report, people["WCZ"], townships["WCZ"], departments,
            title="某工业园企业扬尘和物料堆放联合检查",
            matter="群众反映某工业园多家企业露天堆放物料、扬尘较重，涉及环保、市容和经营主体登记，情况复杂，由镇综合执法办公室统筹协调。",
            date=datetime.date(2026, 6, 16), location="王村镇某工业园某路",
            participants=["ZHZF", "HBFJ", "SJJ"], local_forces="王村镇安环办",
            findings="两家企业露天堆放物料未覆盖；一家企业营业执照登记的经营场所与实际不符。",
            follow_ups=[("督促两家企业覆盖堆放物料并复查", "HBFJ", 5, datetime.date(2026, 6, 22), "已复查，物料已覆盖。"),
                        ("核查经营场所登记情况", "SJJ", 10, None, "")])
    _action(report, people["QNLJD"], townships["QNLJD"], departments,
            title="某路沿街门店占道经营联合整治",
            matter="某路沿街门店占道经营反复出现，涉及市容管理和食品经营，由街道综合执法办公室统筹协调。",
            date=datetime.date(2026, 9, 8), location="青年路街道某路",
            participants=["ZHZF", "SYJ", "GAFJ"], local_forces="青年路街道安环办")
    bureau = Department.objects.get(is_bureau=True)
    for code in ("WCZ", "QNLJD"):
        name = f"派驻{townships[code].name}执法中队"
        if not StationedSquadron.objects.filter(name=name).exists():
            rules.station_squadron(bureau.leader, name=name, bureau=bureau, township=townships[code],
                                   note="名称按“区综合行政执法局派驻执法中队”（二（二））的写法，非正式名称。")
            report.add("派驻执法中队")
