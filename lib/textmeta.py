"""Metadata read from the text of a law or 公文: who made it, when, how it was amended, its 效力位阶.

``read_metadata(doc_or_text, filename="")`` returns a ``TextMetadata``. Plain functions, no Django:
the importers (import_texts, the .docx import) put the fields on the page.

Where each field comes from — and a field the text does not give stays empty, never guessed:

- ``history``: the amendment block of a law (``lib.lawtext`` gives its lines: the corpus format
  "1996年3月17日 第八届全国人民代表大会第四次会议通过" one event a line, or the official
  "（1996年3月17日第八届全国人民代表大会第四次会议通过　根据2009年8月27日…修正　2021年1月22日…修订）"),
  one ``Event`` per date: its kind (通过, 批准, 公布, 施行, 修正, 修订), the organ it names and
  the 令号 it cites. The kind is read outside the titles it quotes: "《关于修订〈…〉的决定》第一次修正"
  is a 修正, "通过的《中华人民共和国刑法修正案》" too.
- ``issuer`` (制定机关 / 发文机关): the organ of the last 通过 or 修订 (which adopt the whole text),
  else of a 公布/发布; for a 公文 its 版头 (发文机关标志, "…文件" dropped) or 落款; else the organ
  a title names ("最高人民法院关于…的规定").
- ``doc_number`` (发文字号): a 公文's 版头; for a regulation the 令号 of the event that made its
  current version ("2019年10月11日 中华人民共和国国务院令第721号公布").
- ``written_date`` (成文日期): a 公文's 落款 date, written 二〇一八年三月一日 or 2018年3月1日.
- ``publish_date`` (公布日期): a 公文's 印发 date (版记 "2018年3月2日印发"); for a law the last
  公布/发布 in its history, if no later event changed the text.
- ``version_date``: ``(YYYY-MM-DD)`` in the file name, else the date of the last event that made or
  changed the text (通过, 批准, 公布, 修正, 修订): the date of the text as it stands.
- ``effective_date`` (施行日期): the last 施行 in the history; else the text's own clause
  "本法自2021年7月15日起施行" (outside quotations: an amendment decision quotes new articles);
  "自公布之日起施行" gives the 公布/印发 date when the text states it.
- ``rank`` (效力位阶, a key of ``RANKS``): from the issuer — 全国人民代表大会(常务委员会) 法律,
  国务院 (or 国务院批准) 行政法规, a local 人民代表大会 地方性法规, 最高人民法院/最高人民检察院 司法解释,
  a 令 of a ministry or 人民政府 规章, a 公文 of an administrative organ 规范性文件 — or, with no
  issuer, from the title as the 立法法 names documents (中华人民共和国…法, …条例).

Lines "发文字号: …", "发布机构: …", "成文日期: 2018-03-12" in the history block (the demo's own
format) are read as what they say.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from lib.docnumber import DocNumberError, normalize_doc_number
from lib.lawtext import Article, Division, Document, Passage, Provision, cn_to_int, parse_document

__all__ = ["DOCUMENT_FORMS", "EVENT_KINDS", "RANKS", "Event", "TextMetadata", "document_form", "file_date",
           "parse_cn_date", "parse_history", "read_metadata"]

# 效力位阶: the keys are portal.models.regulations.RegulationKind values.
RANKS = {
    "constitution": "宪法", "law": "法律", "admin_regulation": "行政法规", "local_regulation": "地方性法规",
    "rule": "规章", "judicial": "司法解释", "normative": "规范性文件",
}
EVENT_KINDS = ("通过", "批准", "公布", "施行", "修正", "修订")
# 文件类别: the 15 公文种类 of the 党政机关公文处理工作条例, as a title ends with them; 命令 and 令 are one kind.
DOCUMENT_FORMS = ("决议", "决定", "命令", "令", "公报", "公告", "通告", "意见", "通知", "通报", "报告", "请示", "批复",
                  "议案", "函", "纪要")
_TRAILING_NOTE = re.compile(r"\s*[（(][^（）()]*[)）]\s*$")  # （试行）, （2018年修订）, （征求意见稿）
MIN_YEAR, MAX_YEAR = 1900, 2100

_YEAR_DIGITS = str.maketrans("〇○零一二三四五六七八九０１２３４５６７８９", "0001234567890123456789")
_CN_DATE = r"[0-9０-９〇○零一二三四五六七八九]{4}\s*年\s*[0-9０-９一二三四五六七八九十]{1,3}\s*月\s*[0-9０-９一二三四五六七八九十]{1,3}\s*日"
_DATE_RE = re.compile(_CN_DATE)
_ISO_DATE_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_FILE_DATE_RE = re.compile(r"[(（](\d{4}-\d{2}-\d{2})[)）]")
# An event starts at a date at the start of the block, after a space, a bracket, a comma or 根据 —
# not after 经 or 的 ("通过并经2020年1月15日…批准", "批准的2010年10月29日…决定").
_EVENT_START_RE = re.compile(rf"(?:^|(?<=[\s（(，,；;])|(?<=根据))(?={_CN_DATE})")
_QUOTED_TITLE_RE = re.compile(r"《[^《》]*》")
_KEY_VALUE_RE = re.compile(
    r"^(发文字号|文号|发布机构|发文机关|制定机关|成文日期|发布日期|公布日期|生效日期|施行日期|实施日期)\s*[:：]\s*(.+)$")
_DECREE_RE = re.compile(r"((?:中华人民共和国)?[\u4e00-\u9fff]{1,20}?令)\s*第\s*([0-9０-９零〇一二两三四五六七八九十百千]+)\s*号")
_DOC_NUMBER_RE = re.compile(
    r"[\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z0-9]{0,14}[〔\[［(（【﹝〖][0-9０-９]{4}[〕\]］)）】﹞〗]第?[0-9０-９]+号")
_ORDINAL_RE = re.compile(r"(第[一二三四五六七八九十]+次)?(修正|修订)")
# Where the organ named after an event's date ends.
_VERBS_RE = re.compile(r"《|审议|通过|批准|公布|发布|颁布|修正|修订|施行|印发")
_TERM_RE = re.compile(r"第[0-9０-９零〇一二三四五六七八九十百]+届")
_ORGAN_END_RE = re.compile(
    r"第[0-9０-９零〇一二三四五六七八九十百千]+(?:次|号)|令|公告|审判委员会|检察委员会|部长办公会议|主任办公会议|常务会议|会议")
# The last character of an organ's name: 全国人民代表大会, 国务院, 公安部, 市场监督管理总局, 海关总署, 人民银行 …
_ORGAN_SUFFIX_RE = re.compile(r"[会院部局署厅委办室府行处所]$")
_NPC = ("全国人民代表大会", "全国人民代表大会常务委员会")
_LOCAL_CONGRESS_RE = re.compile(r"^.{2,20}?(?:省|市|自治区|自治州|自治县|县|区|盟|旗)人民代表大会(?:常务委员会)?$")
_PROVINCES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建", "江西",
    "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海", "台湾",
    "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门")
_PLACE_TITLE_RE = re.compile(
    rf"^(?:(?:{'|'.join(_PROVINCES)})(?:省|市|自治区|壮族自治区|回族自治区|维吾尔自治区|特别行政区)?"
    r"|[^\s市县区]{2,3}市|[\u4e00-\u9fff]{2,10}?自治[州县])")
_MINISTRY_RE = re.compile(r"(?:部|总局|局|署|委员会|银行|总署)$")
_ADMIN_ORGAN_RE = re.compile(r"(?:人民政府|政府|办公室|办公厅|局|委员会|部|厅|委|办|署|中心|管委会|街道办事处)$")
_EFFECTIVE_ON_DATE_RE = re.compile(rf"本[^，。；：、\s“”]{{0,20}}?自\s*({_CN_DATE})\s*起\s*(?:施行|实施|执行|生效|试行)")
_EFFECTIVE_ON_PUBLICATION_RE = re.compile(
    r"本[^，。；：、\s“”]{0,20}?自(公布|发布|颁布|印发)之日起\s*(?:施行|实施|执行|生效|试行)")
_QUOTE_SPAN_RE = re.compile(r"“[^“”]*”|「[^「」]*」|『[^『』]*』")


def document_form(title: str) -> str:
    """Return the 公文种类 a title ends with ("…的实施意见" → "意见", "…的复函" → "函", a 令 → "命令（令）"),
    or "" when it names none (a law, a 条例, a 办法): the 文件类别 of the metadata block, read, never guessed."""
    text = (title or "").strip()
    while _TRAILING_NOTE.search(text):
        text = _TRAILING_NOTE.sub("", text)
    for form in sorted(DOCUMENT_FORMS, key=len, reverse=True):
        if text.endswith(form):
            return "命令（令）" if form in ("命令", "令") else form
    return ""


def parse_cn_date(text: str) -> datetime.date | None:
    """Return the date written 2018年3月1日, 二〇一八年三月一日, ２０１８年３月１日 or 2018-03-01, else None.

    Years outside 1900–2100 and impossible days (2月30日) give None.
    """
    squashed = re.sub(r"\s+", "", text or "")
    m = re.fullmatch(r"(.{4})年(.{1,3})月(.{1,3})日", squashed)
    try:
        if m:
            year = int(m.group(1).translate(_YEAR_DIGITS))
            month, day = cn_to_int(m.group(2)), cn_to_int(m.group(3))
        else:
            iso = _ISO_DATE_RE.fullmatch(squashed)
            if not iso:
                return None
            year, month, day = (int(x) for x in iso.groups())
        if not MIN_YEAR <= year <= MAX_YEAR:
            return None
        return datetime.date(year, month, day)
    except ValueError:
        return None


def file_date(filename: str) -> datetime.date | None:
    """Return the version date a file name gives: "行政处罚法(2021-01-22).md" -> 2021-01-22, else None."""
    m = _FILE_DATE_RE.search(filename or "")
    return parse_cn_date(m.group(1)) if m else None


@dataclass
class Event:
    """One dated entry of a law's amendment block: "2009年8月27日 第十一届…常务委员会…第一次修正"."""

    date: datetime.date | None
    kind: str  # one of EVENT_KINDS, or "" when the entry names none
    text: str  # as written, spaces normalised
    organ: str = ""  # the organ it names: 全国人民代表大会常务委员会, 国务院 …
    decree: str = ""  # the 令号 it cites, normalised: 中华人民共和国国务院令第722号
    label: str = ""  # 第一次修正, 修订 … for amendments; the kind otherwise
    also_effective: bool = False  # "公告公布施行": published and in force that day

    def as_dict(self) -> dict:
        """Return a JSON-safe dict (the date as YYYY-MM-DD, or None)."""
        return {"date": self.date.isoformat() if self.date else None, "kind": self.kind, "label": self.label,
                "organ": self.organ, "text": self.text}


@dataclass
class TextMetadata:
    """What a text says about itself; every field is empty when the text does not say it."""

    title: str = ""
    issuer: str = ""
    doc_number: str = ""
    written_date: datetime.date | None = None
    publish_date: datetime.date | None = None
    effective_date: datetime.date | None = None
    version_date: datetime.date | None = None
    rank: str = ""  # a key of RANKS
    history: list[Event] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def rank_label(self) -> str:
        return RANKS.get(self.rank, "")

    @property
    def amendments(self) -> list[Event]:
        """Return the 修正 and 修订 events, in order."""
        return [e for e in self.history if e.kind in ("修正", "修订")]

    def history_dicts(self) -> list[dict]:
        return [event.as_dict() for event in self.history]


# ---------------------------------------------------------------- the amendment block
def _outside_titles(text: str) -> str:
    """Return the text without the titles it quotes: 《…》 (with their 〈…〉 inside), even when not closed."""
    out = _QUOTED_TITLE_RE.sub("", text)
    if "《" in out:  # a title left open: what follows it is the title, up to a closing 》 if any
        head, _, tail = out.partition("《")
        out = head + (tail.rsplit("》", 1)[1] if "》" in tail else "")
    return out


def _kind(text: str) -> tuple[str, bool]:
    """Return (kind, also in force that day) of an event's text."""
    outside = _outside_titles(text)
    if "通过的《" in text or "修正" in outside or ("修正案" in text and "修订" not in outside):
        return "修正", False
    if "修订" in outside:
        return "修订", False
    if "通过" in outside:
        return "通过", False
    if "批准" in outside:
        return "批准", False
    if re.search(r"公布|发布|颁布", outside):
        return "公布", "施行" in outside
    if "施行" in outside or "实施" in outside:
        return "施行", False
    return "", False


def _clean_organ(organ: str) -> str:
    organ = re.sub(r"\s+", "", organ).strip("，,、；;：:（）()")
    if organ.startswith("中华人民共和国") and len(organ) > len("中华人民共和国"):
        organ = organ[len("中华人民共和国"):]
    return organ if organ and len(organ) <= 40 and _ORGAN_SUFFIX_RE.search(organ) else ""


def _organ(rest: str) -> str:
    """Return the organ an event names after its date: "第八届全国人民代表大会第四次会议通过" -> 全国人民代表大会."""
    rest = re.sub(r"\s+", "", rest)
    if rest.startswith("《"):  # "《国务院关于废止和修改部分行政法规的决定》第一次修订"
        m = re.match(r"《([^《》〈]{2,30}?)关于", rest)
        return _clean_organ(m.group(1)) if m else ""
    head = _VERBS_RE.split(rest, 1)[0]
    head = _TERM_RE.sub("", head)
    head = _ORGAN_END_RE.split(head, 1)[0]
    return _clean_organ(head)


def _decree(text: str) -> str:
    m = _DECREE_RE.search(re.sub(r"\s+", "", text))
    if not m:
        return ""
    try:
        return normalize_doc_number(f"{m.group(1)}第{m.group(2)}号")
    except DocNumberError:
        return ""


def _event(text: str) -> Event:
    text = re.sub(r"\s+", " ", text).strip().rstrip("，,；;。、 ")
    text = re.sub(r"\s*根据$", "", text).strip()
    m = _DATE_RE.match(text)
    day = parse_cn_date(m.group(0)) if m else None
    rest = text[m.end():] if m else text
    kind, effective = _kind(rest)
    ordinal = _ORDINAL_RE.search(_outside_titles(rest)) if kind in ("修正", "修订") else None
    label = (ordinal.group(1) or "") + kind if ordinal else kind
    return Event(date=day, kind=kind, text=text, organ=_organ(rest), decree=_decree(rest), label=label,
                 also_effective=effective)


def _unbracket(line: str) -> str:
    """Return a history line without the brackets around the whole block: "（1996年…通过　…修订）"."""
    line = line.strip()
    if line[:1] in "（(":
        line = line[1:]
    if line[-1:] in "）)" and line.count("（") + line.count("(") < line.count("）") + line.count(")"):
        line = line[:-1]
    return line


def parse_history(lines: list[str]) -> tuple[list[Event], dict[str, str]]:
    """Return (events, key-value lines) of an amendment block's lines.

    A line that starts without a date continues the event before it (a title broken over two
    lines); text before the first date is no event.
    """
    values: dict[str, str] = {}
    kept = []
    for line in lines:
        kv = _KEY_VALUE_RE.match(line.strip())
        if kv:
            values.setdefault(kv.group(1), kv.group(2).strip())
        else:
            kept.append(_unbracket(line))
    block = ""
    for line in kept:
        if not line:
            continue
        # A line not starting with a date continues the last one, without a break ("…〈土地管理法〉\n〈…〉的决定》").
        block += ("\n" if _DATE_RE.match(line) else "") + line
    starts = [m.start() for m in _EVENT_START_RE.finditer(block)]
    events = []
    for begin, end in zip(starts, [*starts[1:], len(block)][:len(starts)], strict=True):
        piece = block[begin:end].strip()
        if piece:
            events.append(_event(piece))
    return events, values


# ---------------------------------------------------------------- 公文 header and 落款
def _passages(doc: Document, *roles: str, back: bool | None = None) -> list[str]:
    pool = (doc.front if back is not True else []) + (doc.back if back is not False else [])
    return [p.text for p in pool if p.role in roles]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def _header_issuer(doc: Document) -> str:
    names = [re.sub(r"文件$", "", _squash(t)) for t in _passages(doc, "issuer", back=False)]
    names = [n for n in names if n]
    return "、".join(names)[:100]


def _signature_issuer(doc: Document) -> str:
    """Return the 落款 organs (joint documents sign with several), up to the first date after them."""
    names = []
    for passage in doc.back:
        if passage.role == "signature":
            names.append(_squash(passage.text))
        elif names and passage.role == "date":
            break
    names = [n for n in names if _ORGAN_SUFFIX_RE.search(n)]
    return "、".join(names)[:100]


def _title_issuer(title: str) -> str:
    """Return the organ a title names before 关于: "最高人民法院关于…的规定" -> 最高人民法院."""
    head, found, _ = _squash(title).partition("关于")
    return _clean_organ(head) if found and 2 <= len(head) <= 40 else ""


def _first_date(texts: list[str]) -> datetime.date | None:
    for text in texts:
        m = _DATE_RE.search(text)
        if m and (day := parse_cn_date(m.group(0))):
            return day
    return None


def _doc_number(texts: list[str], notices: list[str]) -> str:
    for text in texts:
        m = _DOC_NUMBER_RE.search(_squash(text)) or _DECREE_RE.search(_squash(text))
        if not m:
            continue
        raw = m.group(0)
        try:
            return normalize_doc_number(raw)
        except DocNumberError as exc:
            notices.append(f"发文字号“{raw}”格式不规范，未读取：{exc}")
    return ""


# ---------------------------------------------------------------- the body's own clauses
def _body_lines(nodes) -> list[str]:
    lines: list[str] = []
    for node in nodes:
        if isinstance(node, Article):
            lines += node.paragraphs
        elif isinstance(node, Division):
            lines += node.paragraphs
            lines += _body_lines(node.children)
        elif isinstance(node, Provision):
            lines += ([node.title] if node.title else []) + node.paragraphs
            lines += _body_lines(node.children)
        elif isinstance(node, Passage):
            lines.append(node.text)
    return lines


def _unquoted(line: str) -> str:
    """Return a line without what it quotes: an amendment decision quotes the new articles it writes."""
    line = line.strip()
    if line[:1] in "“「『\"":
        return ""
    return _QUOTE_SPAN_RE.sub("", line).split("“", 1)[0]


def _effective_clause(doc: Document) -> tuple[datetime.date | None, bool]:
    """Return (date, on publication) of the text's last "本…自…起施行" clause outside quotations."""
    found: tuple[datetime.date | None, bool] = (None, False)
    for line in doc.preamble + _body_lines(doc.children):
        text = _unquoted(line)
        for m in _EFFECTIVE_ON_DATE_RE.finditer(text):
            if day := parse_cn_date(m.group(1)):
                found = (day, False)
        if _EFFECTIVE_ON_PUBLICATION_RE.search(text):
            found = (None, True)
    return found


# ---------------------------------------------------------------- 效力位阶
def _rank(meta: TextMetadata, doc: Document) -> str:
    title = _squash(meta.title)
    if re.fullmatch(r"(?:中华人民共和国)?宪法(?:修正案.*)?", title):
        return "constitution"
    issuer = meta.issuer
    decree = meta.doc_number if "令第" in meta.doc_number and "主席令" not in meta.doc_number else ""
    if issuer in _NPC:
        return "law"
    if issuer.startswith(("最高人民法院", "最高人民检察院")):
        return "judicial"
    by_state_council = any(e.organ == "国务院" and e.kind in ("通过", "批准", "修订", "公布") for e in meta.history)
    if by_state_council or "国务院令" in decree:
        return "admin_regulation"  # 国务院 adopted, approved or promulgated it (a ministry may publish it)
    if issuer == "国务院":
        return "admin_regulation" if doc.kind == "law" else "normative"  # 国务院关于…的通知 is no 行政法规
    if _LOCAL_CONGRESS_RE.match(issuer):
        return "local_regulation"
    if issuer and decree:
        return "rule"  # a 部门规章 or 地方政府规章 is promulgated by 令
    national = not _PLACE_TITLE_RE.match(issuer) and not issuer.endswith("人民政府")
    if issuer and doc.kind == "law" and national and _MINISTRY_RE.search(issuer):
        return "rule"  # 公安部部长办公会议通过
    if issuer and _ADMIN_ORGAN_RE.search(issuer):
        return "normative"
    if not issuer:
        if title.startswith("中华人民共和国") and title.endswith("法"):
            return "law"
        if title.endswith(("条例", "条例（试行）", "条例（暂行）")):
            if _PLACE_TITLE_RE.match(title):
                return "local_regulation"
            if not title.startswith("中华人民共和国"):
                return "admin_regulation"
    return ""


# ---------------------------------------------------------------- all together
def _making(events: list[Event]) -> list[Event]:
    """Return the events that made or changed the text (not its 施行 alone), in order."""
    return [e for e in events if e.kind in ("通过", "批准", "公布", "修正", "修订") and e.date]


def read_metadata(source: Document | str, filename: str = "") -> TextMetadata:
    """Return the metadata a text gives about itself (see the module docstring); empty where it says nothing.

    ``source``: a parsed ``lib.lawtext.Document`` or the text itself; ``filename``: the file it came
    from, for the ``(YYYY-MM-DD)`` version date. Never raises for a text ``parse_document`` accepts.
    """
    doc = parse_document(source) if isinstance(source, str) else source
    meta = TextMetadata(title=doc.title)
    events, values = parse_history(doc.history)
    meta.history = events
    making = _making(events)
    gongwen = doc.kind != "law"

    # 制定机关 / 发文机关
    adopted = [e for e in making if e.kind in ("通过", "修订") and e.organ]
    published = [e for e in making if e.kind == "公布" and e.organ]
    meta.issuer = (adopted[-1].organ if adopted else published[-1].organ if published else "")
    if not meta.issuer:
        meta.issuer = next((_clean_organ(values[k]) or values[k][:100] for k in ("制定机关", "发文机关", "发布机构")
                            if k in values), "")
    if not meta.issuer and gongwen:
        meta.issuer = _header_issuer(doc) or _signature_issuer(doc)
    if not meta.issuer:
        meta.issuer = _title_issuer(doc.title)
    if not meta.issuer:  # a law without history: its header or 落款, as for a 公文
        meta.issuer = _header_issuer(doc) or _signature_issuer(doc)

    # 发文字号
    if "发文字号" in values or "文号" in values:
        meta.doc_number = _doc_number([values.get("发文字号") or values["文号"]], meta.notices)
    if not meta.doc_number:
        meta.doc_number = _doc_number(_passages(doc, "doc_number", back=False), meta.notices)
    # A file dated after the last event of its history holds a later version than the history tells
    # of: the 令号 and 公布 date of that last event are an older version's.
    meta.version_date = file_date(filename)
    current = making if not (making and meta.version_date and meta.version_date > making[-1].date) else []
    if not meta.doc_number and current and current[-1].decree:
        meta.doc_number = current[-1].decree

    # dates
    meta.written_date = parse_cn_date(values.get("成文日期", "")) or _first_date(_passages(doc, "date", back=True))
    meta.publish_date = parse_cn_date(values.get("发布日期") or values.get("公布日期") or "")
    if meta.publish_date is None:
        printed = _first_date(_passages(doc, "printed", back=True))
        if printed:
            meta.publish_date = printed
        elif current and current[-1].kind == "公布":
            meta.publish_date = current[-1].date
    if meta.version_date is None and making:
        meta.version_date = making[-1].date
    meta.effective_date = parse_cn_date(values.get("生效日期") or values.get("施行日期") or values.get("实施日期") or "")
    if meta.effective_date is None:
        in_force = [e for e in events if e.date and (e.kind == "施行" or e.also_effective)]
        if in_force:
            meta.effective_date = in_force[-1].date
    if meta.effective_date is None:
        day, on_publication = _effective_clause(doc)
        meta.effective_date = day or (meta.publish_date if on_publication else None)

    meta.rank = _rank(meta, doc)
    return meta
