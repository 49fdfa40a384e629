"""Printable PDFs (passports, plans) rendered from templates with WeasyPrint."""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string


def _static_fetcher(url: str, *args, **kwargs):
    """Serve /static/ files from disk; refuse anything else (no network access from PDFs)."""
    from weasyprint import default_url_fetcher

    prefix = (
        settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL
    )
    path = url.split("://", 1)[-1]
    if "/" in path:
        path = "/" + path.split("/", 1)[1]
    if path.startswith(prefix):
        local = finders.find(path[len(prefix) :])
        if local:
            return default_url_fetcher(f"file://{local}", *args, **kwargs)
    raise ValueError(f"PDF resources come only from static files, not {url}")


def render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(
        string=html, base_url="http://sendhub.invalid/", url_fetcher=_static_fetcher
    ).write_pdf()


def pdf_response(template: str, context: dict, *, filename: str) -> HttpResponse:
    response = HttpResponse(render_pdf(template, context), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
