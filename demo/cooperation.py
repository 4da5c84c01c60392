"""Demo content of the working systems (``demo.json``): meetings, transfers, first-inquiry records, requests;
and, in ``load_judicial_demo``, the link with the judicial organs (二（三）, 二（四）6).

``load_cooperation_demo(report, departments)`` is called by ``demo.loader.load_demo``
after the departments and their leaders and liaisons exist. Every record is
built through the same state functions the admin screens call, acting as the
people the directive names (二（四）1), on the dates given in the file; each record is
looked up by its title first, so a second run changes nothing.
"""
from __future__ import annotations

import datetime
import json
from pathlib import Path

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from cooperation import complaints, info_requests, meetings, transfers
from cooperation.files import store_upload
from cooperation.models import (
    AssistanceRequest,
    CaseBriefing,
    CaseTransfer,
    ComplaintRecord,
    InformationRequest,
    JointMeeting,
    MeetingMinutes,
    MeetingTopic,
    TransferEvent,
)
from demo.users import ensure_user
from portal import roles
from portal.models import User

DEMO_FILE = Path(__file__).resolve().parent / "data" / "cooperation.json"


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _liaison(department) -> User:
    return department.liaisons.order_by("pk").first()


def _ensure_people(report, data: dict) -> None:
    leaders = Group.objects.get_or_create(name=roles.LEADERS)[0]
    for person in data.get("people", []):
        # The 分管副区长 who convenes (二（四）1) belongs to no department; the entrusted 区政府办公室副主任
        # and the vice-convener (the bureau's 局长) come with their departments (departments.json).
        ensure_user(report, person["username"], person["name"], None, [leaders])
    conveners, vice_conveners = meetings.ensure_convener_groups()
    for username in data.get("conveners", []):
        _user(username).groups.add(conveners)
    if data.get("vice_convener"):
        _user(data["vice_convener"]).groups.add(vice_conveners)


def _topic(report, meeting, row: dict, t: dict, departments, convener) -> MeetingTopic:
    day = _date(t["date"])
    fields = dict(department=departments[t["department"]], title=t["title"], description=t["description"],
                  opinion=t["opinion"], background=t.get("background", ""))
    if meeting is None:
        topic = meetings.submit_special_topic(_user(t["by"]), **fields)
    else:
        topic = meetings.propose_topic(meeting, _user(t["by"]), today=day, **fields)
    MeetingTopic.objects.filter(pk=topic.pk).update(submitted_at=_at(day, 9))
    c = t.get("coordination")
    if c:
        meetings.coordinate_topic(topic, _user(row["office"]), resolved=c["resolved"], note=c["note"])
        MeetingTopic.objects.filter(pk=topic.pk).update(coordinated_at=_at(day + datetime.timedelta(days=3), 15))
    if t.get("decision"):
        decider = _user(t["decided_by"]) if t.get("decided_by") else convener
        meetings.decide_topic(topic, decider, adopt=t["decision"] == "adopt", note=t.get("note", ""))
        decided = _date(t.get("decided_on")) or _date(row["topics_open_date"]) + datetime.timedelta(days=8)
        MeetingTopic.objects.filter(pk=topic.pk).update(decided_at=_at(decided, 16))
    report.add("会议议题")
    topic.refresh_from_db()
    return topic


def _call_special(report, row: dict, departments, convener) -> JointMeeting:
    """A 专题会议: its topics first, approved by a convener; then the office calls the meeting (二（四）1)."""
    topics = [_topic(report, None, row, t, departments, convener) for t in row.get("topics", [])]
    meeting = meetings.call_special_meeting(
        _user(row["office"]), topics=topics, title=row["title"], date=_date(row["date"]), convener=convener,
        convener_capacity=row.get("convener_capacity", JointMeeting.Capacity.DEPUTY_MAYOR),
        participants=[departments[c] for c in row.get("participants", [])],
        invited=[departments[c] for c in row.get("invited", [])], location=row.get("location", ""),
        agenda_note=row.get("agenda_note", ""),
    )
    JointMeeting.objects.filter(pk=meeting.pk).update(created_at=_at(_date(row["called_on"]), 10))
    return meeting


def _load_meeting(report, row: dict, departments) -> None:
    if JointMeeting.objects.filter(title=row["title"]).exists():
        return
    office, convener = _user(row["office"]), _user(row["convener"])
    if row["kind"] == JointMeeting.Kind.SPECIAL:
        meeting = _call_special(report, row, departments, convener)
        report.add("联席会议")
    else:
        meeting = meetings.create_meeting(
            office, title=row["title"], kind=row["kind"], date=_date(row["date"]),
            topics_open_date=_date(row["topics_open_date"]), convener=convener, location=row.get("location", ""),
            convener_capacity=row.get("convener_capacity", JointMeeting.Capacity.DEPUTY_MAYOR),
            invited=[departments[c] for c in row.get("invited", [])], agenda_note=row.get("agenda_note", ""),
        )
        report.add("联席会议")
        for t in row.get("topics", []):
            _topic(report, meeting, row, t, departments, convener)
    if not row.get("held_date"):
        return
    held = _date(row["held_date"])
    if meeting.status == JointMeeting.Status.COLLECTING:
        meetings.approve_agenda(meeting, convener)
        JointMeeting.objects.filter(pk=meeting.pk).update(agenda_approved_at=_at(held - datetime.timedelta(days=2), 15))
    meetings.mark_held(meeting, office, held_date=held, today=held)
    m = row.get("minutes")
    if not m:
        return
    minutes = meetings.save_minutes(meeting, office, content=m["content"], number=m.get("number", ""),
                                    attendees=m.get("attendees", ""))
    tasks = [meetings.add_task(minutes, office, title=t["title"], responsible_department=departments[t["department"]],
                               due_date=_date(t["due_date"])) for t in m.get("tasks", [])]
    meetings.issue_minutes(meeting, convener)
    issued = _date(m["issued_on"])
    MeetingMinutes.objects.filter(pk=minutes.pk).update(drafted_at=_at(held, 17), issued_at=_at(issued, 11))
    report.add("会议纪要")
    for task, t in zip(tasks, m.get("tasks", []), strict=True):
        if t.get("done"):
            meetings.complete_task(task, _user(t["done"]["by"]), note=t["done"]["note"],
                                   completed_date=_date(t["done"]["date"]))
        if t.get("delay"):
            meetings.report_delay(task, _user(t["delay"]["by"]), reason=t["delay"]["reason"])
        report.add("交办事项")


def _attach(transfer, user, materials: list[list[str]], day: datetime.date | None = None) -> None:
    for kind, description in materials:
        text = f"{transfer.title}\n{description}\n（演示材料）"
        document = store_upload(ContentFile(text.encode("utf-8"), name=f"{description}.txt"),
                                title=f"移送材料 {transfer.number} {description}", user=user)
        transfers.add_material(transfer, user, kind=kind, document=document, description=description, on=day)


def _run_transfer(report, t: CaseTransfer, row: dict, drafter: User, departments) -> None:
    """Take a drafted transfer through the steps the row describes, and date its timeline accordingly."""
    discovered = t.discovered_date
    dates = {"create": discovered, "add_material": discovered, "submit": discovered}
    _attach(t, drafter, row.get("materials", []))
    if row.get("submitted") or row.get("sent"):
        transfers.submit(t, drafter)
    if row.get("sent"):
        sent = _date(row["sent"])
        transfers.approve(t, t.from_department.leader)
        transfers.send(t, drafter, on=sent)
        dates.update(approve=sent, send=sent)
    answer = row.get("answer")
    if answer:
        receiver = _liaison(t.to_department)
        day = _date(answer["date"])
        transfers.answer(t, receiver, accept=answer["accept"], reasons=answer["reasons"], on=day)
        dates.update(accept=day, reject=day)
    if row.get("dispute"):
        d = row["dispute"]
        day = _date(d["date"])
        transfers.raise_dispute(t, _user(d["by"]), kind=d["kind"], arbiter=departments[d["arbiter"]],
                                reason=d["reason"], on=day)
        dates["dispute"] = day
    if row.get("ruling"):
        r = row["ruling"]
        day = _date(r["date"])
        transfers.record_ruling(t, _user(r["by"]), ruling=r["ruling"], text=r["text"], on=day)
        dates["rule"] = day
    if row.get("close"):
        c = row["close"]
        day = _date(c["date"])
        transfers.close(t, _liaison(t.to_department), outcome=c["outcome"], result=c["result"], on=day)
        dates["close"] = day
    for hour, event in enumerate(TransferEvent.objects.filter(transfer=t).order_by("pk")):
        day = dates.get(event.action, discovered)
        TransferEvent.objects.filter(pk=event.pk).update(at=_at(day, 9) + datetime.timedelta(minutes=10 * hour))
    if row.get("sent"):
        CaseTransfer.objects.filter(pk=t.pk).update(approved_at=_at(_date(row["sent"]), 9))
    report.add("案件移送")


def _load_transfer(report, row: dict, departments) -> None:
    if CaseTransfer.objects.filter(title=row["title"], from_department=departments[row["from"]]).exists():
        return
    drafter = _user(row["drafted_by"])
    discovered = _date(row["discovered"])
    t = transfers.create_transfer(
        drafter, from_department=departments[row["from"]], to_department=departments.get(row.get("to")),
        judicial_organ=row.get("judicial_organ", ""), suspected_crime=row.get("suspected_crime", False),
        title=row["title"], facts=row["facts"], party=row.get("party", ""), discovered_date=discovered,
        today=discovered,
    )
    _run_transfer(report, t, row, drafter, departments)


def _load_complaint(report, row: dict, departments) -> None:
    first = departments[row["department"]]
    if ComplaintRecord.objects.filter(subject=row["subject"], first_department=first).exists():
        return
    clerk = _user(row["by"])
    received = _date(row["received"])
    record = complaints.register(clerk, first_department=first, channel=row["channel"], received_date=received,
                                 subject=row["subject"], content=row["content"], complainant_name=row.get("name", ""),
                                 complainant_phone=row.get("phone", ""), today=received)
    report.add("首问负责登记")
    if not row.get("classification"):
        return
    complaints.classify(record, clerk, classification=row["classification"],
                        preliminary_result=row.get("preliminary", ""), inform_where=row.get("inform_where", ""))
    if row.get("transfer"):
        spec = row["transfer"]
        t = complaints.draft_transfer(record, clerk, to_department=departments[spec["to"]], today=received)
        _run_transfer(report, t, spec, clerk, departments)
    if row.get("close"):
        c = row["close"]
        closer = _user(c["by"]) if c.get("by") else clerk
        complaints.close(record, closer, reply=c["reply"], closing_department=departments[c["department"]],
                         replied_date=_date(c["date"]))


def _load_request(report, row: dict, departments) -> None:
    if InformationRequest.objects.filter(subject=row["subject"]).exists():
        return
    req = info_requests.submit_request(
        _user(row["by"]), requesting_department=departments[row["from"]], requested_department=departments[row["to"]],
        kind=row["kind"], subject=row["subject"], purpose=row.get("purpose", ""), purpose_kind=row.get("purpose_kind", ""),
        received_date=_date(row["received"]),
    )
    answerer = _liaison(departments[row["to"]])
    if row.get("provide"):
        info_requests.provide(req, answerer, note=row["provide"]["note"], on=_date(row["provide"]["date"]))
    if row.get("refuse"):
        r = row["refuse"]
        info_requests.refuse(req, answerer, ground=r["ground"], reason=r["reason"], on=_date(r["date"]))
    report.add("信息请求")


def load_cooperation_demo(report, departments) -> None:
    """Create the missing demo records of the four working systems; ``departments`` maps codes to departments."""
    data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    with transaction.atomic():
        _ensure_people(report, data)
        for row in data.get("meetings", []):
            _load_meeting(report, row, departments)
        for row in data.get("transfers", []):
            _load_transfer(report, row, departments)
        for row in data.get("complaints", []):
            _load_complaint(report, row, departments)
        for row in data.get("requests", []):
            _load_request(report, row, departments)
        load_transfer_directive_demo(report, departments)
        load_judicial_demo(report, departments)


# --- the case-transfer rules of 二（四）3 (issue 16): extension, 整改, 鉴定、检测, 重大安全隐患, 历史遗留问题,
# the licence hold, the 抄告 clock and the bureau's requests for 配合取证、认定、鉴定. Parties and places are
# placeholders (周村区某…); nothing here states a fact about 周村区 beyond the directive.

def _day(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value)


def _directive_transfer(report, departments, *, code: str, title: str, party: str, facts: str, discovered: str,
                        materials: list[list[str]], **flags) -> CaseTransfer | None:
    """Draft a related department's transfer to the bureau, or return None when the demo already has it."""
    sender = departments[code]
    if CaseTransfer.objects.filter(title=title, from_department=sender).exists():
        return None
    day = _day(discovered)
    clerk = _liaison(sender)
    t = transfers.create_transfer(clerk, from_department=sender, to_department=departments["ZHZF"], title=title,
                                  party=party, facts=facts, discovered_date=day, today=day, **flags)
    _attach(t, clerk, materials, day)
    report.add("案件移送")
    return t


def _send(t: CaseTransfer, on: str) -> None:
    clerk = _liaison(t.from_department)
    transfers.submit(t, clerk)
    transfers.approve(t, t.from_department.leader)
    transfers.send(t, clerk, on=_day(on))


def load_transfer_directive_demo(report, departments) -> None:
    """Create the demo records of the case-transfer rules of 二（四）3; a second run changes nothing."""
    bureau = departments["ZHZF"]
    officer = _liaison(bureau)
    letter, inspection = ["letter", "涉嫌违法案件移送函"], ["inspection", "现场检查记录"]

    t = _directive_transfer(
        report, departments, code="SYJ", title="某餐饮店超出食品经营许可范围经营", party="周村区某餐饮店",
        facts="2026年11月9日日常检查发现，该店持有的食品经营许可证未载明冷食类食品制售，却在店内制售凉菜。",
        discovered="2026-11-09", materials=[letter, inspection, ["evidence", "现场照片及询问笔录"]],
        licence_breach=True)
    if t is not None:
        clerk = _liaison(t.from_department)
        transfers.record_rectification(t, clerk, notified=_day("2026-11-09"), on=_day("2026-11-09"),
                                       content="责令立即停止制售冷食类食品，3日内提交整改报告。")
        transfers.extend_transfer_limit(t, clerk, days=2, on=_day("2026-11-10"),
                                        reason="当事人申请对许可范围进行陈述申辩，需调取许可档案核对。")
        _send(t, "2026-11-13")  # within the extension (due 2026-11-13)
        transfers.answer(t, officer, accept=True, reasons="决定受理。", on=_day("2026-11-16"))
        transfers.close(t, officer, outcome="penalty", on=_day("2026-11-27"),
                        result="依法作出行政处罚决定：警告，并处罚款。")  # the 抄告 is still due: the clock runs

    t = _directive_transfer(
        report, departments, code="HBFJ", title="某汽修厂喷漆废气未经处理排放", party="周村区某汽修厂",
        facts="2026年11月16日检查发现该厂喷漆作业废气未经收集处理直接排放，需检测确定排放浓度。",
        discovered="2026-11-16", materials=[letter, inspection])
    if t is not None:
        clerk = _liaison(t.from_department)
        appraisal = transfers.commission_appraisal(
            t, clerk, kind="testing", items="喷漆废气挥发性有机物排放浓度", institution="某环境检测机构（演示）",
            qualification="检验检测机构资质认定证书（演示，编号略）", commissioned=_day("2026-11-16"),
            on=_day("2026-11-16"))
        report_file = store_upload(ContentFile("喷漆废气检测报告（演示材料）".encode(), name="检测报告.txt"),
                                   title=f"移送材料 {t.number} 检测报告", user=clerk)
        transfers.record_appraisal_conclusion(appraisal, clerk, conclusion="挥发性有机物排放浓度超过排放标准。",
                                              concluded=_day("2026-11-17"), document=report_file,
                                              on=_day("2026-11-17"))
        _send(t, "2026-11-18")

    t = _directive_transfer(
        report, departments, code="ZJJ", title="某建筑工地脚手架存在坍塌隐患仍继续施工", party="周村区某建筑工程公司",
        facts="2026年11月23日检查发现该工地外脚手架连墙件缺失、立杆悬空，存在坍塌隐患，施工单位拒不停工。",
        discovered="2026-11-23", materials=[letter, inspection, ["evidence", "现场照片"]], major_hazard=True)
    if t is not None:
        arrived = timezone.make_aware(datetime.datetime(2026, 11, 23, 10, 40))
        transfers.record_arrival(t, officer, arrived_at=arrived,
                                 measures="会同住建部门责令立即停止施工、撤离作业人员，设置警戒区域。")
        _send(t, "2026-11-23")
        transfers.answer(t, officer, accept=True, reasons="决定受理。", on=_day("2026-11-24"))

    t = _directive_transfer(
        report, departments, code="ZRZY", title="某厂区2015年加建的仓库未取得建设工程规划许可", party="周村区某纺织公司",
        facts="该仓库2015年建成，至今未取得建设工程规划许可，属于历史遗留问题。",
        discovered="2026-11-24", materials=[letter, inspection, ["evidence", "建设档案查询记录"]],
        historical_issue=True)
    if t is not None:
        clerk = _liaison(t.from_department)
        transfers.record_consultation(t, clerk, held=_day("2026-11-25"), on=_day("2026-11-25"),
                                      parties="周村规划分局、区综合行政执法局",
                                      result="经协商，按照协商结果由区综合行政执法局立案调查，周村规划分局出具认定意见。")
        _send(t, "2026-11-26")
        # Accepted, not decided: the planning office may not grant this party a licence (二（四）3（4）).
        transfers.answer(t, officer, accept=True, reasons="决定受理。", on=_day("2026-11-27"))

    if not AssistanceRequest.objects.filter(subject="某厂区仓库是否取得建设工程规划许可").exists():
        req = transfers.request_assistance(officer, bureau=bureau, department=departments["ZRZY"],
                                           kind="determination", subject="某厂区仓库是否取得建设工程规划许可",
                                           details="请出具该仓库是否取得建设工程规划许可的书面认定意见。",
                                           received_date=_day("2026-11-27"))
        transfers.answer_assistance(req, _liaison(departments["ZRZY"]), vouched=True, on=_day("2026-12-01"),
                                    opinion="经查询，该仓库未取得建设工程规划许可。")
        report.add("配合取证、认定、鉴定")
    if not AssistanceRequest.objects.filter(subject="某食品店销售的散装食品是否为过期食品").exists():
        req = transfers.request_assistance(officer, bureau=bureau, department=departments["SYJ"], kind="appraisal",
                                           subject="某食品店销售的散装食品是否为过期食品",
                                           details="请配合鉴定抽取的散装食品样品。", received_date=_day("2026-12-01"))
        transfers.notify_assistance_delay(req, _liaison(departments["SYJ"]), new_due=_day("2026-12-08"),
                                          reason="样品须送检测机构检验，检验周期约5个工作日。", on=_day("2026-12-02"))
        report.add("配合取证、认定、鉴定")


# --- 行政执法与刑事司法衔接 (二（三）) and obstruction handed to the police (二（四）6), set in 周村区 --------------

JUDICIAL_TRANSFERS = [
    {"title": "某食品加工作坊在食品中添加非食用物质", "from": "ZHZF", "to": "GAFJ", "judicial_organ": "police",
     "suspected_crime": True, "party": "周村区某食品加工作坊经营者", "drafted_by": "zhaoxinyue",
     "facts": "2026年9月15日，执法队员检查中发现该作坊在加工的豆制品中添加非食用物质，现场查获成品约200公斤，"
              "涉嫌生产、销售有毒、有害食品罪，依法移送公安机关。",
     "discovered": "2026-09-15", "sent": "2026-09-16",
     "materials": [["letter", "涉嫌犯罪案件移送书"], ["inspection", "现场检查笔录及照片"], ["evidence", "抽样检验报告"]],
     "answer": {"date": "2026-09-18", "accept": True, "reasons": "决定立案侦查，依法优先办理。"}},
    {"title": "占道经营当事人暴力阻碍执法队员依法执行职务", "from": "ZHZF", "to": "GAFJ", "case_type": "obstruction",
     "party": "周村区某流动摊贩", "drafted_by": "zhaoxinyue",
     "facts": "2026年11月26日，执法队员依法劝离某路口占道经营摊点时，当事人推搡执法队员并以言语威胁，阻碍执法，"
              "现场执法记录仪全程记录。",
     "discovered": "2026-11-26", "sent": "2026-11-27",
     "materials": [["letter", "移交函"], ["inspection", "现场执法记录及执法记录仪视频说明"], ["evidence", "执法记录仪视频及证人证言"]]},
]
BRIEFINGS = [
    {"subject": "有毒有害食品案补充情况", "from": "ZHZF", "to": "GAFJ", "by": "zhaoxinyue", "date": "2026-09-22",
     "transfer": "某食品加工作坊在食品中添加非食用物质", "received": "2026-09-22",
     "content": "经进一步排查，该作坊产品曾供应周村区两处农贸市场摊点，销售台账复印件已随函提供。"},
    {"subject": "有毒有害食品案立案侦查情况", "from": "GAFJ", "to": "ZHZF", "by": "duanyifan", "date": "2026-09-25",
     "transfer": "某食品加工作坊在食品中添加非食用物质", "received": "2026-09-25",
     "content": "已于2026年9月18日立案侦查，对犯罪嫌疑人依法采取强制措施，案件正在侦办中。"},
    {"subject": "2026年第三季度涉嫌犯罪案件移送情况", "from": "ZHZF", "to": "JCY", "by": "zhaoxinyue",
     "date": "2026-10-09", "received": "2026-10-10",
     "content": "2026年第三季度，区综合行政执法局向公安机关移送涉嫌犯罪案件1件，公安机关已立案侦查。"},
    {"subject": "申请人民法院强制执行的行政处罚案件情况", "from": "ZHZF", "to": "FY", "by": "zhaoxinyue",
     "date": "2026-11-10",
     "content": "截至2026年10月底，区综合行政执法局申请人民法院强制执行的行政处罚案件2件，当事人均未履行处罚决定。"},
]


def load_judicial_demo(report, departments) -> None:
    """Create the missing transfers to the judicial organs (one an obstruction for the police) and 案情通报."""
    by_title = {}
    for row in JUDICIAL_TRANSFERS:
        sender = departments[row["from"]]
        t = CaseTransfer.objects.filter(title=row["title"], from_department=sender).first()
        if t is None:
            drafter, discovered = _user(row["drafted_by"]), _date(row["discovered"])
            t = transfers.create_transfer(
                drafter, from_department=sender, to_department=departments[row["to"]],
                judicial_organ=row.get("judicial_organ", ""), suspected_crime=row.get("suspected_crime", False),
                case_type=row.get("case_type", ""), title=row["title"], facts=row["facts"], party=row["party"],
                discovered_date=discovered, today=discovered)
            _run_transfer(report, t, row, drafter, departments)
        by_title[row["title"]] = t
    for row in BRIEFINGS:
        if CaseBriefing.objects.filter(subject=row["subject"]).exists():
            continue
        briefing = info_requests.brief_case(
            _user(row["by"]), from_department=departments[row["from"]], to_department=departments[row["to"]],
            subject=row["subject"], content=row["content"], transfer=by_title.get(row.get("transfer")),
            on=_date(row["date"]))
        if row.get("received"):
            info_requests.acknowledge(briefing, _liaison(departments[row["to"]]), on=_date(row["received"]))
        report.add("案情通报")
