"""Admin screens of the Word import: upload a .docx, preview what was recognised, create a draft.

The upload never touches the disk: ``MemoryOnlyUploadHandler`` keeps it in memory and stops
reading past 20 MB, so a refused file leaves nothing behind. Between preview and
confirmation the recognised document (text and metadata, not the file) waits in the session.
"""
import io
import uuid

from django import forms
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from wagtail.admin import messages

from archive.recycle import in_recycle_bin
from archive.wordimport.docx import (
    MAX_FILE_BYTES,
    DocxImportError,
    ImportedDocument,
    create_regulation,
    guess_regulation_kind,
    outline,
    parse_docx,
)
from lib.lawtext import LawTextError
from portal import params
from portal.models import CategoryIndexPage, Department, RegulationPage, Scope
from portal.models.metadata import limit_department_to_user
from portal.models.regulations import RegulationKind

SESSION_KEY = "archive_docx_imports"
KEEP_IN_SESSION = 3
TOO_LARGE = f"文件超过 {MAX_FILE_BYTES // 1024 // 1024} MB 上限，请压缩图片或拆分后再上传。"
EXPIRED = "预览已过期或不存在，请重新上传文件。"
UNREADABLE = "无法读取上传的内容：请求不完整，或文件名过长。请缩短文件名后重新上传。"


class MemoryOnlyUploadHandler(FileUploadHandler):
    """Keeps an upload in memory and skips it once it passes ``limit`` bytes: no temporary file, ever."""

    def __init__(self, request=None, limit: int = MAX_FILE_BYTES):
        super().__init__(request)
        self.limit = limit
        self.too_large = False
        self.buffer = None

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.buffer = io.BytesIO()

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.too_large = True
            self.buffer = None
            raise SkipFile()  # the parser reads and drops the rest of this file
        self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size):
        if self.buffer is None:
            return None
        self.buffer.seek(0)
        return InMemoryUploadedFile(self.buffer, self.field_name, self.file_name, self.content_type, file_size,
                                    self.charset, self.content_type_extra)


class UploadForm(forms.Form):
    file = forms.FileField(label="Word 文件（.docx）", help_text="不超过 20 MB；支持常见公文版式：红头、发文字号、标题、章节条款。",
                           error_messages={"required": "请选择要导入的 Word 文件。"},
                           widget=forms.ClearableFileInput(attrs={"accept": ".docx"}))


def allowed_parents(user):
    """Return the sections where the user may add a regulation, the laws sections first."""
    sections = CategoryIndexPage.objects.order_by("-section", "path")
    allowed = [s for s in sections if RegulationPage.can_create_at(s) and not in_recycle_bin(s)
               and s.permissions_for_user(user).can_add_subpage()]
    return sorted(allowed, key=lambda s: (s.section != CategoryIndexPage.Section.LAWS, s.path))


def can_import(user) -> bool:
    """Return True when the user may create a regulation somewhere."""
    return bool(user.is_authenticated and allowed_parents(user))


class ConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)
    parent = forms.TypedChoiceField(label="上级栏目", coerce=int)
    department = forms.ModelChoiceField(Department.objects.all(), label="发布机构",
                                        error_messages={"required": "请选择发布机构。"})
    scope = forms.ChoiceField(label="共享范围", choices=Scope.choices, initial=Scope.SHARED)
    regulation_kind = forms.ChoiceField(label="效力位阶", choices=[("", "未载明")] + list(RegulationKind.choices),
                                        required=False)

    def __init__(self, *args, parents=(), for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.for_user = for_user
        limit_department_to_user(self)  # a draft filed under another department would be handed to it
        self.parents = {p.pk: p for p in parents}
        self.fields["parent"].choices = [(p.pk, f"{p.get_admin_display_title()}（{p.url_path}）") for p in parents]


def _stash(request, doc: ImportedDocument) -> str:
    token = uuid.uuid4().hex
    stored = dict(request.session.get(SESSION_KEY, {}))
    stored[token] = doc.to_dict()
    # Only the newest few previews are kept: a law text can be a few hundred kilobytes.
    request.session[SESSION_KEY] = dict(list(stored.items())[-KEEP_IN_SESSION:])
    return token


def _stashed(request, token: str):
    data = request.session.get(SESSION_KEY, {}).get(token or "")
    return ImportedDocument.from_dict(data) if data else None


def _context(**context):
    return {"page_title": "导入Word文件", "header_title": "导入Word文件", "header_icon": "doc-full-inverse", **context}


def _preview(request, doc: ImportedDocument, token: str, form=None, status=200):
    try:
        law = doc.law()
    except LawTextError as exc:
        raise Http404(str(exc)) from exc
    articles = law.articles()
    existing = RegulationPage.objects.filter(source_digest=doc.digest).first() if doc.digest else None
    parents = allowed_parents(request.user)
    if form is None:
        preferred = request.GET.get("parent") or request.session.get("archive_docx_parent")
        form = ConfirmForm(parents=parents, for_user=request.user, initial={
            "token": token,
            "parent": params.int_param(preferred),
            "department": getattr(request.user, "department_id", None),
            "regulation_kind": guess_regulation_kind(doc),
            "scope": Scope.SHARED,
        })
    divisions = outline(law)
    return render(request, "archive/import/preview.html", _context(
        doc=doc, form=form, token=token, outline=divisions, article_count=len(articles),
        chapter_count=sum(1 for d in divisions if d["kind"] == "章"),
        first_articles=articles[:3], last_article=articles[-1] if articles else None,
        preamble=law.preamble, history=law.history, existing=existing,
    ), status=status)


@csrf_exempt
def import_docx(request):
    """Upload form (GET) and preview of the recognised document (POST)."""
    # The handlers must be set before anything reads request.POST (CSRF included), hence
    # csrf_exempt here and csrf_protect on the inner view.
    handler = MemoryOnlyUploadHandler(request)
    request.upload_handlers = [handler]
    if request.method == "POST":
        try:
            request.POST  # noqa: B018 - parse the body now, so that an unreadable one is answered here
        except MultiPartParserError:  # e.g. a file name longer than the parser's header limit
            return _unreadable_upload(request)
    return _import_docx(request, handler)


def _unreadable_upload(request):
    """The upload form with a Chinese error (400) for a request body Django could not parse.

    Nothing was read, so nothing changes; the CSRF token could not be read either, which is why
    this answer (a refusal) is given without checking it.
    """
    if not can_import(request.user):
        raise Http404("您没有新建法规页面的权限。")
    form = UploadForm(data={})
    form.errors.clear()
    form.add_error("file", UNREADABLE)
    return render(request, "archive/import/upload.html", _context(form=form), status=400)


@csrf_protect
def _import_docx(request, handler):
    if not can_import(request.user):
        raise Http404("您没有新建法规页面的权限。")
    parent = params.require_int(request.GET.get("parent"), "栏目编号")  # nothing malformed reaches the session
    if parent is not None:
        request.session["archive_docx_parent"] = parent
    if request.method != "POST":
        return render(request, "archive/import/upload.html", _context(form=UploadForm()))
    form = UploadForm(request.POST, request.FILES)
    if handler.too_large:
        form.errors.clear()
        form.add_error("file", TOO_LARGE)
        return render(request, "archive/import/upload.html", _context(form=form), status=400)
    if not form.is_valid():
        return render(request, "archive/import/upload.html", _context(form=form), status=400)
    upload = form.cleaned_data["file"]
    try:
        doc = parse_docx(upload, filename=upload.name)
    except DocxImportError as exc:
        form.add_error("file", str(exc))
        return render(request, "archive/import/upload.html", _context(form=form), status=400)
    finally:
        upload.close()
    return _preview(request, doc, _stash(request, doc))


def import_docx_confirm(request):
    """Create the draft RegulationPage from the stashed preview and open it in the page editor."""
    if not can_import(request.user):
        raise Http404("您没有新建法规页面的权限。")
    if request.method != "POST":
        return redirect("archive_import_docx")
    token = request.POST.get("token", "")
    doc = _stashed(request, token)
    if doc is None:
        messages.error(request, EXPIRED)
        return redirect("archive_import_docx")
    parents = allowed_parents(request.user)
    form = ConfirmForm(request.POST, parents=parents, for_user=request.user)
    if not form.is_valid():
        return _preview(request, doc, token, form=form, status=400)
    parent = form.parents.get(form.cleaned_data["parent"])
    if parent is None:
        form.add_error("parent", "请选择可以添加法规页面的栏目。")
        return _preview(request, doc, token, form=form, status=400)
    try:
        page = create_regulation(doc, parent.specific, form.cleaned_data["department"], form.cleaned_data["scope"],
                                 user=request.user, regulation_kind=form.cleaned_data["regulation_kind"])
    except DocxImportError as exc:
        form.add_error(None, str(exc))
        return _preview(request, doc, token, form=form, status=400)
    stored = dict(request.session.get(SESSION_KEY, {}))
    stored.pop(token, None)
    request.session[SESSION_KEY] = stored
    law = doc.law()
    count = f"{len(law.articles())} 条" if law.kind == "law" else f"{len(law.provisions())} 项"
    messages.success(request, f"已从“{doc.filename or 'Word 文件'}”创建草稿“{page.title}”（{count}），"
                              "请核对后提交审核或发布。")
    return redirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))
