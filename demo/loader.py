"""Load the demo content shipped in ``demo/data/``; running it again changes nothing.

Every object is looked up by a natural key (department code, username,
page slug under its parent) and created only when missing, so a second run
finds everything in place and writes nothing.
"""
import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from wagtail.models import Page, Site

from coordination.demo import load_coordination_demo
from demo.cooperation import load_cooperation_demo
from demo.directive import load_directive
from demo.users import DEMO_PASSWORD, ensure_user  # noqa: F401 - DEMO_PASSWORD for load_demo
from portal import roles
from portal.models import (
    BulletinPage,
    CategoryIndexPage,
    ComplaintHandlingPage,
    Department,
    DiscretionStandardPage,
    HomePage,
    InspectionRecordPage,
    InterpretationPage,
    LicenceDecisionPage,
    NewsPage,
    OtherSharedInfoPage,
    PenaltyDecisionPage,
    RegulationPage,
    Scope,
    StatisticsPage,
    WorkflowPage,
)
from portal.models.regulations import RegulationKind
from publicsite.models import SiteIdentification
from townships.demo import load_townships_demo

DEMO_DIR = Path(__file__).resolve().parent / "data"

SCOPES = {label: value for value, label in Scope.choices}
REGULATION_KINDS = {label: value for value, label in RegulationKind.choices}

# (slug, title, section) of the index pages under the home page, in menu order.
SECTIONS = [
    ("laws", "法律法规规章和规范性文件", "laws"),
    ("decisions", "行政许可、备案、确认", "decisions"),
    ("penalties", "行政处罚、行政强制", "penalties"),
    ("statistics", "统计分析数据", "statistics"),
    ("discretion", "行政处罚自由裁量标准", "discretion"),
    ("workflows", "执法工作流程", "workflows"),
    ("inspections", "监督检查记录、执法工作简报", "inspections"),
    ("complaints", "举报投诉信访受理处理情况", "complaints"),
    ("other", "其他共享信息", "other"),
    ("news", "新闻动态", "news"),
    ("interpretation", "政策解读", "interpretation"),
]

# Demo accounts beyond the departments' own leaders and liaisons: (username, name, group, department code).
DEMO_STAFF = [
    ("editor", "王编辑", roles.EDITORS, "ZHZF"),
    ("reviewer", "李审核", roles.REVIEWERS, "ZHZF"),
    ("leader", "张领导", roles.LEADERS, "ZHZF"),
    ("manager", "陈管理", roles.MANAGERS, "ZHZF"),
]


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, n: int = 1) -> None:
        self.created[kind] = self.created.get(kind, 0) + n

    @property
    def total(self) -> int:
        return sum(self.created.values())

    def summary(self) -> str:
        if not self.total:
            return "演示数据已是最新，未作任何改动。"
        parts = "，".join(f"{kind} {n}" for kind, n in self.created.items())
        return f"已载入演示数据：{parts}。"


def _read_json(name: str):
    return json.loads((DEMO_DIR / name).read_text(encoding="utf-8"))


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def paragraphs_to_html(text: str) -> str:
    """Return rich-text HTML with one <p> per blank-line-separated paragraph of plain text."""
    paras = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return "".join(f"<p>{escape(p)}</p>".replace("\n", "<br/>") for p in paras)


def load_departments(report: LoadReport, groups) -> dict[str, Department]:
    departments = {}
    for order, row in enumerate(_read_json("departments.json")):
        dept = Department.objects.filter(code=row["code"]).first()
        if dept is None:
            dept = Department.objects.create(
                code=row["code"], name=row["name"], short_name=row.get("short_name", ""),
                aliases="、".join(row.get("aliases", [])), is_member=row.get("is_member", True),
                is_bureau=row.get("is_bureau", False), sort_order=order,
            )
            report.add("部门")
        if row.get("leader") and dept.leader_id is None:
            dept.leader = ensure_user(report, row["leader"]["username"], row["leader"]["name"], dept,
                                      [groups[roles.LEADERS]])
            dept.save()
        if row.get("liaison"):
            liaison = ensure_user(report, row["liaison"]["username"], row["liaison"]["name"], dept,
                                  [groups[roles.LIAISONS]])
            if not dept.liaisons.filter(pk=liaison.pk).exists():
                dept.liaisons.add(liaison)
        departments[dept.code] = dept
    return departments


def ensure_home(report: LoadReport) -> HomePage:
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = HomePage(title="综合行政执法信息共享平台", slug="home-portal",
                        intro="综合行政执法局与联席会议成员单位执法信息共享、公开与查询。")
        root.add_child(instance=home)
        home.save_revision().publish()
        site = Site.objects.filter(is_default_site=True).first()
        old_root = site.root_page if site else None
        if site:
            site.root_page = home
            site.site_name = "综合行政执法信息共享平台"
            site.save()
        else:
            Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True,
                                site_name="综合行政执法信息共享平台")
        # Wagtail's "Welcome to your new Wagtail site!" placeholder has no place here.
        if old_root and old_root.pk != home.pk and old_root.specific_class is Page:
            old_root.delete()
        home.refresh_from_db()
        report.add("首页")
    return home


def ensure_sections(report: LoadReport, home: HomePage) -> dict[str, CategoryIndexPage]:
    sections = {}
    for slug, title, section in SECTIONS:
        page = CategoryIndexPage.objects.child_of(home).filter(slug=slug).first()
        if page is None:
            page = CategoryIndexPage(title=title, slug=slug, section=section)
            home.add_child(instance=page)
            page.save_revision().publish()
            report.add("栏目")
        sections[section] = page
    return sections


def _publish_new(report: LoadReport, parent: Page, page: Page, kind: str) -> Page | None:
    """Add and publish ``page`` under ``parent`` unless a page with its slug is there already."""
    if Page.objects.child_of(parent).filter(slug=page.slug).exists():
        return None
    parent.add_child(instance=page)
    page.save_revision().publish()
    report.add(kind)
    return page


def _common(item: dict, departments) -> dict:
    return {
        "title": item["title"],
        "doc_number": item.get("doc_number", ""),
        "department": departments[item["department_code"]],
        "scope": SCOPES[item.get("scope", "共享")],
        "formed_date": _date(item.get("formed_date")) or _date(item.get("publish_date")),
        "written_date": _date(item.get("written_date")),
        "publish_date": _date(item.get("publish_date")),
        "effective_date": _date(item.get("effective_date")),
        "abolished_date": _date(item.get("abolished_date")),
        "keywords": item.get("keywords", ""),
        "summary": item.get("summary", ""),
    }


def load_directive_page(report: LoadReport, laws, departments) -> None:
    """Publish 周政办字〔2018〕18号 under 法律法规 as the 公文 it is (``demo.directive``), if it is not there."""
    directive = load_directive()
    page = RegulationPage(
        slug="zhouzhengbanzi-2018-18", title=directive.title, regulation_kind=RegulationKind.NORMATIVE,
        issuing_authority=directive.issuer, doc_number=directive.doc_number,
        department=departments["ZFB"], scope=Scope.PUBLIC,  # 发布机构: the issuer, 区政府办公室
        # The text carries no 成文/发布/生效 date: none is given. 信息形成日期 is the portal's own
        # (required, it starts the sharing clock): the day the demo put the text on the portal.
        formed_date=timezone.localdate(), written_date=None, publish_date=None, effective_date=None,
        summary=directive.summary, keywords="协作配合 联席会议 案件移送 首问责任 信息共享",
    )
    page.set_text(directive.text)
    _publish_new(report, laws, page, "法规文件")


def load_regulations(report: LoadReport, sections, departments) -> None:
    laws = sections["laws"]
    load_directive_page(report, laws, departments)

    law_meta = _read_json("laws/meta.json")
    for row in law_meta["laws"]:
        text = (DEMO_DIR / "laws" / row["file"]).read_text(encoding="utf-8")
        page = RegulationPage(
            slug=row["file"].split("(")[0], regulation_kind=REGULATION_KINDS.get(row.get("kind"), "law"),
            issuing_authority=row.get("issuer", ""),
            **_common({**row, "title": "", "formed_date": row.get("publish_date")}, departments),
        )
        page.set_text(text)
        page.title = text.splitlines()[0].lstrip("# ").strip()
        _publish_new(report, laws, page, "法规文件")

    load_amended_regulation(report, laws, departments, law_meta.get("amendments", []))


def load_amended_regulation(report: LoadReport, laws, departments, versions: list[dict]) -> None:
    """Create one regulation published twice: its old version, then its revision."""
    if not versions or Page.objects.child_of(laws).filter(slug="xingzheng-fuyi-fa").exists():
        return
    page = None
    for row in versions:
        text = (DEMO_DIR / "amendments" / row["file"]).read_text(encoding="utf-8")
        fields = _common({**row, "title": "", "formed_date": row.get("publish_date")}, departments)
        if page is None:
            page = RegulationPage(slug="xingzheng-fuyi-fa", regulation_kind=RegulationKind.LAW,
                                  issuing_authority=row.get("issuer", ""), **fields)
            page.set_text(text)
            page.title = text.splitlines()[0].lstrip("# ").strip()
            page.revision_basis = row.get("revision_basis", "")
            laws.add_child(instance=page)
        else:
            for name, value in fields.items():
                if name != "title":
                    setattr(page, name, value)
            page.set_text(text)
            page.revision_basis = row.get("revision_basis", "")
        page.save_revision(log_action=True).publish()
        page.refresh_from_db()
    report.add("法规文件")


def load_discretion_and_workflow(report: LoadReport, sections, departments) -> None:
    data = _read_json("discretion.json")
    page = DiscretionStandardPage(slug="discretion-shirong", intro=data.get("intro", ""), **_common(data, departments))
    page.rows = [{"type": "row", "value": {k: r.get(k, "") for k in
                  ("violation", "legal_basis", "penalty_basis", "level", "standard", "conditions")}}
                 for r in data["rows"]]
    _publish_new(report, sections["discretion"], page, "裁量标准")

    data = _read_json("workflow.json")
    page = WorkflowPage(slug="workflow-penalty-general", intro=data.get("intro", ""), **_common(data, departments))
    page.steps = [{"type": "step", "value": {
        "name": s["name"],
        "department": departments[s["department_code"]].pk if s.get("department_code") else None,
        "time_limit_days": s.get("time_limit_days"),
        "basis": s.get("basis", ""), "materials": s.get("materials", "")}} for s in data["steps"]]
    _publish_new(report, sections["workflows"], page, "执法流程")


def _record_fields(kind: str, item: dict, departments) -> dict:
    """Return the type's own model fields from a records.json item."""
    if kind == "licence":
        kinds = {"许可": "licence", "备案": "filing", "确认": "confirmation"}
        return {"decision_kind": kinds.get(item.get("decision_kind"), "licence"), "applicant": item.get("applicant", ""),
                "matter": item.get("matter", ""), "licence_number": item.get("licence_number", ""),
                "valid_until": _date(item.get("valid_until"))}
    if kind == "penalty":
        party = item.get("party", {})
        return {"decision_kind": "coercion" if item.get("decision_kind") == "行政强制" else "penalty",
                "party_kind": "person" if party.get("kind") == "自然人" else "organisation",
                "party_name": party.get("name", ""), "party_id_number": party.get("id_number", ""),
                "party_address": party.get("address", ""), "party_phone": party.get("phone", ""),
                "legal_representative": party.get("legal_representative", "") or "",
                "facts": item.get("facts", ""), "basis": item.get("basis", ""), "decision": item.get("decision", ""),
                "fine_amount": item.get("fine_amount"), "execution_status": item.get("execution_status", "")}
    if kind == "statistics":
        table = {"data": [item["columns"], *[[str(c) for c in row] for row in item["rows"]]],
                 "first_row_is_table_header": True, "first_col_is_header": True, "table_caption": ""}
        return {"period": item.get("period", ""), "chart_kind": item.get("chart", "bar"),
                "data": [{"type": "table", "value": table}]}
    if kind == "inspection":
        return {"inspected_party": item.get("inspected_party", ""), "inspection_date": _date(item["inspection_date"]),
                "inspectors": item.get("inspectors", ""), "findings": item.get("findings", ""),
                "result": item.get("result", "")}
    if kind == "bulletin":
        return {"issue_number": item.get("issue_number", "")}
    if kind == "complaint":
        channels = {"举报": "report", "投诉": "complaint", "信访": "petition"}
        statuses = {"已受理": "accepted", "已移送": "transferred", "已办结": "closed"}
        return {"channel": channels.get(item.get("channel"), "complaint"),
                "received_date": _date(item.get("received_date")),
                "first_department": departments.get(item.get("first_department_code")),
                "handling_department": departments.get(item.get("handling_department_code")),
                "handling_status": statuses.get(item.get("handling_status"), "accepted"),
                "result": item.get("result", "")}
    return {}


RECORD_TYPES = {
    "licence": (LicenceDecisionPage, "decisions", "许可决定"),
    "penalty": (PenaltyDecisionPage, "penalties", "处罚决定"),
    "statistics": (StatisticsPage, "statistics", "统计数据"),
    "inspection": (InspectionRecordPage, "inspections", "检查记录"),
    "bulletin": (BulletinPage, "inspections", "工作简报"),
    "complaint": (ComplaintHandlingPage, "complaints", "投诉处理"),
    "other": (OtherSharedInfoPage, "other", "其他信息"),
}


def load_records(report: LoadReport, sections, departments) -> None:
    records = _read_json("records.json")
    for kind, (model, section, label) in RECORD_TYPES.items():
        for n, item in enumerate(records.get(kind, []), start=1):
            page = model(slug=f"{kind}-{n}", body=paragraphs_to_html(item.get("body", "")),
                          **_common(item, departments), **_record_fields(kind, item, departments))
            _publish_new(report, sections[section], page, label)
    for kind, model, label in (("news", NewsPage, "新闻"), ("interpretation", InterpretationPage, "政策解读")):
        for n, item in enumerate(records.get(kind, []), start=1):
            extra = {}
            if kind == "interpretation" and item.get("interprets"):
                extra["interprets"] = RegulationPage.objects.filter(title__contains=item["interprets"]).first()
            page = model(slug=f"{kind}-{n}", title=item["title"], date=_date(item.get("date") or item.get("publish_date")),
                         department=departments.get(item.get("department_code")), summary=item.get("summary", ""),
                         body=paragraphs_to_html(item.get("body", "")), **extra)
            _publish_new(report, sections[kind], page, label)


def ensure_site_identification(report: LoadReport, bureau: Department) -> None:
    """Name the bureau as 主办单位 of the default site, once; the 网站标识码, ICP and 公安机关备案号 and the
    contact details stay empty: none is publicly confirmed for this portal, and none is made up."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None and not SiteIdentification.objects.filter(site=site).exists():
        SiteIdentification.objects.create(site=site, sponsor=bureau.name)
        report.add("网站标识")


def load_demo() -> LoadReport:
    """Create whatever demo content is missing; return what was created."""
    report = LoadReport()
    with transaction.atomic():
        groups = roles.ensure_roles()
        departments = load_departments(report, groups)
        bureau = departments["ZHZF"]
        ensure_user(report, "admin", "系统管理员", bureau, superuser=True)
        for username, name, group, code in DEMO_STAFF:
            ensure_user(report, username, name, departments[code], [groups[group]])
        home = ensure_home(report)
        ensure_site_identification(report, bureau)
        sections = ensure_sections(report, home)
        load_regulations(report, sections, departments)
        load_discretion_and_workflow(report, sections, departments)
        load_records(report, sections, departments)
        load_cooperation_demo(report, departments)
        load_townships_demo(report, departments)
        load_coordination_demo(report, departments)
    return report
