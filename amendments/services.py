"""法规更新 as plain functions: record what a new version did to the citations of it, tell the owners, fix.

- ``record_new_version(page, revision)``: called when a RegulationPage is published. Compares the
  version made live with the one published before it (``archive.versions``, Wagtail revisions with
  their publish log entries); if the text differs, or the document became 已废止, stores a pending
  ``Amendment``. Its publication shares the 更新情况 (二（四）5（1）): ``sharing.deadlines`` counts it on the
  owning department's sharing clock, from ``update_formed_date``.
- ``compute_pending()`` (the scheduler's job ``amendment_impacts``, every minute): for each pending
  amendment one ``CitationImpact`` per citing place (citation index, ``citations.models``) of a
  provision changed, renumbered or repealed, and the owners told (``notify_owners``).
- ``notify_owners(amendment)``: one 抄告 (Notification + queued e-mail) per owning department's
  liaison, listing that department's affected documents with the 修改前后对照 of each cited provision.
  A liaison is only told of documents ``can_view`` lets them see, and only of a law or 公文 they may see.
- ``apply_renumbering(impact, user)``: a renumbered citation rewritten in the citing document's latest
  draft, saved as a new revision (its own workflow publishes it); nothing is published.
- ``mark_reviewed(impact, user, note)``: a changed or repealed citation reviewed, with a note.
- ``visible_impacts(user)``: the impacts whose citing document the user may see (portal.walls).
"""
from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, Revision

from amendments.models import Amendment, CitationImpact
from archive.versions import published_revision_ids, regulation_text
from citations.models import Citation
from jobs.mail import queue_mail
from lib.align import compare_laws
from lib.impact import citation_status, provision_changes, renumber_citation_text, repealed_law_status
from lib.lawtext import LawTextError
from portal.models import Department, DiscretionStandardPage, RegulationPage, Validity, WorkflowPage
from portal.models.enforcement import EnforcementRecordPage
from portal.models.metadata import SharedInfoPage
from portal.models.sharing import Notification
from portal.walls.access import can_view, is_staff_member, visible_q
from portal.walls.permissions import owned_pages, user_department_id

SUBJECT_PREFIX = "【法规更新】"
NOTE_REQUIRED = "请填写审核说明：说明经核对后该引用如何处理。"
ONLY_RENUMBERED = "只有条号已变更的引用可以一键更新；条文已修改或已废止的引用请核对后标记为已审核。"
NOT_ALLOWED = "您无权修改该文件。"
TEXT_GONE = "引用原文已不在该文件的最新版本中，请打开文件手工核对。"
ALREADY_HANDLED = "该引用已处理。"
INVALID_DRAFT = "该文件的最新版本未通过校验，无法自动更新引用，请打开文件修改："


class AmendmentError(Exception):
    """A request that cannot be carried out; the message (Chinese) says why, and nothing was changed."""


def previous_published_revision(page, revision) -> Revision | None:
    """Return the revision published before ``revision`` (the one made live now), or None."""
    ids = [pk for pk in published_revision_ids(page) if pk != revision.pk]
    return Revision.page_revisions.filter(pk=ids[-1]).first() if ids else None


def _text_of(revision_or_page) -> str:
    return regulation_text(revision_or_page)


def record_new_version(page, revision) -> Amendment | None:
    """Record that the version of ``page`` (a RegulationPage) just made live may change what others cite; return
    the pending Amendment, or None (first publication, same text, same validity). The scheduler's job
    ``compute_pending`` works out the impacts and tells the owners, so that publishing never waits for it."""
    page = page.specific
    if not isinstance(page, RegulationPage) or revision is None:
        return None
    previous = previous_published_revision(page, revision)
    if previous is None:
        return None
    old = previous.as_object()
    repealed = page.validity == Validity.ABOLISHED and getattr(old, "validity", "") != Validity.ABOLISHED
    if _text_of(old) == _text_of(page) and not repealed:
        return None
    return Amendment.objects.create(law=page, title=page.title[:255], old_revision=previous, new_revision=revision,
                                    repealed=repealed, formed_date=update_formed_date(page, old, previous))


def update_formed_date(page, old, previous: Revision):
    """Return the 信息形成日期 of the 更新情况 a new version shares (二（四）5（1）): the new version's own if its
    editor moved it past the old version's, else the day the new version was begun (its first revision saved
    after the previous publication; the sharing clock of 二（四）5 runs from then to the publication)."""
    if page.formed_date and old.formed_date and page.formed_date > old.formed_date:
        return page.formed_date
    first = page.revisions.filter(pk__gt=previous.pk).order_by("pk").first()
    return timezone.localdate(first.created_at if first else timezone.now())


def _changes(amendment: Amendment):
    """Return the provision changes between the amendment's two versions (None if a version is gone or empty)."""
    if not (amendment.old_revision_id and amendment.new_revision_id):
        return None
    try:
        return provision_changes(compare_laws(_text_of(amendment.old_revision), _text_of(amendment.new_revision)))
    except LawTextError:
        return None


@transaction.atomic
def compute_impacts(amendment: Amendment) -> int:
    """Store one CitationImpact per citing place of a changed, renumbered or repealed provision of the amendment's
    law, tell the owners, mark the amendment computed; return how many impacts."""
    changes = _changes(amendment)
    rows = (Citation.objects.filter(cited_page_id=amendment.law_id).exclude(citing_page_id=amendment.law_id)
            .order_by("citing_page_id", "position"))
    owners = {p.pk: p.department_id for p in Page.objects.filter(pk__in={r.citing_page_id for r in rows})
              .specific() if hasattr(p, "department_id")}
    impacts = []
    for row in rows:
        if amendment.repealed:
            impact = repealed_law_status(changes, row.cited_place)
        elif changes is None:
            continue
        else:
            impact = citation_status(changes, row.cited_place)
        if impact is None:
            continue
        impacts.append(CitationImpact(
            amendment=amendment, citing_page_id=row.citing_page_id, department_id=owners.get(row.citing_page_id),
            place=row.place, place_label=row.place_label, citation_text=row.text, cited_place=row.cited_place,
            status=impact.status, new_place=impact.new_place[:100], old_text=impact.old_text,
            new_text=impact.new_text))
    CitationImpact.objects.bulk_create(impacts)
    amendment.counts = changes.counts() if changes else {}
    amendment.computed_at = timezone.now()
    amendment.save(update_fields=["counts", "computed_at"])
    notify_owners(amendment)
    return len(impacts)


def compute_pending() -> str:
    """The scheduler's job: the impacts of every new version not yet worked out; return a line in Chinese."""
    done = impacts = 0
    for amendment in Amendment.objects.filter(computed_at=None).order_by("created_at", "pk"):
        impacts += compute_impacts(amendment)
        done += 1
    if not done:
        return "没有待计算的法规更新。"
    return f"已计算 {done} 个法规新版本的影响：受影响的引用 {impacts} 处，已通知所属部门的信息联络员。"


def _absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def comparison_url(amendment: Amendment) -> str:
    """Return the 修订对照 of the two versions (archive, for whoever may see the law), or the law's versions."""
    url = reverse("archive:version_compare", args=[amendment.law_id])
    if amendment.old_revision_id and amendment.new_revision_id:
        return f"{url}?from={amendment.old_revision_id}&to={amendment.new_revision_id}"
    return reverse("archive:version_list", args=[amendment.law_id])


def _indent(text: str) -> str:
    return "\n".join(f"      {line}" for line in (text or "（无）").splitlines())


def department_message(amendment: Amendment, impacts: list[CitationImpact], titles: dict[int, str]) -> str:
    """Return the text of one department's notification: its affected documents, each citation with its 对照."""
    what = "已整体废止" if amendment.repealed else "发布了新版本"
    lines = [f"《{amendment.title}》{what}，本部门以下文件引用的条文受到影响：", ""]
    by_page: dict[int, list[CitationImpact]] = defaultdict(list)
    for impact in impacts:
        by_page[impact.citing_page_id].append(impact)
    for page_id, items in by_page.items():
        lines.append(f"■ {titles[page_id]}")
        for impact in items:
            lines.append(f"  · {impact.place_label}：{impact.citation_text} —— {impact.status_label}")
            lines.append("    修改前：")
            lines.append(_indent(impact.old_text))
            if impact.status != CitationImpact.Status.REPEALED:
                lines.append(f"    修改后（{impact.new_place}）：")
                lines.append(_indent(impact.new_text))
        lines.append("")
    lines.append(f"修改前后对照：{_absolute(comparison_url(amendment))}")
    lines.append(f"处理受影响的引用：{_absolute(reverse('amendments_admin:detail', args=[amendment.pk]))}")
    return "\n".join(lines)


def notify_owners(amendment: Amendment) -> int:
    """Tell each owning department's liaisons (one notification each) of their affected documents; return how many."""
    impacts = list(amendment.impacts.order_by("citing_page_id", "pk"))
    pages = {p.pk: p for p in Page.objects.filter(pk__in={i.citing_page_id for i in impacts}).specific()}
    by_department: dict[int, list[CitationImpact]] = defaultdict(list)
    for impact in impacts:
        if impact.department_id:
            by_department[impact.department_id].append(impact)
    law = amendment.law.specific
    told = 0
    for department in Department.objects.filter(pk__in=by_department).order_by("sort_order", "pk"):
        for user in department.liaisons.filter(is_active=True).order_by("pk"):
            if not can_view(user, law):
                continue  # its 修改前后对照 is of a document they may not see (another department's 部门内部 公文)
            mine = [i for i in by_department[department.pk] if can_view(user, pages[i.citing_page_id])]
            if not mine:
                continue
            subject = f"{SUBJECT_PREFIX}{amendment.title}：本部门 {len(mine)} 处引用受影响"[:255]
            message = department_message(amendment, mine, {pk: p.title for pk, p in pages.items()})
            Notification.objects.create(recipient=user, kind=Notification.Kind.PUBLISHED, subject=subject,
                                        message=message)
            queue_mail(subject, message, [user.email], kind="法规更新")
            told += 1
    return told


def digest_section(user, department) -> tuple[int, list[str]]:
    """Return (how many, the lines) of the daily reminder's section (``sharing.notifications.send_reminders``)
    listing the impacts on ``department``'s documents still 待处理 that ``user`` may see; (0, []) when none."""
    impacts = [i for i in CitationImpact.objects.filter(department=department, state=CitationImpact.State.OPEN,
                                                        amendment__in=visible_amendments(user))
               .select_related("amendment", "citing_page").order_by("-amendment__created_at", "citing_page_id", "pk")
               if can_view(user, i.citing_page.specific)]
    if not impacts:
        return 0, []
    lines = [f"法规更新：本部门文件引用的条文已修改、条号已变更或已废止，尚待处理（{len(impacts)} 处）："]
    lines += [f"  · {i.citing_page.title}　{i.place_label}：{i.citation_text} —— {i.status_label}"
              f"（《{i.amendment.title}》）" for i in impacts]
    lines += [f"处理（一键更新条号或注明复核意见）：{_absolute(reverse('amendments_admin:index'))}", ""]
    return len(impacts), lines


# --- fixing ------------------------------------------------------------------------------------------

def _replace_in_rows(draft, impact, new_citation) -> bool:
    raw = [dict(block) for block in draft.rows.raw_data]
    for block in raw:
        if impact.place and f"row-{block.get('id', '')}" != impact.place:
            continue
        value = dict(block.get("value") or {})
        for name in ("legal_basis", "penalty_basis"):
            if impact.citation_text in (value.get(name) or ""):
                value[name] = value[name].replace(impact.citation_text, new_citation, 1)
                block["value"] = value
                draft.rows = raw
                return True
    return False


def _replace_in_steps(draft, impact, new_citation) -> bool:
    raw = [dict(block) for block in draft.steps.raw_data]
    for n, block in enumerate(raw, start=1):
        if impact.place and f"step-{n}" != impact.place:
            continue
        value = dict(block.get("value") or {})
        if impact.citation_text in (value.get("basis") or ""):
            value["basis"] = value["basis"].replace(impact.citation_text, new_citation, 1)
            block["value"] = value
            draft.steps = raw
            return True
    return False


def _replace_in_record(draft, impact, new_citation) -> bool:
    for name in draft.detail_fields:
        value = getattr(draft, name, "")
        if isinstance(value, str) and impact.citation_text in value:
            setattr(draft, name, value.replace(impact.citation_text, new_citation, 1))
            return True
    return False


def _replace_in_body(draft, impact, new_citation) -> bool:
    raw = [dict(block) for block in draft.body.raw_data]
    for block in raw:
        value = block.get("value")
        if isinstance(value, dict) and impact.citation_text in (value.get("text") or ""):
            block["value"] = dict(value, text=value["text"].replace(impact.citation_text, new_citation, 1))
            draft.body = raw
            return True
        if isinstance(value, str) and impact.citation_text in value:
            block["value"] = value.replace(impact.citation_text, new_citation, 1)
            draft.body = raw
            return True
    return False


def can_handle(user, impact: CitationImpact) -> bool:
    """Return True when ``user`` may edit the citing document (and so deal with its impact)."""
    page = impact.citing_page
    return bool(user and user.is_authenticated and page.permissions_for_user(user).can_edit())


@transaction.atomic
def apply_renumbering(impact: CitationImpact, user) -> Revision:
    """Rewrite a renumbered citation in the citing document's latest draft; return the revision saved.

    The revision goes through the document's own workflow: it is saved, not published.
    """
    impact = CitationImpact.objects.select_for_update().get(pk=impact.pk)
    if impact.status != CitationImpact.Status.RENUMBERED:
        raise AmendmentError(ONLY_RENUMBERED)
    if impact.state != CitationImpact.State.OPEN:
        raise AmendmentError(ALREADY_HANDLED)
    if not can_handle(user, impact):
        raise AmendmentError(NOT_ALLOWED)
    page = impact.citing_page.specific
    draft = page.get_latest_revision_as_object()
    new_citation = renumber_citation_text(impact.citation_text, impact.cited_place, impact.new_place)
    if isinstance(draft, DiscretionStandardPage):
        done = _replace_in_rows(draft, impact, new_citation)
    elif isinstance(draft, EnforcementRecordPage):
        done = _replace_in_record(draft, impact, new_citation)
    elif isinstance(draft, RegulationPage):
        done = _replace_in_body(draft, impact, new_citation)
    elif isinstance(draft, WorkflowPage):
        done = _replace_in_steps(draft, impact, new_citation)
    else:
        done = False
    if not done or new_citation == impact.citation_text:
        raise AmendmentError(TEXT_GONE)
    try:
        revision = draft.save_revision(user=user, log_action=True)
    except ValidationError as exc:
        raise AmendmentError(INVALID_DRAFT + "；".join(exc.messages)) from exc
    impact.state, impact.revision = CitationImpact.State.UPDATED, revision
    impact.handled_by, impact.handled_at = user, timezone.now()
    impact.note = f"引用已由“{impact.citation_text}”更新为“{new_citation}”，待发布。"
    impact.save(update_fields=["state", "revision", "handled_by", "handled_at", "note"])
    return revision


def can_review(user, impact: CitationImpact) -> bool:
    """Return True when ``user`` may mark an impact reviewed: an editor of the document, or a 信息联络员 of its
    department (the one told)."""
    if can_handle(user, impact):
        return True
    return bool(user and user.is_authenticated and impact.department_id
                and user.liaison_for.filter(pk=impact.department_id).exists())


def mark_reviewed(impact: CitationImpact, user, note: str) -> CitationImpact:
    """Mark a flagged citation reviewed with the editor's note; raise AmendmentError (nothing changed) if not allowed."""
    note = (note or "").strip()
    if not note:
        raise AmendmentError(NOTE_REQUIRED)
    if impact.state == CitationImpact.State.REVIEWED:
        raise AmendmentError(ALREADY_HANDLED)
    if not can_review(user, impact):
        raise AmendmentError(NOT_ALLOWED)
    impact.state, impact.note = CitationImpact.State.REVIEWED, note[:2000]
    impact.handled_by, impact.handled_at = user, timezone.now()
    impact.save(update_fields=["state", "note", "handled_by", "handled_at"])
    return impact


# --- reading -----------------------------------------------------------------------------------------

def visible_amendments(user):
    """Return the Amendment queryset of the laws and 公文 ``user`` may see (their scope, portal.walls.access)."""
    visible = SharedInfoPage.objects.filter(visible_q(user)).values("pk")
    return Amendment.objects.filter(law_id__in=visible)


def visible_impacts(user):
    """Return the CitationImpact queryset the admin shows ``user``: those of citing documents the admin lets
    them open (portal.walls.permissions: a superuser all, staff their own department's), of laws they may see."""
    impacts = CitationImpact.objects.filter(amendment__in=visible_amendments(user))
    if user is not None and user.is_authenticated and user.is_superuser:
        return impacts
    department = user_department_id(user)
    if department is None:
        return impacts.none()
    return impacts.filter(citing_page_id__in=owned_pages(department).values("pk"))


def open_impacts_of(page, user) -> list[CitationImpact]:
    """Return the unhandled impacts on ``page`` for a staff notice (none for a viewer who may not see it)."""
    if not (is_staff_member(user) and can_view(user, page)):
        return []
    return list(CitationImpact.objects.filter(citing_page_id=page.pk, amendment__in=visible_amendments(user))
                .exclude(state=CitationImpact.State.REVIEWED)
                .select_related("amendment").order_by("-amendment__created_at", "pk"))
