"""PDFs from our own templates with WeasyPrint, fetching nothing.

Every PDF the project prints (the Wmo conversation report, the annual report) is laid out from
HTML rendered by our templates and a stylesheet read from a file. The URL fetcher refuses every
URL (network, files, data URLs), so text a user typed can never make the server fetch anything.
"""

from pathlib import Path


def refusing_fetcher():
    """A WeasyPrint URL fetcher that fetches nothing: no network, no files, no data URLs."""
    from weasyprint.urls import URLFetcher

    class RefuseEverything(URLFetcher):
        def fetch(self, url, headers=None):
            raise ValueError(f"External resources are not loaded in PDFs: {url[:80]}")

    return RefuseEverything(fail_on_errors=False)


def render_document(html: str, stylesheet: Path):
    """The laid-out WeasyPrint document (pages with their boxes); ``.write_pdf()`` gives bytes."""
    from weasyprint import CSS, HTML

    fetcher = refusing_fetcher()
    css = CSS(string=stylesheet.read_text(encoding="utf-8"), url_fetcher=fetcher)
    return HTML(string=html, base_url=None, url_fetcher=fetcher).render(stylesheets=[css])
