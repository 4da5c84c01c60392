"""Query understanding: what a search box query means before any engine sees it (issue 18).

- ``rewrite``: 繁体 folded to 简体, question words and filler dropped, Arabic numerals of citations
  written in the law's own numbering (第32条 → 第三十二条), a citation of a held law found;
- ``lexicon``: colloquial words expanded to the legal terms of the texts (私搭乱建 → 违法建设);
- ``pinyin``: pinyin and initials of held titles (xzcff → 行政处罚法);
- ``prepare``: all of them in order, giving the ``Query`` to run and what was understood.

Plain functions, no Django: the service (``search.service``) feeds them the held titles and the
editors' lexicon entries.
"""
