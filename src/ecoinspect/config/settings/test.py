"""Settings for the test suite: the same as base, with fast hashing and a throw-away media root."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="ecoinspect-test-media-"))
# Anchors and backups of a test go where the test says (the ``anchor_dir`` fixture); never under ./var.
ECOINSPECT_AUDIT_ANCHOR_DIR = Path(tempfile.mkdtemp(prefix="ecoinspect-test-anchors-"))
ECOINSPECT_BACKUP_DIR = Path(tempfile.mkdtemp(prefix="ecoinspect-test-backups-"))
ECOINSPECT_AUDIT_KEY = ECOINSPECT_AUDIT_KEY_FILE = ""
INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]  # noqa: F405
# Each pytest-xdist worker gets its own SQLite file; on PostgreSQL pytest-django suffixes the name.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": None}  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
os.environ.setdefault("ECOINSPECT_TESTING", "1")
ROOT_URLCONF = "tests.urls"
# Background work runs inline, whatever the environment says; tests of the queue switch to the database
# backend themselves and run the worker (tests/core/test_worker.py).
TASKS = {"default": {"BACKEND": TASK_BACKENDS["immediate"]}}  # noqa: F405
# The demo inspection month, smaller: the same code, a tenth of the cases (the full month is measured by
# benchmarks/petitions_demo.py).
ECOINSPECT_DEMO_PETITIONS = 150
