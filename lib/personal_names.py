"""Tell a natural person's name from other words: in a search box, after a role word, in a party field.

Masking can only hide a name it knows. A record names its people in three ways, and each has its
rule here:

- a party field (当事人, 申请人/相对人, 检查对象, 投诉人): ``is_organisation_name`` tells a company,
  a shop or an office from a natural person, whose name is then masked wherever the record says it;
- a role word in the text: 举报人程秀兰, 当事人为张三, 经营者：孙立红 — ``names_after_role_words``
  finds the name that follows;
- a term typed into a search box: ``looks_like_person_name`` says whether 程秀兰 is shaped like a
  name (a surname of the 百家姓 and one or two more characters, not a word of the dictionary).

All three decide from the text alone — never from which records exist — so their answers cannot
tell anybody whether a person is named in a record they may not see.

The dictionary is jieba's own (``dict.txt``, the words with their part of speech): a surname-shaped
term that it lists as an ordinary word (高温, 黄金, 方案) is no name; one it lists as a name (nr) is
a word only when it is common (许可 and 王府井 are tagged nr there, with frequencies in the hundreds).
"""
from __future__ import annotations

import functools
import importlib.util
import re
from collections.abc import Container, Iterable
from pathlib import Path

__all__ = ["COMPOUND_SURNAMES", "ROLE_WORDS", "SURNAMES", "is_organisation_name", "looks_like_person_name",
           "names_after_role_words"]

SURNAMES = frozenset(
    "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章云苏潘葛奚范彭郎鲁韦昌马"
    "苗凤花方俞任袁柳酆鲍史唐费廉岑薛雷贺倪汤滕殷罗毕郝邬安常乐于时傅皮卞齐康伍余元卜顾孟平黄和穆萧尹姚邵湛汪"
    "祁毛禹狄米贝明臧计伏成戴谈宋茅庞熊纪舒屈项祝董梁杜阮蓝闵席季麻强贾路娄危江童颜郭梅盛林刁钟徐邱骆高夏蔡田"
    "樊胡凌霍虞万支柯昝管卢莫经房裘缪干解应宗丁宣贲邓郁单杭洪包诸左石崔吉钮龚程嵇邢滑裴陆荣翁荀羊於惠甄曲家封"
    "芮羿储靳汲邴糜松井段富巫乌焦巴弓牧隗山谷车侯宓蓬全郗班仰秋仲伊宫宁仇栾暴甘钭厉戎祖武符刘景詹束龙叶幸司韶"
    "郜黎蓟薄印宿白怀蒲邰从鄂索咸籍赖卓蔺屠蒙池乔阴胥能苍双闻莘党翟谭贡劳逄姬申扶堵冉宰郦雍却璩桑桂濮牛寿通边"
    "扈燕冀郏浦尚农温别庄晏柴瞿阎充慕连茹习宦艾鱼容向古易慎戈廖庾终暨居衡步都耿满弘匡国文寇广禄阙东欧殳沃利蔚"
    "越夔隆师巩厍聂晁勾敖融冷訾辛阚那简饶空曾毋沙乜养鞠须丰巢关蒯相查后荆红游竺权逯盖益桓公覃付肖岳佟迟代"
)
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 令狐 司徒 夏侯 长孙 宇文 轩辕 端木 独孤 南宫 西门 百里 "
    "呼延 闻人 万俟 澹台 公冶 太史 申屠 钟离 宗政 濮阳 淳于 单于 拓跋 第五 左丘 东郭 赫连 司空".split()
)
# Words after which a text names a natural person (the people a record is about; officials and the
# representatives of organisations are named publicly by law and are not in this list).
ROLE_WORDS = (
    "被投诉人", "被举报人", "被申请人", "违法行为人", "犯罪嫌疑人", "委托代理人",
    "当事人", "投诉人", "举报人", "信访人", "申请人", "反映人", "来访人", "来电人", "来信人", "报案人", "求助人",
    "相对人", "受害人", "被害人", "第三人", "监护人", "承租人", "出租人", "行为人", "嫌疑人", "驾驶人", "驾驶员",
    "经营者", "经营户", "业主", "户主", "房主", "车主", "居民", "村民", "市民", "群众", "农民工", "患者", "死者",
)
_ROLE_RE = re.compile("(?:" + "|".join(sorted(ROLE_WORDS, key=len, reverse=True)) + r")[：:\s]*(?:为|是|系)?[：:\s]*"
                      r"([\u4e00-\u9fff]{2,4})")
# A character after which the name is over: 举报人王芳通过… is 王芳, not 王芳通.
_AFTER_NAME = set("通反称于向来到在对等的以因与和及就将并要已被表提诉说讲认投举信申电多所均也又都即则同经现曾自从由为是系"
                  "其了不未无应称拨致打带驾开租买卖住居家户某处罚缴限拒逾违")
# What follows a place or an organisation's name: 周村区…, 张家港…, 李记饭店.
_ORG_TAIL = ("市", "区", "县", "省", "乡", "镇", "州", "村", "街道", "路", "大道", "小区", "花园", "广场", "大厦", "公司",
             "厂", "店", "局", "委", "办", "集团", "有限", "商行", "超市", "餐", "酒", "宾馆", "学校", "医院", "中心",
             "合作社", "项目", "工地")
_ORG_WORDS = re.compile(
    "公司|集团|厂|店|铺|行$|商行|超市|市场|中心|协会|学会|商会|医院|诊所|药房|卫生院|学校|学院|大学|中学|小学|幼儿园|"
    "政府|委员会|局|所$|站$|馆|院$|合作社|工作室|门市|部$|社$|农场|养殖场|酒店|宾馆|饭店|餐厅|家庭农场|项目|工地|"
    "单位|机构|事务所|经营户|个体户|[0-9一二三四五六七八九十]+家|银行|村委|居委|小区|物业|车队|施工队"
)
# Surnames that are also prepositions and conjunctions: 当事人向人民法院…, 经营者和消费者….
_FUNCTION_SURNAMES = set("向和于与对及在将被从经应由为就时都能所以自同并把给")
_COMMON_NR_FREQUENCY = 100  # a word jieba tags as a name but meets this often is a word (许可 623, 王府井 183)
# A given name is seldom a common verb: 第三人代履行 (履行 1684) names nobody; 远航 (155) may be a name.
_COMMON_VERB_FREQUENCY = 500
# Characters that do not occur in a given name: 申请人和被申请人 holds no 和被.
_NOT_IN_GIVEN_NAMES = set("被的了和或等向对与及在将把给并之其")


@functools.cache
def _words() -> tuple[frozenset[int], frozenset[int], frozenset[str]]:
    """Return, read once from jieba's dictionary: its ordinary 2-character words, its common 2-character
    verbs (履行, 执行), and its ordinary 3- and 4-character words that begin with a surname.

    A 2-character word is kept as one int, so the hundred thousand of them take little memory;
    longer words are needed only where they begin with a surname (安全法 is none, 王府井 is).
    """
    # The file only: importing jieba would load its HMM tables as well, which are not needed here.
    path = Path(importlib.util.find_spec("jieba").origin).with_name("dict.txt")
    initials = SURNAMES | {surname[0] for surname in COMPOUND_SURNAMES}
    pairs, verbs, longer = set(), set(), set()
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            parts = line.split()
            if len(parts) != 3 or not 2 <= len(parts[0]) <= 4:
                continue
            word, frequency, tag = parts[0], int(parts[1]), parts[2]
            ordinary = tag != "nr" or frequency >= _COMMON_NR_FREQUENCY
            if len(word) == 2:
                if ordinary:
                    pairs.add(_key(word))
                if tag in ("v", "vn") and frequency >= _COMMON_VERB_FREQUENCY:
                    verbs.add(_key(word))
            elif ordinary and word[0] in initials:
                longer.add(word)
    return frozenset(pairs), frozenset(verbs), frozenset(longer)


def _key(text: str) -> int:
    return ord(text[0]) << 21 | ord(text[1])


def _is_two_character_word(text: str) -> bool:
    return len(text) == 2 and _key(text) in _words()[0]


def _is_common_verb(text: str) -> bool:
    return len(text) == 2 and _key(text) in _words()[1]


def is_common_word(text: str) -> bool:
    """Return True if jieba's dictionary lists ``text`` as an ordinary word (高温, 方案, 许可), not a name.

    Words of 3 and 4 characters are known only when they begin with a surname (the only ones asked about).
    """
    return _is_two_character_word(text) if len(text) == 2 else text in _words()[2]


def _surname_length(text: str) -> int:
    """Return the length of the surname ``text`` starts with (2 for 欧阳…), 0 if it starts with none."""
    if text[:2] in COMPOUND_SURNAMES:
        return 2
    return 1 if text[:1] in SURNAMES else 0


def looks_like_person_name(text: str, known_words: Container[str] = ()) -> bool:
    """Return True if ``text`` is shaped like a Chinese personal name: 程秀兰, 王芳, 欧阳小明.

    A surname, then one or two characters (two or three after a compound surname), made only of
    汉字; not a masked name (张某), not a word of jieba's dictionary or of ``known_words`` (the
    portal's own terms: 行政许可, 卫健委), and not a word followed by a suffix (安全法, 申请书).
    """
    text = (text or "").strip()
    if not re.fullmatch(r"[\u4e00-\u9fff]{2,4}", text) or "某" in text[1:]:
        return False
    surname = _surname_length(text)
    if not surname or not surname + 1 <= len(text) <= surname + 2:
        return False
    if text in known_words or is_common_word(text):
        return False
    # 安全法 = 安全 + 法, 申请书 = 申请 + 书: a word with a suffix. 高明亮 is lost to this, a price paid
    # for not refusing every 3-character word a dictionary lacks.
    if len(text) == 3 and surname == 1 and (is_common_word(text[:2]) or text[:2] in known_words):
        return False
    return not text.endswith(("法", "局", "委", "办", "书", "品", "市", "区", "县", "省", "乡", "镇", "村", "路", "厂",
                              "店", "站", "所", "院", "处", "科", "队", "部", "费", "证", "令", "案", "单", "表", "率"))


def is_organisation_name(name: str) -> bool:
    """Return True if a party's name is a company, shop, office or group rather than a natural person.

    淄博恒岳建筑工程有限公司, 周村区佳惠便利店（经营者：孙立红） (the shop; the operator after
    the role word is found by ``names_after_role_words``), 某初级中学周边12家食品经营户.
    """
    core = re.split(r"[（(]", name or "", maxsplit=1)[0].strip()
    return bool(core) and (bool(_ORG_WORDS.search(core)) or len(core) > 6)


def names_after_role_words(texts: Iterable[str]) -> list[str]:
    """Return the natural persons' names that follow a role word in the texts: 举报人程秀兰 → 程秀兰.

    A name is cut where a character that cannot belong to it follows (举报人王芳通过… → 王芳);
    what continues into a place or an organisation (当事人周村区…) and ordinary words
    (举报人满意, 当事人陈述) are not names. Masked names (张某) are left alone.
    """
    found: dict[str, None] = {}
    for text in texts:
        for match in _ROLE_RE.finditer(text or ""):
            if match.start() and _is_two_character_word(text[match.start() - 1] + text[match.start()]):
                continue  # the role word is the tail of another word: 物业主管部门 holds no 业主
            name = _candidate(match.group(1), text[match.end(1):match.end(1) + 2])
            if name:
                found.setdefault(name, None)
    return list(found)


def _candidate(run: str, following: str) -> str:
    """Return the name at the start of ``run`` (2-4 汉字 after a role word), or "" if it is none."""
    surname = _surname_length(run)
    if not surname or "某" in run[surname:surname + 2]:
        return ""
    if surname == 1 and run[0] in _FUNCTION_SURNAMES and _is_two_character_word(run[1:3]):
        return ""  # 向人民法院, 和消费者: a preposition before a word, not 向 or 和 the surname
    if _NOT_IN_GIVEN_NAMES & set(run[surname:surname + 1]):
        return ""
    shortest = surname + 1
    name = run[:shortest]
    if len(run) > shortest and run[shortest] not in _AFTER_NAME:
        name = run[:shortest + 1]
    rest = run[len(name):] + following
    if rest.startswith(_ORG_TAIL) or run[shortest:].startswith(_ORG_TAIL):
        return ""
    if is_common_word(run[:shortest]) or is_common_word(name):
        return ""
    if len(name) == surname + 2 and _is_common_verb(name[surname:]):
        return ""
    return name
