"""A world for the privacy tests: a public page of every page type naming a natural person, with numbers.

Each page names its own person — in a party field where the type has one (当事人, 申请人, 检查对象,
反映人姓名), after a role word (举报人…) where it has none — in its title and its body, together with
that person's ID number and mobile number.  ``PrivacyWorld.raw_values`` lists everything that must
never reach an anonymous visitor; ``PrivacyWorld.private`` is a 不予共享 decision naming a person
of its own, for the existence-oracle test.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from stdnum.cn import ric
from wagtail.models import Page

from portal.models import (
    BulletinPage,
    CategoryIndexPage,
    ComplaintHandlingPage,
    DiscretionStandardPage,
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

FORMED = datetime.date(2026, 3, 2)
# A word every page carries, so one search finds them all.
SHARED_WORD = "隐私样本"


def id_number(region: str, born: str, sequence: str) -> str:
    """Return an 18-digit ID number with its check digit (python-stdnum computes it)."""
    first17 = region + born + sequence
    return first17 + ric.calc_check_digit(first17 + "0")


@dataclass(frozen=True)
class Person:
    name: str
    id_number: str
    mobile: str
    bank_account: str = ""

    @property
    def raw_values(self) -> list[str]:
        return [v for v in (self.name, self.id_number, self.mobile, self.bank_account) if v]


# One person per page type; rare enough names that nothing else on the site contains them.
PERSONS = {
    "regulation": Person("禹文渊", id_number("370306", "19850304", "123"), "13903940001"),
    "discretion": Person("蔺书涵", id_number("370303", "19900511", "234"), "13903940002"),
    "workflow": Person("闵嘉禾", id_number("370302", "19780923", "345"), "13903940003"),
    "licence": Person("戚怀瑾", id_number("370811", "19661201", "456"), "13903940004"),
    "penalty": Person("卞立诚", id_number("110101", "19930707", "567"), "13903940005",
                      "6217211708009876543"),
    "statistics": Person("晁明远", id_number("650102", "19810214", "678"), "13903940006"),
    "inspection": Person("郜春生", id_number("440305", "19750630", "789"), "13903940007"),
    "bulletin": Person("阚秋实", id_number("370306", "19880818", "890"), "13903940008"),
    "complaint": Person("蒯若兰", id_number("370306", "19920317", "452"), "13526291874",
                        "6217211708001234567"),
    "other": Person("鞠远航", id_number("370303", "19701010", "012"), "13903940010"),
    "news": Person("邰雪松", id_number("370811", "19991111", "123"), "13903940011"),
    "interpretation": Person("訾海燕", id_number("110101", "19870505", "234"), "13903940012"),
}
PRIVATE_PERSON = Person("廉守拙", id_number("370306", "19800101", "345"), "13903940013")


@dataclass
class PrivacyWorld:
    home: Page
    sections: dict[str, CategoryIndexPage]
    pages: dict[str, Page] = field(default_factory=dict)
    private: Page | None = None

    @property
    def raw_values(self) -> list[str]:
        return [value for person in PERSONS.values() for value in person.raw_values]


def _numbers(person: Person) -> str:
    text = f"身份证号码{person.id_number}，联系电话{person.mobile}"
    return text + (f"，银行账号{person.bank_account}" if person.bank_account else "")


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def build_privacy_world(home, departments) -> PrivacyWorld:
    """Publish under ``home`` a section of every kind and, in it, one public page of its type naming a person."""
    department = departments[0]
    sections = {}
    for code, label in CategoryIndexPage.Section.choices:
        existing = CategoryIndexPage.objects.child_of(home).filter(section=code).first()
        sections[code] = existing or _publish(home, CategoryIndexPage(title=label, slug=f"privacy-{code}",
                                                                      section=code))
    world = PrivacyWorld(home=home, sections=sections)
    common = {"department": department, "scope": Scope.PUBLIC, "formed_date": FORMED}
    p = PERSONS

    def person_text(key: str, role: str = "举报人") -> str:
        return f"{role}{p[key].name}反映有关问题，{_numbers(p[key])}。{SHARED_WORD}"

    regulation = RegulationPage(title=f"关于举报人{p['regulation'].name}来信的{SHARED_WORD}答复规定", **common)
    regulation.set_text(f"# {regulation.title}\n\n第一条 {person_text('regulation')}\n\n第二条 本规定自发布之日起施行。")
    world.pages["regulation"] = _publish(sections["laws"], regulation)

    world.pages["discretion"] = _publish(sections["discretion"], DiscretionStandardPage(
        title=f"占道经营裁量标准（举报人{p['discretion'].name}建议）{SHARED_WORD}", intro=person_text("discretion"),
        rows=[{"type": "row", "value": {"violation": "占道经营", "legal_basis": person_text("discretion"),
                                        "penalty_basis": "《城市市容和环境卫生管理条例》第三十六条",
                                        "level": "一般", "standard": "罚款50元", "conditions": ""}}], **common))

    world.pages["workflow"] = _publish(sections["workflows"], WorkflowPage(
        title=f"举报件办理流程（举报人{p['workflow'].name}案例）{SHARED_WORD}", intro=person_text("workflow"),
        steps=[{"type": "step", "value": {"name": "受理", "time_limit_days": 1, "basis": person_text("workflow"),
                                          "materials": "举报材料"}}], **common))

    world.pages["licence"] = _publish(sections["decisions"], LicenceDecisionPage(
        title=f"关于准予{p['licence'].name}临时占用城市道路的决定{SHARED_WORD}", applicant=p["licence"].name,
        matter="临时占用城市道路", body=f"<p>{p['licence'].name}：你申请临时占用城市道路，{_numbers(p['licence'])}。"
                                     f"{SHARED_WORD}</p>", **common))

    world.pages["penalty"] = _publish(sections["penalties"], PenaltyDecisionPage(
        title=f"行政处罚决定书（{p['penalty'].name}占道经营案）{SHARED_WORD}", party_kind="person",
        party_name=p["penalty"].name, party_id_number=p["penalty"].id_number, party_phone=p["penalty"].mobile,
        party_address="山东省淄博市周村区丝绸路街道某路18号", facts=f"{p['penalty'].name}在某路占道经营。",
        body=f"<p>当事人{p['penalty'].name}，{_numbers(p['penalty'])}。{SHARED_WORD}</p>", **common))

    table = {"data": [["举报人", "件数"], [f"{p['statistics'].name}（{p['statistics'].mobile}）", "3"]],
             "first_row_is_table_header": True}
    world.pages["statistics"] = _publish(sections["statistics"], StatisticsPage(
        title=f"举报人{p['statistics'].name}等反映问题统计{SHARED_WORD}", period="2026年第一季度",
        data=[{"type": "table", "value": table}], body=f"<p>{person_text('statistics')}</p>", **common))

    world.pages["inspection"] = _publish(sections["inspections"], InspectionRecordPage(
        title=f"对{p['inspection'].name}经营场所的监督检查记录{SHARED_WORD}", inspected_party=p["inspection"].name,
        inspection_date=FORMED, findings=f"{p['inspection'].name}未办理备案，{_numbers(p['inspection'])}。",
        body=f"<p>检查对象{p['inspection'].name}。{SHARED_WORD}</p>", **common))

    world.pages["bulletin"] = _publish(sections["inspections"], BulletinPage(
        title=f"执法简报：举报人{p['bulletin'].name}获奖励{SHARED_WORD}", issue_number="2026年第1期",
        body=f"<p>{person_text('bulletin')}</p>", **common))

    world.pages["complaint"] = _publish(sections["complaints"], ComplaintHandlingPage(
        title=f"关于{p['complaint'].name}反映夜间噪声扰民的处理情况{SHARED_WORD}", complainant=p["complaint"].name,
        received_date=FORMED, result=f"已办结，已电话告知{p['complaint'].name}。",
        body=f"<p>{p['complaint'].name}来电反映夜间噪声扰民，{_numbers(p['complaint'])}。{SHARED_WORD}</p>", **common))

    world.pages["other"] = _publish(sections["other"], OtherSharedInfoPage(
        title=f"关于举报人{p['other'].name}反映问题的通报{SHARED_WORD}", body=f"<p>{person_text('other')}</p>", **common))

    for key, model, section in (("news", NewsPage, "news"), ("interpretation", InterpretationPage, "interpretation")):
        world.pages[key] = _publish(sections[section], model(
            title=f"群众{p[key].name}热心举报获表彰{SHARED_WORD}", date=FORMED, department=department,
            summary=person_text(key, "群众"), body=f"<p>{person_text(key, '群众')}</p>"))

    world.private = _publish(sections["penalties"], PenaltyDecisionPage(
        title="行政处罚决定书（不予共享）", party_kind="person", party_name=PRIVATE_PERSON.name,
        party_id_number=PRIVATE_PERSON.id_number, party_phone=PRIVATE_PERSON.mobile,
        body=f"<p>当事人{PRIVATE_PERSON.name}。</p>", **(common | {"scope": Scope.PRIVATE})))
    return world
