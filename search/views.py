"""Search pages: the HTML page, the JSON API and suggestions.  Thin: read the request, call
``search.service``, render.  Whatever arrives in the query string, the answer is a page or JSON
with a Chinese notice — never a server error."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from search import service
from search.backends.base import SearchUnavailable

log = logging.getLogger(__name__)

FILTER_PARAMS = ("category", "department", "validity", "year")
MAX_VALUES = 10  # alternatives per filter parameter
FACET_LABELS = {"category": "类别", "department": "发布机构", "validity": "有效性", "year": "年份"}
TRUTHY = {"1", "on", "true", "yes", "是"}


def _params(get) -> dict:
    """Return the keyword arguments of ``service.search`` read from a QueryDict (never raises)."""
    return {
        "raw_query": get.get("q", "")[: service.MAX_RAW_QUERY],
        **{name: [v[:100] for v in get.getlist(name)[:MAX_VALUES] if v.strip()] for name in FILTER_PARAMS},
        "include_abolished": get.get("include_abolished", "").strip().lower() in TRUTHY,
        "sort": get.get("sort", "relevance")[:20] or "relevance",
        "page": get.get("page", "1")[:12] or "1",
        "per_page": get.get("per_page", "20")[:6] or "20",
        "autocorrect": get.get("exact", "").strip().lower() not in TRUTHY,
    }


def _query_string(params: dict, **changes) -> str:
    """Return ?… for the current search with some parameters changed (None removes one)."""
    merged = {"q": params["raw_query"], **{n: params[n] for n in FILTER_PARAMS},
              "include_abolished": "1" if params["include_abolished"] else None,
              "sort": params["sort"] if params["sort"] != "relevance" else None,
              "exact": None if params["autocorrect"] else "1", **changes}
    pairs = []
    for key, value in merged.items():
        for item in value if isinstance(value, list) else [value]:
            if item not in (None, ""):
                pairs.append((key, item))
    return "?" + urlencode(pairs)


def _facet_groups(result: service.SearchPage, params: dict) -> list[dict]:
    """Return the facets as groups of links that add (or, when chosen, remove) one value."""
    groups = []
    for name, values in result.facets.items():
        links = []
        chosen = params[name]
        for facet in values:
            value = str(facet.value)
            if facet.selected:
                remaining = [v for v in chosen if not service.filter_value_covers(name, v, facet.value)]
                url = _query_string(params, **{name: remaining, "page": None})
            else:
                url = _query_string(params, **{name: [*chosen, value], "page": None})
            links.append({"value": value, "count": facet.count, "selected": facet.selected, "url": url})
        groups.append({"name": name, "label": FACET_LABELS[name], "values": links})
    return groups


def _page_links(result: service.SearchPage, params: dict) -> list[dict]:
    first, last = max(1, result.page - 4), min(result.num_pages, result.page + 4)
    return [{"number": n, "current": n == result.page, "url": _query_string(params, page=n)}
            for n in range(first, last + 1)]


@require_GET
def search_page(request):
    """The search page of the public site and the staff portal: results as the viewer may see them."""
    params = _params(request.GET)
    context = {"params": params, "query": params["raw_query"], "sorts": service.SORTS,
               "departments": _department_choices(), "categories": list(service.ALL_CATEGORIES.values()),
               "validities": ["现行有效", "尚未生效", "已修订", "已废止"], "hot_queries": _hot_queries(request.user)}
    status = 200
    if not (params["raw_query"].strip() or any(params[n] for n in FILTER_PARAMS)):
        return render(request, "search/search.html", context)  # the form alone: nothing asked yet
    try:
        result = service.search(request.user, **params)
    except SearchUnavailable:
        context["unavailable"] = service.UNAVAILABLE_MESSAGE
        status = 503
    else:
        context.update(
            result=result,
            facet_groups=_facet_groups(result, params),
            page_links=_page_links(result, params) if result.num_pages > 1 else [],
            previous_url=_query_string(params, page=result.page - 1) if result.has_previous else "",
            next_url=_query_string(params, page=result.page + 1) if result.has_next else "",
            sort_links=[{"value": k, "label": v, "current": k == result.sort, "url": _query_string(params, sort=k, page=None)}
                        for k, v in service.SORTS.items()],
            did_you_mean=_did_you_mean(result, params),
            search_as_typed=_query_string(params, exact="1", page=None) if result.corrected else "",
            promotions=service.promotions(request.user, params["raw_query"]) if result.page == 1 else [],
        )
        service.log_search(request.user, result)
    return render(request, "search/search.html", context, status=status)


def _did_you_mean(result: service.SearchPage, params: dict) -> dict | None:
    """Return {"text", "url"} of the corrected query when the results are few and a correction is near."""
    if result.count >= service.FEW_RESULTS or result.page > 1 or result.corrected:
        return None
    text = service.did_you_mean(params["raw_query"])
    return {"text": text, "url": _query_string(params, q=text, page=None, exact=None)} if text else None


def _hot_queries(user) -> list[dict]:
    try:
        return service.hot_queries(user)
    except Exception:  # noqa: BLE001 - 热搜词 are not worth an error page
        log.exception("读取热搜词失败")
        return []


def _department_choices() -> list[str]:
    try:
        return service.department_names()
    except Exception:  # noqa: BLE001 - a menu is not worth an error page
        return []


@require_GET
def search_api(request):
    """``GET /api/search/?q=…`` → ``{"count", "results", "facets", "notices"}`` (same scope rules)."""
    params = _params(request.GET)
    try:
        result = service.search(request.user, **params)
    except SearchUnavailable:
        return JsonResponse({"count": 0, "results": [], "facets": {}, "notices": [service.UNAVAILABLE_MESSAGE],
                             "error": "unavailable"}, status=503, json_dumps_params={"ensure_ascii": False})
    data = result.as_json()
    few = result.count < service.FEW_RESULTS and not result.corrected
    data["did_you_mean"] = service.did_you_mean(params["raw_query"]) if few else ""
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@require_GET
def suggest_api(request):
    """``GET /api/search/suggest/?q=食品`` → a JSON list of completions (visible titles, then terms).

    With ``detail=1`` (the search boxes' script): a list of ``{"text", "kind", "url", "hint"}``, where a
    title's ``url`` opens the page itself (``service.suggest_entries``).
    """
    prefix = request.GET.get("q", "")[:100]
    if request.GET.get("detail", "").strip().lower() in TRUTHY:
        found = service.suggest_entries(request.user, prefix)
    else:
        found = service.suggest(request.user, prefix)
    return JsonResponse(found, safe=False, json_dumps_params={"ensure_ascii": False})
