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
3. the resident memory of a worker that renders offers, which is this process
   (a gunicorn worker renders in its own process, as here): after 500 offers
   rendered (in turn in German, English and Russian), at each further quarter
   and after 2,000; the growth from offer 500 to offer 2,000 must level off
   (target: under 3 MB). Beside it, the growth of the C heap's allocated
   bytes (glibc's ``mallinfo2``): memory still in use, where a leak shows,
   as opposed to memory freed but kept by the allocator. ``--offers N``
   renders N instead of 2,000, measuring from a quarter of N (``--offers 0``
   skips it; ``--offers 400`` is a short run).

Run: ``python -m bench pdf`` or ``python -m bench pdf --offers 400``.
"""

from __future__ import annotations

import argparse
import ctypes
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
TARGET_GROWTH_MB = 3.0
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


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost")]


def heap_in_use_mb() -> float:
    """Bytes the C heap has handed out and not had back (glibc's ``mallinfo2``:
    ``uordblks`` plus ``hblkhd``), in MB; NaN where that is not glibc 2.33 or later."""
    try:
        libc = ctypes.CDLL(None)
        mallinfo2 = libc.mallinfo2
    except (OSError, AttributeError):
        return float("nan")
    mallinfo2.restype = _MallInfo2
    info = mallinfo2()
    return (info.uordblks + info.hblkhd) / 2**20


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pdf", description=__doc__)
    parser.add_argument("--offers", type=int, default=2000,
                        help="offers to render for the memory check (default 2000, growth "
                        "measured from a quarter of them on; 0 skips)")
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

    if args.offers >= 8:
        memory(document, args.offers)
    return 0


def memory(document, offers: int) -> None:
    """Render ``offers`` offers as a worker does; print its resident size from a quarter
    of them on, at each quarter."""
    languages = ("de", "en", "ru")
    first = offers // 4
    checkpoints = {first * k for k in (2, 3)} | {offers}
    start = time.perf_counter()
    for index in range(first):
        render_offer(document, languages[index % 3])
    gc.collect()
    at_first, heap_first = rss_mb(), heap_in_use_mb()
    steps = [f"{at_first:.1f} MB after {first}"]
    for index in range(first, offers):
        render_offer(document, languages[index % 3])
        if index + 1 in checkpoints:
            gc.collect()
            steps.append(f"{rss_mb() - at_first:+.1f} after {index + 1}")
    at_last, heap_last = rss_mb(), heap_in_use_mb()
    growth = at_last - at_first
    print(f"bench pdf: worker RSS {', '.join(steps)} offers: growth {growth:+.1f} MB from "
          f"offer {first} to {offers} (target under {TARGET_GROWTH_MB:.0f} MB: "
          f"{'met' if growth < TARGET_GROWTH_MB else 'NOT met'}); C heap in use "
          f"{heap_last - heap_first:+.2f} MB; "
          f"{(time.perf_counter() - start) / offers * 1000:.0f} ms per offer")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
