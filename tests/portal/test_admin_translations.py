"""Our supplementary Simplified Chinese catalogue for the Wagtail admin.

``locale/zh_Hans/LC_MESSAGES/{django,djangojs}.po`` holds the translations that
Wagtail 8.0.1 (and modelsearch / taggit / simple_history / django_filters) leave
untranslated in zh_Hans, plus a few corrections of wrong upstream translations.
It is loaded through ``LOCALE_PATHS`` and so takes precedence over the apps' own
catalogues.

The first group of tests is pure (polib only, no Django settings); the last
group needs the project settings (``portal.settings.test``) but no database.
"""

from __future__ import annotations

import collections
import gettext as gettext_module
import importlib.util
import io
import re
from pathlib import Path

import polib
import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
LOCALE_DIR = BASE_DIR / "locale"
OUR_DIR = LOCALE_DIR / "zh_Hans" / "LC_MESSAGES"
DOMAINS = ("django", "djangojs")

# %(name)s / %s / %d / {name} / {0} / {}
PLACEHOLDER_RE = re.compile(r"%\([^)]+\)[sdif]|%[sdif]|\{[A-Za-z_0-9]*\}")
HTML_TAG_RE = re.compile(r"<[^>]+>")
CJK_RE = re.compile(r"[\u4e00-\u9fff]")


def package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.submodule_search_locations, name
    return Path(list(spec.submodule_search_locations)[0])


def key(entry: polib.POEntry) -> tuple[str, str]:
    return (entry.msgctxt or "", entry.msgid)


def is_translated(entry: polib.POEntry) -> bool:
    if entry.obsolete or entry.fuzzy:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def msgstr_of(entry: polib.POEntry) -> str:
    return entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr


def our_catalogue(domain: str) -> polib.POFile:
    return polib.pofile(str(OUR_DIR / f"{domain}.po"))


def our_translated_keys(domain: str) -> dict[tuple[str, str], str]:
    return {key(e): msgstr_of(e) for e in our_catalogue(domain) if is_translated(e)}


def upstream_untranslated(domain: str) -> dict[str, set[tuple[str, str]]]:
    """{catalogue: keys} of messages the installed packages leave untranslated in zh_Hans.

    For Wagtail (which ships an up-to-date ``en`` catalogue per app) that is every
    msgid of ``en`` that is missing, empty or fuzzy in ``zh_Hans``; for the other
    packages it is every empty/fuzzy zh_Hans entry plus what the ``en`` catalogue
    has beyond it, or, when a package ships no zh_Hans at all, every msgid of a
    catalogue it does ship.
    """
    result: dict[str, set[tuple[str, str]]] = {}
    site = package_dir("wagtail").parent
    wagtail_en = sorted(
        package_dir("wagtail").glob(f"**/locale/en/LC_MESSAGES/{domain}.po")
    )
    assert wagtail_en or domain != "django", "no wagtail en catalogues found"
    for en_path in wagtail_en:
        zh_path = Path(str(en_path).replace("/en/LC_MESSAGES/", "/zh_Hans/LC_MESSAGES/"))
        zh = (
            {key(e): e for e in polib.pofile(str(zh_path))} if zh_path.exists() else {}
        )
        missing = {
            key(e)
            for e in polib.pofile(str(en_path))
            if not e.obsolete and not (key(e) in zh and is_translated(zh[key(e)]))
        }
        result[str(en_path.parent.parent.parent.relative_to(site))] = missing

    if domain == "django":
        for pkg in ("taggit", "simple_history", "django_filters"):
            locale = package_dir(pkg) / "locale"
            zh_path = locale / "zh_Hans" / "LC_MESSAGES" / "django.po"
            en_path = locale / "en" / "LC_MESSAGES" / "django.po"
            if zh_path.exists():
                zh = {key(e): e for e in polib.pofile(str(zh_path)) if not e.obsolete}
                missing = {k for k, e in zh.items() if not is_translated(e)}
                if en_path.exists():
                    missing |= {
                        key(e)
                        for e in polib.pofile(str(en_path))
                        if not e.obsolete and key(e) not in zh
                    }
            else:
                shipped = sorted(locale.glob("*/LC_MESSAGES/django.po"))
                assert shipped, f"{pkg} ships no catalogue at all"
                missing = {
                    key(e) for e in polib.pofile(str(shipped[0])) if not e.obsolete
                }
            result[pkg] = missing
    return result


# --------------------------------------------------------------------------
# Pure tests (polib only)
# --------------------------------------------------------------------------


@pytest.mark.parametrize("domain", DOMAINS)
def test_header(domain):
    po = our_catalogue(domain)
    assert po.metadata["Language"] == "zh_Hans"
    assert po.metadata["Plural-Forms"] == "nplurals=1; plural=0;"
    assert "charset=UTF-8" in po.metadata["Content-Type"]
    assert po.encoding.lower() in ("utf-8", "utf8")


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_upstream_untranslated_msgid_is_translated_here(domain):
    ours = our_translated_keys(domain)
    upstream = upstream_untranslated(domain)
    # Guard against a vacuous pass (e.g. catalogues not found at all).
    assert sum(len(v) for v in upstream.values()) > (100 if domain == "django" else 10)
    missing = {
        catalogue: sorted(msgid for _ctx, msgid in keys - ours.keys())
        for catalogue, keys in upstream.items()
        if keys - ours.keys()
    }
    assert not missing, f"untranslated upstream and missing from our catalogue: {missing}"


def test_strings_without_an_upstream_catalogue_entry_are_translated():
    # modelsearch ships no catalogue at all: these are its only strings.
    # simple_history 3.13 uses these in its source, but its zh_Hans catalogue
    # lacks them and it ships no en catalogue to diff against.
    ours = our_translated_keys("django")
    for msgid in (
        "index entry",
        "index entries",
        "Deleted %(type_name)s",
        "View on site",
        "Changes",
        "entry",
    ):
        assert CJK_RE.search(ours[("", msgid)]), msgid


@pytest.mark.parametrize("domain", DOMAINS)
def test_entries_are_complete_and_well_formed(domain):
    po = our_catalogue(domain)
    assert len(po) > 0
    problems = []
    keys = collections.Counter(key(e) for e in po)
    problems += [f"duplicate entry {k!r}" for k, n in keys.items() if n > 1]
    for e in po:
        if e.obsolete or e.fuzzy:
            problems.append(f"obsolete/fuzzy entry {e.msgid!r}")
            continue
        if e.msgid_plural:
            if set(e.msgstr_plural) != {0}:
                problems.append(f"plural entry must have msgstr[0] only: {e.msgid!r}")
        text = msgstr_of(e)
        if not text.strip():
            problems.append(f"empty msgstr: {e.msgid!r}")
            continue
        # English-only translations are not allowed; a msgstr may lack Chinese
        # only if it is made of placeholders/punctuation or a product name.
        stripped = PLACEHOLDER_RE.sub("", text)
        if re.search(r"[A-Za-z]{3,}", stripped) and not CJK_RE.search(text):
            if not stripped.strip().startswith("Wagtail"):
                problems.append(f"English-only msgstr: {e.msgid!r} -> {text!r}")
    assert not problems, "\n".join(problems)


def _reference_texts(entry: polib.POEntry) -> list[str]:
    # With nplurals=1 msgstr[0] is used for every count, so it follows the
    # plural form of the source (msgfmt --check applies the same rule).
    return [entry.msgid_plural] if entry.msgid_plural else [entry.msgid]


@pytest.mark.parametrize("domain", DOMAINS)
def test_placeholders_match(domain):
    problems = []
    for e in our_catalogue(domain):
        text = msgstr_of(e)
        (ref,) = _reference_texts(e)
        if collections.Counter(PLACEHOLDER_RE.findall(text)) != collections.Counter(
            PLACEHOLDER_RE.findall(ref)
        ):
            problems.append(f"{ref!r} -> {text!r}")
        if e.msgid_plural:
            # every placeholder of the translation must exist in the source
            allowed = set(PLACEHOLDER_RE.findall(e.msgid)) | set(
                PLACEHOLDER_RE.findall(e.msgid_plural)
            )
            if not set(PLACEHOLDER_RE.findall(text)) <= allowed:
                problems.append(f"unknown placeholder in {text!r}")
    assert not problems, "placeholder mismatch:\n" + "\n".join(problems)


@pytest.mark.parametrize("domain", DOMAINS)
def test_html_tags_and_outer_whitespace_match(domain):
    def outer_ws(s: str) -> tuple[str, str]:
        return s[: len(s) - len(s.lstrip())], s[len(s.rstrip()) :]

    problems = []
    for e in our_catalogue(domain):
        text = msgstr_of(e)
        (ref,) = _reference_texts(e)
        if collections.Counter(HTML_TAG_RE.findall(text)) != collections.Counter(
            HTML_TAG_RE.findall(ref)
        ):
            problems.append(f"tags differ: {ref!r} -> {text!r}")
        if outer_ws(text) != outer_ws(ref):
            problems.append(f"leading/trailing whitespace differs: {ref!r} -> {text!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("domain", DOMAINS)
def test_mo_is_up_to_date(domain, tmp_path):
    po_path = OUR_DIR / f"{domain}.po"
    mo_path = OUR_DIR / f"{domain}.mo"
    assert mo_path.exists(), f"{mo_path} missing: run scripts/compile_messages.py"

    compiled = polib.pofile(str(po_path)).to_binary()
    fresh = tmp_path / f"{domain}.mo"
    fresh.write_bytes(compiled)

    def entries(mo: polib.MOFile) -> set:
        return {
            (
                e.msgctxt or "",
                e.msgid,
                e.msgid_plural or "",
                e.msgstr,
                tuple(sorted(e.msgstr_plural.items())),
            )
            for e in mo
        }

    committed_mo = polib.mofile(str(mo_path))
    fresh_mo = polib.mofile(str(fresh))
    assert entries(committed_mo) == entries(fresh_mo), (
        "committed .mo differs from the .po: run scripts/compile_messages.py"
    )
    assert committed_mo.metadata == fresh_mo.metadata

    # And the committed file loads with the stdlib reader Django uses.
    committed = gettext_module.GNUTranslations(io.BytesIO(mo_path.read_bytes()))
    expected = gettext_module.GNUTranslations(io.BytesIO(compiled))
    assert committed._catalog == expected._catalog
    assert committed.ngettext("x", "y", 5) == "y"  # plural formula parses


# --------------------------------------------------------------------------
# Django: the catalogue is picked up at run time (needs settings, no database)
# --------------------------------------------------------------------------

# Strings Wagtail 8.0.1 leaves untranslated in zh_Hans, from screens editors use.
UNTRANSLATED_UPSTREAM = {
    "Schedule to publish": "计划发布",  # page editor action menu
    "Privacy and access": "隐私和访问权限",  # dashboard panels
    "Your pages and snippets in a workflow": "你在工作流中的页面和片段",  # dashboard
    "Search all pages…": "搜索所有页面…",  # dashboard search box
    "Theme preferences": "主题偏好",  # account settings
    "Saving will overwrite a newer version.": "保存将覆盖一个更新的版本。",
}


@pytest.fixture
def zh_hans(settings):
    from django.utils import translation

    assert Path(settings.LOCALE_PATHS[0]).resolve() == LOCALE_DIR.resolve()
    with translation.override("zh-hans"):
        yield translation


def test_untranslated_wagtail_strings_come_back_in_chinese(zh_hans):
    for msgid, expected in UNTRANSLATED_UPSTREAM.items():
        assert zh_hans.gettext(msgid) == expected


def test_page_search_results_heading_is_chinese(zh_hans):
    assert (
        zh_hans.ngettext(
            "There is one matching page", "There are %(counter)s matching pages", 3
        )
        % {"counter": 3}
        == "共有 3 个匹配的页面"
    )

    # The way wagtailadmin/pages/search_results.html renders it.
    from django.template import Context, Template

    template = Template(
        "{% load i18n %}{% blocktrans trimmed with counter=page_count "
        "count counter_val=page_count %}There is one matching page{% plural %}"
        "There are {{ counter }} matching pages{% endblocktrans %}"
    )
    for count in (1, 42):
        html = template.render(Context({"page_count": count}))
        assert html.strip() == f"共有 {count} 个匹配的页面"


def test_other_packages_and_corrections(zh_hans):
    assert zh_hans.gettext("is greater than") == "大于"  # django_filters (no zh_Hans)
    assert zh_hans.gettext("index entries") == "索引条目"  # modelsearch (no catalogue)
    assert zh_hans.gettext("Redo") == "重做"  # upstream had "重复"
    # wagtail.contrib.forms (listed before wagtail.admin) ships the typo "起始日起"
    assert zh_hans.gettext("Date from") == "起始日期"
    assert zh_hans.gettext("Invalid password reset link") == "密码重置链接无效"


def test_js_catalogue_is_chinese(zh_hans):
    # Mirrors django.views.i18n.JavaScriptCatalog(packages=["wagtail.admin"]),
    # which also merges the LOCALE_PATHS catalogues.
    from django.utils.translation.trans_real import DjangoTranslation

    catalog = DjangoTranslation(
        "zh-hans",
        domain="djangojs",
        localedirs=[str(package_dir("wagtail") / "admin" / "locale")],
    )
    assert catalog.gettext("Autosave in progress…") == "正在自动保存…"
    assert catalog.gettext("Insert a block") == "插入区块"
    assert catalog.ngettext("%(num)s error", "%(num)s errors", 2) == "%(num)s 个错误"
    assert catalog.gettext("Loading…") == "正在载入..."  # upstream one still works


def test_without_our_catalogue_wagtail_stays_english(settings):
    """Sanity check that the strings above really are untranslated upstream."""
    from django.utils import translation

    settings.LOCALE_PATHS = []  # setting_changed resets the translation caches
    with translation.override("zh-hans"):
        assert translation.gettext("Schedule to publish") == "Schedule to publish"
        assert (
            translation.ngettext(
                "There is one matching page", "There are %(counter)s matching pages", 3
            )
            == "There are %(counter)s matching pages"
        )
        assert translation.gettext("Publish") == "发布"  # upstream translation
