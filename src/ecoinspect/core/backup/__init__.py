"""Backup and restore of one instance: the database, the media tree, the action log's anchor, a manifest.

``ecoinspect backup`` writes a dated directory::

    ecoinspect-backup-20261205-030000/
        manifest.json             what is in it: SHA-256 and size of every file, rows per table, app version, vendor
        database.sqlite3          SQLite's online backup (or database.pgdump: pg_dump -Fc, custom format)
        media/…                   MEDIA_ROOT: evidence and import files
        actionlog-anchors.jsonl   the action log's anchor taken for this backup

``ecoinspect restore DIR`` checks the manifest, puts the database and the files back, and holds the action
log against the backup's anchor. docs/backup.md is the operator's page.
"""
