"""Wagtail API v2 at /api/v2/: the public pages, read-only, the same for every caller.

Only the pages endpoint is registered. Wagtail's documents and images
endpoints list every file regardless of the page it belongs to, and a file
attached to a shared record is as confidential as the record, so they stay
off until documents carry a scope of their own.

Every query the pages endpoint runs starts from ``get_base_queryset``: the
listing (with ``type=``, ``fields=*``, ``search=`` or any filter), the detail
view, ``find/?html_path=`` and the parent pages of ``child_of=`` /
``descendant_of=``. Narrowing it to ``publicsite.sitemaps.public_pages`` — anonymous
semantics, whoever is signed in — closes all of these doors at once; a
page outside it answers 404, exactly like a page that does not exist.

Personal data: every text the endpoint returns goes through the one privacy
rule (``lib.masking.mask_for_public``), and ``?search=`` refuses the terms
``/search/`` refuses to anonymous visitors (``search.service.personal_terms``:
an ID, phone or account number, a natural person's name) with a 400 in
Chinese — a search by a masked name would otherwise tell whose record it is.

Its integer parameters (``offset``, ``limit``, ``id`` and the page ids of ``child_of`` …) are read by
``portal.params`` before Wagtail sees them: Wagtail's ``int()`` takes '٣' for 3 and lets an offset
past SQLite's integers through (HTTP 500).  Every refusal, Wagtail's own included, answers in Chinese.
"""
import re

from django.conf import settings
from django.http import Http404
from rest_framework import status
from rest_framework.response import Response
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.serializers import PageSerializer
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet

from lib.masking import mask_for_public
from portal import params
from publicsite.sitemaps import public_pages
from search.service import personal_data_refusal

MASKED_META_FIELDS = ("seo_title", "search_description")
SEARCHED_PARAMS = ("search", "title")
MAX_OFFSET = 10**9  # far past any number of pages, far below SQLite's integers
PAGE_ID_PARAMETERS = {"id": "页面编号", "child_of": "上级页面编号", "ancestor_of": "下级页面编号",
                      "descendant_of": "上级页面编号", "translation_of": "页面编号"}
NOT_FOUND = "所请求的页面不存在，或不公开。"
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def check_integer_parameters(query) -> None:
    """Raise BadRequestError (Chinese) when an integer parameter of the pages endpoint is not one in range."""
    limit_max = getattr(settings, "WAGTAILAPI_LIMIT_MAX", 20) or MAX_OFFSET
    ranges = {"offset": ("偏移量 offset", 0, MAX_OFFSET), "limit": ("每页条数 limit", 0, limit_max),
              **{name: (f"{label} {name}", 1, params.MAX_ID) for name, label in PAGE_ID_PARAMETERS.items()}}
    for name, (label, minimum, maximum) in ranges.items():
        if name in query and params.int_param(query[name], minimum=minimum, maximum=maximum) is None:
            raise BadRequestError(f"{label}“{params.echo(query[name])}”无效：应为 {minimum} 至 {maximum} 之间的整数。")


class PublicPageSerializer(PageSerializer):
    """Serialises a page as the public may read it: personal data in its texts masked.

    Covers the title and meta texts today and any text field added to ``api_fields`` later;
    structured values (StreamField, nested objects) are not walked and must be masked where
    they are declared.
    """

    def to_representation(self, instance):
        data = super().to_representation(instance)
        page = instance.specific  # the fields naming a record's party tell whose name to mask
        texts = {key: value for key, value in data.items() if isinstance(value, str)}
        data.update(mask_for_public(page, texts))
        meta = data.get("meta") or {}
        meta_texts = {key: meta[key] for key in MASKED_META_FIELDS if isinstance(meta.get(key), str)}
        meta.update(mask_for_public(page, meta_texts))
        return data


class PublicPagesAPIViewSet(PagesAPIViewSet):
    """The pages endpoint restricted to what an anonymous visitor may open, its texts masked."""

    base_serializer_class = PublicPageSerializer

    def listing_view(self, request):
        # ?title= filters on the raw title as exactly as ?search= looks it up.
        for name in SEARCHED_PARAMS:
            refusal = personal_data_refusal(request.GET.get(name, ""))
            if refusal:
                return Response({"message": refusal}, status=status.HTTP_400_BAD_REQUEST)
        return super().listing_view(request)
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        check_integer_parameters(request.GET)

    def handle_exception(self, exc):
        if isinstance(exc, Http404):
            return Response({"message": NOT_FOUND}, status=status.HTTP_404_NOT_FOUND)
        if isinstance(exc, BadRequestError) and not CHINESE.search(str(exc)):
            return Response({"message": f"请求参数无效（{exc}）。"}, status=status.HTTP_400_BAD_REQUEST)
        return super().handle_exception(exc)

    def get_base_queryset(self):
        return public_pages(super().get_base_queryset())


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
