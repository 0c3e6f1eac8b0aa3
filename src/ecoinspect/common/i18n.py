"""Language of stored and sent text.

Pages speak the reader's language, but text that is *stored* in a record (a routing reason) or *sent* to
other people (a notification title) is written in the installation's language (``LANGUAGE_CODE``), whatever
language the acting person happens to read the pages in — otherwise an English-reading coordinator would
send Chinese-reading units English inbox titles.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation


def district_language():
    """Context manager: gettext inside it produces the installation's language."""
    return translation.override(settings.LANGUAGE_CODE)
