"""HTML built in Python, escaped as Django escapes it, without its per-call overhead.

``django.utils.html.format_html`` escapes each argument through ``conditional_escape`` → ``escape``, a
``keep_lazy`` function that inspects every argument for lazy strings and wraps each result in a
``SafeString`` — about ten times the cost of the escaping itself. The table rows, filter options and widgets
the pages draw in Python call it thousands of times a page (benchmarks/load_bench.py measured the lazy check
alone at 5–6 % of a busy server's CPU). These functions give the same text: a lazy string is translated, an
object with ``__html__`` (a ``SafeString``, a form's bound field) is taken as it is, anything else is
``str()``-ed and escaped with :func:`html.escape` (``& < > " '``), exactly as Django does.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping

from django.utils.functional import Promise
from django.utils.safestring import SafeString


def escape_text(value) -> str:
    """``conditional_escape(value)`` as a plain ``str``."""
    if isinstance(value, Promise):
        value = str(value)
    as_html = getattr(value, "__html__", None)
    if as_html is not None:
        return as_html()
    return html.escape(str(value))


def format_html(format_string: str, *args, **kwargs) -> SafeString:
    """``django.utils.html.format_html``: the arguments escaped, the format string taken as it is."""
    return SafeString(
        format_string.format(*map(escape_text, args), **{k: escape_text(v) for k, v in kwargs.items()})
    )


def format_html_join(sep: str, format_string: str, args_generator: Iterable) -> SafeString:
    """``django.utils.html.format_html_join``: one ``format_html`` per item (a tuple, or a mapping of
    keyword arguments), joined by the escaped separator."""
    return SafeString(
        escape_text(sep).join(
            format_html(format_string, **args)
            if isinstance(args, Mapping)
            else format_html(format_string, *args)
            for args in args_generator
        )
    )
