"""What the load generator reads of a page: the links it shows and its forms with their current values —
parsed with the standard library's HTMLParser, as little as a browser needs to follow a link or submit a
form."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser

HREF = re.compile(r'href="([^"#]+)"')


def links(html: str, pattern: re.Pattern) -> list[str]:
    """The page's links (``href``) matching ``pattern``, unescaped, in page order, without repeats."""
    seen: dict[str, None] = {}
    for href in HREF.findall(html):
        href = unescape(href)
        if pattern.search(href):
            seen.setdefault(href, None)
    return list(seen)


@dataclass
class Form:
    action: str
    method: str
    enctype: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    buttons: dict[str, str] = field(default_factory=dict)
    radios: dict[str, list[str]] = field(default_factory=dict)

    def data(self, **values: str) -> list[tuple[str, str]]:
        """The fields as the browser would send them, with ``values`` replacing (or adding) fields."""
        out = [(k, v) for k, v in self.fields if k not in values]
        out.extend(values.items())
        return out


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._select: tuple[str, list[tuple[str, bool]]] | None = None
        self._option: list[str] | None = None
        self._textarea: tuple[str, list[str]] | None = None

    @property
    def form(self) -> Form | None:
        return self.forms[-1] if self.forms else None

    def handle_starttag(self, tag, attrs):
        a = {k: v if v is not None else "" for k, v in attrs}
        if tag == "form":
            self.forms.append(
                Form(a.get("action", ""), a.get("method", "get").lower(), a.get("enctype", "").lower())
            )
        elif self.form is None or not a.get("name") and tag != "option":
            return
        elif tag == "input":
            self._input(a)
        elif tag == "button" and a.get("type", "submit") == "submit":
            self.form.buttons[a["name"]] = a.get("value", "")
        elif tag == "select":
            self._select = (a["name"], [])
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value"), "selected" in a]
        elif tag == "textarea":
            self._textarea = (a["name"], [])

    def _input(self, a):
        kind = a.get("type", "text").lower()
        name = a["name"]
        if kind in ("submit", "button", "image", "reset"):
            self.form.buttons[name] = a.get("value", "")
        elif kind == "file":
            self.form.files.append(name)
        elif kind == "radio":
            self.form.radios.setdefault(name, []).append(a.get("value", "on"))
            if "checked" in a:
                self.form.fields.append((name, a.get("value", "on")))
        elif kind == "checkbox":
            if "checked" in a:
                self.form.fields.append((name, a.get("value", "on")))
        else:
            self.form.fields.append((name, a.get("value", "")))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)
        if self._option is not None and self._option[0] is None:
            self._option[0] = data.strip()

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None and self._select is not None:
            self._select[1].append((self._option[0] or "", self._option[1]))
            self._option = None
        elif tag == "select" and self._select is not None:
            name, options = self._select
            chosen = [v for v, selected in options if selected] or [v for v, _ in options[:1]]
            self.form.fields.extend((name, v) for v in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            self.form.fields.append((name, "".join(text).removeprefix("\n")))
            self._textarea = None


def forms(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def form_with(html: str, field_name: str) -> Form | None:
    """The first POST form of the page that has a field (or a file input) called ``field_name``."""
    for form in forms(html):
        names = {k for k, _v in form.fields} | set(form.files) | set(form.radios)
        if form.method == "post" and field_name in names:
            return form
    return None


def form_to(html: str, action_part: str) -> Form | None:
    """The first POST form of the page whose action contains ``action_part``."""
    return next((f for f in forms(html) if f.method == "post" and action_part in f.action), None)
