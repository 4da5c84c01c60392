"""The citation index: what a published page cites, kept as ``Citation`` rows, and the held documents.

- ``held_index()``: the ``lib.citations.TitleIndex`` of the documents the portal holds (live laws and
  公文, RegulationPage): titles with their short forms and 发文字号, the 现行有效 and newest version
  first. Kept per process while the set of live documents is the same.
- ``rebuild_page(page)``: replace the page's rows by the citations of its live texts (``sources``),
  each resolved to the held document and to the anchor of the cited provision. For a law or 公文
  it then points the rows that cite it (by title or 发文字号, also those written before it was held)
  at its anchors as they are now.
- ``rebuild_all()``: every live page again (``python manage.py rebuild_citations``).

Citations of the citing page itself (本法第十条) are links but no rows: 被引用 names other documents.
"""
from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Count, Max, Q
from wagtail.models import Page

from citations.models import Citation
from citations.sources import anchors_of, sources
from lib.citations import TitleIndex, find_citations, normalize_title, place_anchors, title_aliases
from lib.docnumber import DocNumberError, normalize_doc_number
from portal.models import DiscretionStandardPage, RegulationPage, Validity, WorkflowPage
from portal.models.enforcement import EnforcementRecordPage

_PREFERENCE = {Validity.IN_FORCE: 0, Validity.PENDING: 1, Validity.REVISED: 2, Validity.ABOLISHED: 3}
_memo: dict[str, tuple[tuple, TitleIndex]] = {}


def forget() -> None:
    """Drop the process's title index (a document was published, unpublished, saved or deleted)."""
    _memo.clear()


def _fingerprint() -> tuple:
    agg = RegulationPage.objects.live().aggregate(n=Count("pk"), top=Max("pk"), at=Max("last_published_at"),
                                                  rev=Max("latest_revision_id"))
    return (agg["n"], agg["top"], agg["at"], agg["rev"])


def _order(row) -> tuple:
    pk, _title, _number, validity, *dates = row
    day = next((d for d in dates if d), datetime.date.min)
    return (_PREFERENCE.get(validity, len(_PREFERENCE)), -day.toordinal(), pk)


def held_index() -> TitleIndex:
    """Return the TitleIndex of the live laws and 公文 (page ids as keys); when versions share a
    title, the 现行有效 one, then the newest, resolves."""
    fingerprint = _fingerprint()
    cached = _memo.get("index")
    if cached is not None and cached[0] == fingerprint:
        return cached[1]
    rows = sorted(RegulationPage.objects.live().values_list(
        "pk", "title", "doc_number", "validity", "effective_date", "publish_date", "formed_date"), key=_order)
    index = TitleIndex([(row[1], row[0]) for row in rows], [(row[2], row[0]) for row in rows if row[2]])
    _memo["index"] = (fingerprint, index)
    return index


def lookup_key(cited: str) -> str:
    """Return the key a row finds its document by: the 发文字号 normalised, or the title's shortest form."""
    try:
        number = normalize_doc_number(cited)
    except DocNumberError:
        number = ""
    if number and not cited.startswith("《"):
        return number
    return title_aliases(normalize_title(cited))[-1] if cited.strip() else ""


def page_keys(page) -> set[str]:
    """Return the keys rows written before ``page`` was held find it by."""
    keys = {lookup_key(page.title)}
    if page.doc_number:
        keys.add(lookup_key(page.doc_number))
    return keys - {""}


def anchor_for(anchors: dict[str, str], place: str) -> str | None:
    """Return the anchor a place lands on ("" for the whole document), or None if the document lacks it."""
    if not place:
        return ""
    for candidate in place_anchors(place):
        if candidate in anchors:
            return anchors[candidate]
    return None


def held_anchors(page_ids) -> dict[int, dict[str, str]]:
    """Return {page id: anchors} of live held documents (see sources.anchors_of)."""
    return {pk: anchors_of(body.raw_data)
            for pk, body in RegulationPage.objects.live().filter(pk__in=list(page_ids)).values_list("pk", "body")}


def rows_for(page, index: TitleIndex) -> list[Citation]:
    """Return the (unsaved) rows of what ``page`` (specific) cites, in reading order."""
    found = [(source, c) for source in sources(page)
             for c in find_citations(source.text, index, own_bare=source.own_bare, article=source.article)
             if not c.own and c.key != page.pk]
    anchors = held_anchors({c.key for _source, c in found if c.key is not None})
    rows = []
    for source, c in found:
        anchor = anchor_for(anchors.get(c.key, {}), c.place) if c.key is not None else ""
        rows.append(Citation(
            citing_page_id=page.pk, place=source.place[:100], place_label=source.label[:120], text=c.text[:400],
            cited=c.cited[:300], cited_key=lookup_key(c.cited)[:300], cited_place=c.place[:100],
            cited_page_id=c.key if c.key in anchors else None, cited_anchor=(anchor or "")[:100],
            position=len(rows)))
    return rows


def _refresh_cited(page) -> int:
    """Point the rows that cite ``page`` (a live law or 公文) at its anchors as they are now; return how many changed."""
    anchors = anchors_of(page.body.raw_data)
    rows = Citation.objects.filter(Q(cited_page_id=page.pk) | Q(cited_page=None, cited_key__in=page_keys(page)))
    changed = []
    for row in rows.exclude(citing_page_id=page.pk):
        anchor = anchor_for(anchors, row.cited_place) or ""
        if row.cited_page_id != page.pk or row.cited_anchor != anchor:
            row.cited_page_id, row.cited_anchor = page.pk, anchor
            changed.append(row)
    Citation.objects.bulk_update(changed, ["cited_page", "cited_anchor"])
    return len(changed)


@transaction.atomic
def rebuild_page(page) -> int:
    """Replace the rows of what ``page`` cites by those of its live texts; return how many it has now."""
    page = page.specific
    Citation.objects.filter(citing_page_id=page.pk).delete()
    if not page.live:
        return 0
    rows = rows_for(page, held_index())
    Citation.objects.bulk_create(rows)
    if isinstance(page, RegulationPage):
        _refresh_cited(page)
    return len(rows)


def citing_types() -> tuple[type, ...]:
    return (RegulationPage, DiscretionStandardPage, EnforcementRecordPage, WorkflowPage)


def rebuild_all(progress=None) -> int:
    """Rebuild the rows of every live page that may cite; return how many rows there are.

    ``progress(done, total)`` is called after each page.
    """
    forget()
    index = held_index()
    pages = Page.objects.live().specific().order_by("path")
    total = pages.count()
    with transaction.atomic():
        Citation.objects.all().delete()
        for done, page in enumerate(pages.iterator(chunk_size=200), start=1):
            if isinstance(page, citing_types()):
                Citation.objects.bulk_create(rows_for(page, index))
            if progress is not None:
                progress(done, total)
    return Citation.objects.count()
