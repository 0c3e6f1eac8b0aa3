"""Running the real `ecoinspect` console script in a subprocess, with its own environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).with_name("ecoinspect")


@pytest.fixture
def ecoinspect(tmp_path):
    """ecoinspect(*args, env={...}) → CompletedProcess; runs in tmp_path with SQLite under tmp_path/var
    unless the env names a DATABASE_URL."""

    def run(*args: str, env: dict | None = None, settings: str | None = None, timeout: int = 120):
        environment = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("ECOINSPECT_", "DJANGO_", "DATABASE_URL"))
        }
        environment["ECOINSPECT_VAR_DIR"] = str(tmp_path / "var")
        if settings:
            environment["DJANGO_SETTINGS_MODULE"] = settings
        environment.update(env or {})
        return subprocess.run(
            [str(SCRIPT), *args],
            cwd=tmp_path,
            env=environment,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    assert SCRIPT.exists(), f"the console script is not installed at {SCRIPT}"
    return run
