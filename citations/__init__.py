"""Citations that link: the index of who cites which provision, and citations rendered as links.

``lib.citations`` finds citations in a text; this app stores them (``models.Citation``, rebuilt when a
page is published: ``index``), says what each page type cites from (``sources``) and renders them
for a viewer (``rendering``, through the ``citation_tags`` template tags): a citation of a document
the portal holds links to the cited provision only if the viewer may see that document; 被引用 lists
the documents the viewer may see that cite a provision.
"""
