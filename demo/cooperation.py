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


def _ensure_people(report, people: list[dict]) -> None:
    leaders = Group.objects.get_or_create(name=roles.LEADERS)[0]
    for person in people:
        # The 分管副区长 who convenes (二（四）1) belongs to no department; the entrusted 区政府办公室副主任
        # and the vice-convener (the bureau's head) come with their departments (departments.json).
        ensure_user(report, person["username"], person["name"], None, [leaders])


def _load_meeting(report, row: dict, departments) -> None:
    if JointMeeting.objects.filter(title=row["title"]).exists():
        return
    office, convener = _user(row["office"]), _user(row["convener"])
    meeting = meetings.create_meeting(
        office, title=row["title"], kind=row["kind"], date=_date(row["date"]),
        topics_open_date=_date(row["topics_open_date"]), convener=convener, location=row.get("location", ""),
        vice_conveners=[_user(u) for u in row.get("vice_conveners", [])], agenda_note=row.get("agenda_note", ""),
    )
    report.add("联席会议")
    for t in row.get("topics", []):
        day = _date(t["date"])
        topic = meetings.propose_topic(meeting, _user(t["by"]), department=departments[t["department"]],
                                       title=t["title"], description=t["description"], opinion=t["opinion"],
                                       background=t.get("background", ""), today=day)
        MeetingTopic.objects.filter(pk=topic.pk).update(submitted_at=_at(day, 9))
        if t.get("decision"):
            meetings.decide_topic(topic, convener, adopt=t["decision"] == "adopt", note=t.get("note", ""))
            MeetingTopic.objects.filter(pk=topic.pk).update(decided_at=_at(_date(row["topics_open_date"])
                                                                           + datetime.timedelta(days=8), 16))
        report.add("会议议题")
    if not row.get("held_date"):
        return
    held = _date(row["held_date"])
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
        _ensure_people(report, data.get("people", []))
        for row in data.get("meetings", []):
            _load_meeting(report, row, departments)
        for row in data.get("transfers", []):
            _load_transfer(report, row, departments)
        for row in data.get("complaints", []):
            _load_complaint(report, row, departments)
        for row in data.get("requests", []):
            _load_request(report, row, departments)
        load_judicial_demo(report, departments)


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
     "materials": [["letter", "移交函"], ["inspection", "现场执法记录及执法记录仪视频说明"]]},
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
