"""How fast and how lean the PDF offer renderer is.

Measured in one process, everything warm (fonts, stylesheets and templates
loaded by a first render):

1. a full offer (bpm'online, extra environments and an addition, three pages,
   PDF/A-3b with the result attached) against WeasyPrint rendering a one-line
   HTML page with the same FontConfiguration; the ratio (target: at most 8);
   and how the offer's time splits into HTML, layout and writing;
2. the same offer HTML printed by headless Chromium (``--print-to-pdf``, one
   browser process per file, as a command-line converter runs), against the
   WeasyPrint offer;
3. the process's resident memory after 10 offers and after 500 (target:
   growth under 10 MB). ``--offers N`` changes the 500; ``--offers 0`` skips it.

Run: ``python -m bench pdf`` or ``python -m bench.pdf --offers 100``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from quote import resources
from quote.core.catalog import load_rates
from quote.core.offer import offer_document
from quote.core.pricing import price_quote
from quote.core.request import parse_request
from quote.core.tax import load_tax_rules
from quote.pdf import engine_warnings, offer_html, render_offer
from quote.pdf.render import engine

ROUNDS = 7
CHROMIUM = "/usr/bin/chromium"
REQUEST = {
    "rate_card": "bpmonline", "package": "business", "deployment": "on_site",
    "license_value": "48250.00", "term_start": "2026-03-01", "term_years": 3,
    "environments": 3, "discount_percent": "5", "as_of": "2026-01-01",
    "additions": [{"date": "2026-09-15", "license_value": "7500.00", "environments": 1}],
    "customer": {"company": "Müller & Söhne Maschinenbau AG", "contact": "Erika Mustermann",
                 "email": "erika@example.de", "country": "Deutschland"},
}


def offer():
    book = load_rates()
    book.tax = load_tax_rules().rules  # the customer in Germany: 19 % VAT
    request = parse_request(REQUEST)
    result = price_quote(request, book, dt.date(2026, 1, 1))
    loaded = book.priced_with(result)
    return offer_document(request, result, loaded, number="Q-2026-000042")


def median_seconds(work, rounds: int = ROUNDS) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def one_line_page() -> bytes:
    from weasyprint import HTML

    eng = engine()
    return HTML(string="<p>One line.</p>", url_fetcher=eng.fetcher).write_pdf(
        font_config=eng.font_config)


def chromium_seconds(html: str, rounds: int = 3) -> float | None:
    """Median seconds for Chromium to print ``html`` (with the offer stylesheet) to PDF."""
    if not Path(CHROMIUM).exists():
        return None
    head = (f'<head><base href="{resources.static_dir().as_uri()}/">'
            '<link rel="stylesheet" href="pdf/offer.css">')
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "offer.html"
        page.write_text(html.replace("<head>", head, 1), encoding="utf-8")
        target = Path(folder) / "offer.pdf"

        def run():
            subprocess.run(
                [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--no-first-run",
                 "--no-pdf-header-footer", f"--user-data-dir={folder}/profile",
                 f"--print-to-pdf={target}", page.as_uri()],
                check=True, capture_output=True, timeout=120)

        run()  # warm the disk cache and the profile
        seconds = median_seconds(run, rounds)
        shutil.rmtree(Path(folder) / "profile", ignore_errors=True)
        return seconds


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pdf", description=__doc__)
    parser.add_argument("--offers", type=int, default=500,
                        help="offers to render for the memory check (default 500; 0 skips)")
    args = parser.parse_args([] if argv is None else argv)
    for warning in engine_warnings():
        print(f"bench pdf: warning: {warning}")

    document = offer()
    render_offer(document, "de")  # warm: fonts, stylesheets, templates
    one_line_page()
    full = median_seconds(lambda: render_offer(document, "de"))
    tiny = median_seconds(one_line_page)
    print(f"bench pdf: full offer {full * 1000:.0f} ms, one-line page {tiny * 1000:.0f} ms, "
          f"ratio {full / tiny:.1f} (target <= 8)")
    timings: dict[str, float] = {}
    for _ in range(ROUNDS):
        render_offer(document, "de", timings=timings)
    print("bench pdf: of which " + ", ".join(
        f"{name} {seconds / ROUNDS * 1000:.0f} ms" for name, seconds in timings.items())
        + " (means: HTML from the template, WeasyPrint layout, writing the PDF)")

    chromium = chromium_seconds(offer_html(document.model_copy(update={"language": "de"})))
    if chromium is None:
        print("bench pdf: chromium not installed, comparison skipped")
    else:
        print(f"bench pdf: chromium --print-to-pdf {chromium * 1000:.0f} ms per offer "
              f"(a browser process per file), ratio chromium/weasyprint {chromium / full:.2f}")

    if args.offers > 10:
        languages = ("de", "en", "ru")
        for index in range(10 - ROUNDS - 1):  # every language's catalogue and page style
            render_offer(document, languages[index % 3])
        gc.collect()
        after_10 = rss_mb()
        start = time.perf_counter()
        for index in range(args.offers - 10):
            render_offer(document, languages[index % 3])
        gc.collect()
        after_n = rss_mb()
        print(f"bench pdf: RSS after 10 offers {after_10:.1f} MB, after {args.offers} offers "
              f"{after_n:.1f} MB, growth {after_n - after_10:+.1f} MB (target < 10 MB); "
              f"{(time.perf_counter() - start) / (args.offers - 10) * 1000:.0f} ms per offer")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
