"""The ``ecoinspect`` command.

``ecoinspect indicators ...`` runs the pure indicator engine without starting Django (it is a library and
must stay fast and importable on its own). Everything else is a Django management command, so
``ecoinspect migrate``, ``ecoinspect audit verify`` and ``ecoinspect check --deploy`` all work.
"""

from __future__ import annotations

import os
import sys

DEFAULT_SETTINGS = "ecoinspect.config.settings.base"


def main(argv: list[str] | None = None) -> int | None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "indicators":
        from ecoinspect.indicators.cli import main as indicators_main

        return indicators_main(args[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ecoinspect", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
