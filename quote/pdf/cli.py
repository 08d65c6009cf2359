"""``quote pdf REQUEST.json --lang de -o offer.pdf``: a draft offer as a PDF file."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

from ..cli import EXIT_OK, EXIT_USAGE, print_input_errors
from ..core.errors import QuoteInputError
from ..core.request import parse_request


def add_pdf_command(commands, load, read_json) -> None:
    """Add ``pdf`` to the ``quote`` command's subcommands.

    ``load(args)`` gives the rate book, ``read_json(path)`` the decoded request;
    both exit with the command line's usual messages on failure.
    """
    pdf = commands.add_parser(
        "pdf", help="price a quote request (JSON) and write it as a draft offer PDF")
    pdf.add_argument("request", help="request file, or - for standard input")
    pdf.add_argument("--lang", choices=["en", "de", "ru"],
                     help="language of the offer (default: the request's language)")
    pdf.add_argument("-o", "--output",
                     help="PDF file to write, - for standard output "
                     "(default: offer-draft-<lang>.pdf)")
    pdf.set_defaults(run=lambda args: cmd_pdf(args, load, read_json))


def cmd_pdf(args, load, read_json) -> int:
    # the offer and its renderer (Jinja, and WeasyPrint at the first render) only when a
    # PDF is made
    from ..core.offer import DEFAULT_PAYMENT_DAYS, offer_document
    from ..core.pricing import price_quote
    from .files import engine_warnings, offer_filename
    from .render import render_offer

    book = load(args)
    try:
        request = parse_request(read_json(args.request))
        result = price_quote(request, book, dt.date.today())
    except QuoteInputError as exc:
        return print_input_errors(exc)
    loaded = book.priced_with(result)
    assert loaded is not None  # price_quote priced with it
    language = args.lang or request.language
    days = os.environ.get("QUOTE_PAYMENT_TERMS_DAYS", str(DEFAULT_PAYMENT_DAYS)).strip()
    if not days.isdigit() or int(days) > 365:
        print(f"quote: QUOTE_PAYMENT_TERMS_DAYS must be a whole number of days from 0 to 365;"
              f" got {days!r}", file=sys.stderr)
        return EXIT_USAGE
    document = offer_document(request, result, loaded, language=language,
                              payment_days=int(days))
    for warning in engine_warnings():
        print(f"quote: warning: {warning}", file=sys.stderr)
    pdf = render_offer(document, language)
    if args.output == "-":
        sys.stdout.buffer.write(pdf)
        sys.stdout.buffer.flush()
    else:
        target = Path(args.output or offer_filename(document, language))
        target.write_bytes(pdf)
        print(f"wrote {target} ({len(pdf)} bytes)", file=sys.stderr)
    return EXIT_OK
