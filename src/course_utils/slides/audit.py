"""The offline check: every address a page would load by itself, and which of them lie outside.

A deck is copied to a USB stick and opened without a network, so nothing it loads may come from
the web or from above its own folder. Links a reader may click are not loads and are not listed.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# The attribute through which each element loads something (a <link> loads its href).
_LOADING = {
    "script": "src",
    "img": "src",
    "iframe": "src",
    "audio": "src",
    "video": "src",
    "source": "src",
    "embed": "src",
    "track": "src",
    "object": "data",
    "link": "href",
}
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


class _LoadedURLs(HTMLParser):
    """Collects what a page would load by itself: elements' sources and a style's url()s."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in _LOADING and attributes.get(_LOADING[tag]):
            self.urls.append(attributes[_LOADING[tag]])
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.urls += re.findall(r"""url\(\s*['"]?([^'")\s]+)""", data)
            self.urls += re.findall(r"""@import\s+['"]([^'"]+)""", data)


def loaded_urls(page: str) -> list[str]:
    """Every address ``page`` would load by itself, in the order it names them."""
    parser = _LoadedURLs()
    parser.feed(page)
    return parser.urls


def outside_urls(page: str) -> list[str]:
    """Every address in ``page`` that a browser would load from outside the page's folder."""
    outside = []
    for url in loaded_urls(page):
        if url.startswith(("data:", "#")):
            continue
        absolute = _SCHEME.match(url) or url.startswith(("//", "/"))
        if absolute or url.split("?")[0].startswith("../"):
            outside.append(url)
    return outside
