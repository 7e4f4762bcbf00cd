"""Officers' Markdown (site stories, event and walk descriptions) rendered safely.

Two layers, because a story is written by one officer and read by everyone:

* ``markdown-it-py`` (CommonMark, the executable-books project) parses the
  text with raw HTML switched off, so ``<script>`` typed into a story comes
  out as text, and only the block and inline rules a story needs are on
  (no tables, no images: photos go through the core's files service);
* ``nh3`` (bindings to the Rust ``ammonia`` sanitiser) then keeps only the
  tags and attributes listed below and only ``http``/``https``/``mailto``
  links, with ``rel="noopener noreferrer nofollow"``: a second line should
  a parser rule ever let something through (a ``javascript:`` link, an
  attribute).

Both are well-kept libraries with their own security history; a sanitiser
written here would not be. The result is ``Markup`` for templates.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

#: The longest Markdown text accepted from an officer (characters).
MAX_MARKDOWN = 20_000

_PARSER = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_PARSER.disable(["image", "html_block", "html_inline"])

_TAGS = {
    "p", "br", "em", "strong", "a", "ul", "ol", "li", "blockquote", "h2", "h3", "h4",
    "code", "pre", "hr",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}


def render_markdown(text: str) -> Markup:
    """Safe HTML for an officer's Markdown ``text`` (empty for empty text).

    Headings are moved down one level (``#`` becomes ``<h2>``): the page has
    its own ``<h1>``, the site's name.
    """
    if not text.strip():
        return Markup("")
    html = _PARSER.render(text)
    for level in (5, 4, 3, 2, 1):
        html = html.replace(f"<h{level}>", f"<h{min(level + 1, 4)}>")
        html = html.replace(f"</h{level}>", f"</h{min(level + 1, 4)}>")
    clean = nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(clean)  # noqa: S704 (sanitised by nh3 just above)
