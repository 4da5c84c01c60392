"""Search engines behind one interface: ``base.SearchBackend``; ``fts5`` (embedded) for now."""
