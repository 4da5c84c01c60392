"""A 公文 is answered provision by provision, as a law is article by article (issue 3/8)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser

from search import service

pytestmark = pytest.mark.django_db
DIRECTIVE = (Path(__file__).resolve().parents[1] / "fixtures" / "zhouzhengban-2018-18.txt").read_text(encoding="utf-8")


def test_a_phrase_of_one_directive_provision_links_to_that_provision_first(make_regulation):
    page = make_regulation(title="关于加强综合行政执法协作配合的实施意见", slug="directive", text=DIRECTIVE)
    anchors = [p["anchor"] for p in page.provisions()]
    assert "二（四）3（1）" in anchors
    results = service.search(AnonymousUser(), "未按照行政许可规定的内容", per_page=20).flat_results
    provision_hits = [r for r in results if r.kind == "article"]
    assert provision_hits, [r.title for r in results]
    assert provision_hits[0].url == f"{page.url}#二（四）3（1）"
    assert provision_hits[0].title.endswith("二（四）3（1）")


def test_every_provision_of_the_directive_is_found_by_a_phrase_of_its_own(make_regulation):
    page = make_regulation(title="关于加强综合行政执法协作配合的实施意见", slug="directive", text=DIRECTIVE)
    provisions = [p for p in page.provisions() if len((p.get("text") or "").strip()) >= 16]
    assert len(provisions) >= 30
    missed = []
    for provision in provisions:
        # the longest clause of its first sentence, as a user copies it
        phrase = max(re.split(r"[，。；：、（）]", provision["text"].strip().split("。")[0]), key=len)
        urls = [r.url for r in service.search(AnonymousUser(), f'"{phrase}"', per_page=20).flat_results]
        if f"{page.url}#{provision['anchor']}" not in urls:
            missed.append((provision["label"], phrase))
    assert missed == []
