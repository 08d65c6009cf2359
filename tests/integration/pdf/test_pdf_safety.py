"""The PDF engine reads nothing but static/; customer text is only ever text."""

from __future__ import annotations

import http.server
import threading
from pathlib import Path

import pytest
from pdf_reading import BPMONLINE, read, text_of

from quote import resources
from quote.pdf import Seller, SellerConfigError, render_offer
from quote.pdf.fetcher import FetchRefused, StaticFetcher, static_path

STATIC_DIR = resources.static_dir()


@pytest.fixture
def listener():
    """A local HTTP server that records every request it gets."""
    received: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the stdlib's name
            received.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { color: red }")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", received
    server.shutdown()
    server.server_close()
    thread.join()


def squeeze(text: str) -> str:
    return "".join(text.split())


def test_customer_markup_urls_and_css_fetch_nothing_and_print_as_text(make_offer, listener):
    base, received = listener
    customer = {
        "company": f'<img src="{base}/logo.png"><link rel="stylesheet" href="{base}/x.css">',
        "contact": '<iframe src="file:///etc/passwd"></iframe> file:///etc/passwd',
        "email": "attacker@example.com",
        "country": f'</div><style>@import url({base}/c.css);</style>',
    }
    offer = make_offer({**BPMONLINE, "customer": customer}, number="Q-2026-000050")
    text = text_of(read(render_offer(offer, "en")))
    assert received == []
    for value in customer.values():
        assert squeeze(value) in squeeze(text)
    assert "root:" not in text


def test_css_url_in_a_customer_field_is_text(make_offer, listener):
    base, received = listener
    hostile = f"ACME background: url({base}/bg.png); src: url(file:///etc/passwd)"
    offer = make_offer({**BPMONLINE, "customer": {"company": hostile[:200]}})
    text = text_of(read(render_offer(offer, "de")))
    assert received == []
    assert squeeze(hostile) in squeeze(text)


def test_seller_texts_are_escaped_too(make_offer, listener):
    base, received = listener
    seller = Seller(name=f'<img src="{base}/s.png">Evil GmbH',
                    address=(f"<link rel=attachment href='{base}/a.txt'>",))
    reader = read(render_offer(make_offer(BPMONLINE), "en", seller))
    assert received == []
    assert f'<img src="{base}/s.png">Evil GmbH' in text_of(reader)
    assert list(reader.attachments) == ["offer.json"]


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:9/x.css",
    "https://example.com/font.ttf",
    "ftp://example.com/x",
    "data:text/css,body{}",
    "file:///etc/passwd",
    "file://localhost/etc/passwd",
    "file://example.com" + str(STATIC_DIR / "pdf" / "offer.css"),
    (STATIC_DIR / "pdf").as_uri() + "/../../quote/cli.py",
    (STATIC_DIR / "pdf").as_uri() + "/%2e%2e/%2e%2e/quote/cli.py",
    STATIC_DIR.as_uri() + "/missing.css",
    STATIC_DIR.as_uri() + "/pdf",
])
def test_fetcher_refuses_anything_but_a_static_file(url):
    with pytest.raises(FetchRefused):
        StaticFetcher().fetch(url)


def test_fetcher_refuses_a_symlink_out_of_static(tmp_path):
    static = tmp_path / "static"
    static.mkdir()
    (tmp_path / "secret.txt").write_text("secret")
    (static / "link.txt").symlink_to(tmp_path / "secret.txt")
    with pytest.raises(FetchRefused):
        static_path((static / "link.txt").as_uri(), static)


def test_fetcher_serves_static_files():
    response = StaticFetcher().fetch((STATIC_DIR / "pdf" / "offer.css").as_uri())
    assert b"@font-face" in response.read()
    assert response.content_type == "text/css"
    response.close()


def test_seller_from_environment():
    seller = Seller.from_env({
        "QUOTE_SELLER_NAME": "Nordlicht Support GmbH",
        "QUOTE_SELLER_ADDRESS": "Hafenstraße 5|20457 Hamburg\nDeutschland",
        "QUOTE_SELLER_TAX_ID": "DE123456789",
        "QUOTE_SELLER_LOGO": "",
    })
    assert seller.name == "Nordlicht Support GmbH"
    assert seller.address == ("Hafenstraße 5", "20457 Hamburg", "Deutschland")
    assert seller.tax_id == "DE123456789"
    assert seller.logo is None
    assert seller.email == Seller().email  # not configured: the neutral default


@pytest.mark.parametrize("logo", ["/etc/passwd", "../secret.png", "pdf/../../x.png",
                                  "file:///etc/passwd", "http://127.0.0.1/logo.png"])
def test_seller_logo_must_lie_under_static(logo):
    with pytest.raises(SellerConfigError):
        Seller.from_env({"QUOTE_SELLER_LOGO": logo})


def test_configured_seller_appears_on_the_offer(make_offer):
    seller = Seller.from_env({"QUOTE_SELLER_NAME": "Nordlicht Support GmbH",
                              "QUOTE_SELLER_REGISTRATION": "Amtsgericht Hamburg, HRB 99999"})
    reader = read(render_offer(make_offer(BPMONLINE, number="Q-1"), "de", seller))
    text = text_of(reader)
    assert "Nordlicht Support GmbH" in text and "HRB 99999" in text
    assert reader.metadata.author == "Nordlicht Support GmbH"


def test_default_logo_exists():
    assert (STATIC_DIR / Path(Seller().logo)).is_file()
