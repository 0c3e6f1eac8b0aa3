"""Pages every app can register: the import pages of an importer (imports) and export pages (exports)."""
