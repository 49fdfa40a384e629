"""Rich text from staff, made safe (nh3, the Rust ammonia sanitiser, not a hand-written
filter)."""

import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "h3", "h4", "blockquote", "a",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href"}}


def sanitise(html: str) -> str:
    """Keep headings, paragraphs, emphasis, lists and http(s)/mailto links; drop every
    script, style, event handler and anything else."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    ).strip()


def safe_html(html: str) -> SafeString:
    """Sanitised again on the way out, so a row written by any path renders safely."""
    return mark_safe(sanitise(html))  # noqa: S308 - nh3 has just cleaned it
