from django import template

from students.models import area_of

register = template.Library()


@register.filter
def area_label(code: str | None) -> str:
    """The Code of Practice area of a census need code, or "" for OTH / NSA / none."""
    area = area_of(code) if code else None
    return area.label if area else ""
