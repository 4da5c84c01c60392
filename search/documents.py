"""The index schema, declared once as an ``elasticsearch.dsl`` ``Document`` (Elasticsearch 8 and OpenSearch).

The Elasticsearch backend creates its indices from this class; the FTS5 backend keeps the same
fields in ``searchidx_doc`` (see ``search.backends.fts5``).  Every field of ``IndexDoc`` is here:

* original text for display and snippets (title, doc_number, body, keywords): stored, not
  searched — snippets are cut from the text a person reads, never from the segmented one;
* exact-value fields for filters, facets and scope (keyword / date / integer);
* comparison keys: ``title_key`` (the title that *is* the query ranks first), ``doc_number_key``
  (an exact 发文字号 ranks first whatever its spelling), ``title_norm`` (suggestions);
* the segmented text ``*_seg``: jieba search-mode tokens joined by spaces, analysed with the
  stock ``whitespace`` analyser.  Segmentation happens in the application, so the cluster needs
  no analysis plugin and any stock Elasticsearch 8 or OpenSearch 2.x (or hosted service) will do;
* ``*.chars`` subfields of the fields searched by "contains" (部门:, 文号:, 类别:, the 章 of penalty
  provisions, suggestions): one token per character, so "contains 住建局" is the phrase 住 建 局 —
  no leading-wildcard query.
"""

from __future__ import annotations

from elasticsearch.dsl import Date, Document, Integer, Keyword, MetaField, Object, Text, analyzer, tokenizer

# Searched fields and their BM25 weights: title > 发文字号 > keywords > body (as in FTS5).
FIELD_BOOSTS = {"title_seg": 10, "doc_number_seg": 5, "keywords_seg": 3, "body_seg": 1}
SEGMENTED = "whitespace"
# One token per character (the stock ngram tokenizer, all characters kept): phrase = substring.
CHARS = analyzer("chars", tokenizer=tokenizer("one_char", "ngram", min_gram=1, max_gram=1))


def _seg() -> Text:
    return Text(analyzer=SEGMENTED, search_analyzer=SEGMENTED)


def _keyword_with_chars() -> Keyword:
    """Return an exact-value field that can also be searched for a substring (``<field>.chars``)."""
    return Keyword(fields={"chars": Text(analyzer=CHARS, search_analyzer=CHARS)})


def _stored_text() -> Text:
    """Return a text field kept in _source for display only (not indexed, no doc values)."""
    return Text(index=False)


class SearchDocument(Document):
    """One searchable unit: a page, an article of a regulation, or a row of a discretion table."""

    doc_id = Keyword()
    page_id = Integer()
    url = Keyword(index=False)

    title = _stored_text()
    doc_number = Keyword()
    body = _stored_text()
    keywords = _stored_text()

    category = _keyword_with_chars()
    department = _keyword_with_chars()
    validity = Keyword()
    scope = Keyword()
    owner_department = Keyword()
    date = Date(format="strict_date")
    year = Integer()
    extra = Object(enabled=False)

    # Grouping and ranking (issue 18): the document an article/row belongs to (collapse), what it is,
    # and the 章 it sits under (法律责任 articles answer 怎么罚 questions first).
    parent_id = Keyword()
    kind = Keyword()
    chapter = _keyword_with_chars()

    title_key = Keyword()
    title_norm = _keyword_with_chars()
    doc_number_key = _keyword_with_chars()
    content_hash = Keyword(index=False)

    # Quoted phrases are checked in the original text (as FTS5's phrase_conditions do): normalised,
    # without punctuation or spaces (``squash``), one token per character, so a phrase query is
    # "these characters follow each other", however jieba cut the words around them.  The title;
    # title, 发文字号, keywords and body as four values that a phrase never spans.
    title_squash = Text(analyzer=CHARS, search_analyzer=CHARS)
    text_squash = Text(analyzer=CHARS, search_analyzer=CHARS, position_increment_gap=100)

    title_seg = _seg()
    doc_number_seg = _seg()
    keywords_seg = _seg()
    body_seg = _seg()

    class Index:
        # The real name is chosen per version (portal-v3) by the backend; this one is never used.
        name = "portal-template"
        # One replica whenever a second node is there (one node lost: every shard still answers);
        # none on a single node, where a replica could never be assigned and would turn it yellow.
        settings = {"number_of_shards": 1, "auto_expand_replicas": "0-1"}

    class Meta:
        dynamic = MetaField("strict")  # a misspelt field fails loudly instead of growing the mapping


def index_body() -> dict:
    """Return the settings and mappings that create one versioned index."""
    return SearchDocument._index.to_dict()
