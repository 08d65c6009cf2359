"""The ``quote`` command line: price a request, check and show rate cards, work out
service-level deadlines.

A command is a process of its own that starts, does one thing and ends, so ``main`` first
sets two documented settings of the libraries, each only where the environment does not
set it already (``QUIET_START``):

- ``PYDANTIC_DISABLE_PLUGINS=__all__``: pydantic runs no plugin of its own (an
  observability package's, say) in the command, so it does not scan the entry points of
  every installed package for plugins when it builds its first validator;
- ``PYTZ_SKIPEXISTSCHECK=1``: pytz, through which Babel finds the machine's time zone
  when its locale data is first read, trusts its own list of zones (it ships their
  files) instead of opening each zone file (about 600) to see that it is there.

Neither changes a result; together they were about 5 % of ``quote price``'s instructions.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

from . import resources
from .core.errors import QuoteInputError

# Each command imports what only it needs (the SLA clock, the card's texts, the PDF
# renderer) when it runs: ``quote price`` starts with the pricing core alone. The core and
# Babel are imported once ``main`` has set ``QUIET_START``.

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2

QUIET_START = {"PYDANTIC_DISABLE_PLUGINS": "__all__", "PYTZ_SKIPEXISTSCHECK": "1"}


def _rates_dir(args) -> Path:
    return Path(args.rates or os.environ.get("QUOTE_RATES_DIR") or resources.rates_dir())


def _read_json(source: str):
    from .core.request import json_number

    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        raise SystemExit(_fail(f"cannot read {source}: {exc.strerror}", EXIT_USAGE)) from None
    try:
        return json.loads(text, parse_float=json_number)
    except ValueError as exc:
        raise SystemExit(_fail(f"{source} is not valid JSON: {exc}", EXIT_INPUT)) from None


def _fail(message: str, code: int) -> int:
    print(f"quote: {message}", file=sys.stderr)
    return code


def _load(args, **only):
    """The rate book with the seller's tax rules (``QUOTE_TAX_RULES``, else the shipped);
    ``only``: ``load_rates``'s ``cards`` and ``calendars``."""
    from .core.catalog import RateFileError, load_rates
    from .core.tax import TaxFileError, load_tax_rules

    try:
        book = load_rates(_rates_dir(args), **only)
        book.tax = load_tax_rules().rules
    except (RateFileError, TaxFileError) as exc:
        for problem in exc.problems:
            print(f"quote: {problem}", file=sys.stderr)
        raise SystemExit(EXIT_INPUT) from None
    return book


def print_input_errors(exc: QuoteInputError) -> int:
    """The request's errors, field by field, as JSON on standard error; the exit code."""
    json.dump({"errors": [e.as_dict() for e in exc.errors]}, sys.stderr, indent=2,
              ensure_ascii=False)
    sys.stderr.write("\n")
    return EXIT_INPUT


def cmd_price(args) -> int:
    from .core.pricing import price_quote
    from .core.request import parse_request

    data = _read_json(args.request)
    # Only the card the request names is read, and its holiday calendar is not looked up
    # (no price depends on it); ``quote rates check`` checks every card in full.
    card = data.get("rate_card") if isinstance(data, dict) else None
    book = _load(args, cards={card} if isinstance(card, str) else None, calendars=False)
    try:
        result = price_quote(parse_request(data), book, dt.date.today())
    except QuoteInputError as exc:
        return print_input_errors(exc)
    sys.stdout.write(result.model_dump_json(indent=2, exclude_none=True) + "\n")
    return EXIT_OK


def cmd_rates_check(args) -> int:
    """Every file loads; each card's example values are listed, and old forms it uses."""
    from .core.rates import example_figures

    book = _load(args)
    for card_id in book.ids():
        for loaded in book.versions[card_id]:
            card = loaded.card
            examples = example_figures(card)
            print(f"ok  {loaded.path}: {card.id} {card.version} "
                  f"(from {card.effective_from}, {len(card.packages)} packages, "
                  f"{', '.join(card.currencies)}, {len(examples)} example values)")
            for note in loaded.notes:
                print(f"    note: {note}")
            for path in examples:
                print(f"    example value: {path}")
    return EXIT_OK


def cmd_rates_show(args) -> int:
    from .core.show import card_as_text

    book = _load(args)
    on = dt.date.fromisoformat(args.as_of) if args.as_of else dt.date.today()
    loaded = book.in_force(args.card, on)
    if loaded is None:
        return _fail(f"no rate card {args.card!r} in force on {on}; known: "
                     f"{', '.join(book.ids())}", EXIT_INPUT)
    print(card_as_text(loaded.card, args.lang, on))
    return EXIT_OK


def cmd_sla(args) -> int:
    """The response (and resolution) deadline of a request arriving at TIME."""
    from .core.describe import zone_city
    from .core.sla import answer, parse_sla_request
    from .i18n import translations

    book = _load(args)
    data = {"rate_card": args.card, "package": args.package, "priority": args.priority,
            "requested_at": args.time, "language": args.lang}
    if args.zone:
        data["time_zone"] = args.zone
    try:
        found = answer(parse_sla_request(data), book, dt.date.today())
    except QuoteInputError as exc:
        return print_input_errors(exc)
    if args.json:
        sys.stdout.write(found.model_dump_json(indent=2, exclude_none=True) + "\n")
        return EXIT_OK
    _ = translations(args.lang).gettext
    print(f"{found.package_name}, {found.priority_name}: {found.service_hours}")
    for label, deadline in ((_("Response within %(time)s"), found.response),
                            (_("Resolution within %(time)s"), found.resolution)):
        if deadline is None:
            continue
        print(label % {"time": deadline.time.text})
        print(f"  {deadline.due.isoformat().replace('+00:00', 'Z')}  {deadline.text}")
        print("  " + _("customer's time (%(zone)s): %(time)s") % {
            "zone": zone_city(found.time_zone, args.lang),
            "time": deadline.due_local.isoformat()})
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="quote", description=__doc__)
    parser.add_argument("--rates", help="rate card folder (default: $QUOTE_RATES_DIR, else the "
                        "shipped rate cards)")
    commands = parser.add_subparsers(dest="command", required=True)

    price = commands.add_parser("price", help="price a quote request (JSON) and print the result")
    price.add_argument("request", help="request file, or - for standard input")
    price.set_defaults(run=cmd_price)

    rates = commands.add_parser("rates", help="check or show rate cards")
    rates_commands = rates.add_subparsers(dest="rates_command", required=True)
    check = rates_commands.add_parser("check", help="validate every rate file")
    check.set_defaults(run=cmd_rates_check)
    show = rates_commands.add_parser("show", help="print a card's packages and prices")
    show.add_argument("card")
    show.add_argument("--lang", choices=["en", "de", "ru"], default="en")
    show.add_argument("--as-of", help="date whose version to show (YYYY-MM-DD)")
    show.set_defaults(run=cmd_rates_show)

    sla = commands.add_parser("sla", help="when a support request must be answered and "
                              "resolved")
    sla.add_argument("card")
    sla.add_argument("package")
    sla.add_argument("priority", help="a priority (severity, impact level) id of the card")
    sla.add_argument("time", help='when the request arrives, with its UTC offset: '
                     '"2026-12-24T17:45+01:00"')
    sla.add_argument("--zone", help="the customer's IANA time zone for local times "
                     "(default: the offset of TIME)")
    sla.add_argument("--lang", choices=["en", "de", "ru"], default="en")
    sla.add_argument("--json", action="store_true", help="print the answer as JSON")
    sla.set_defaults(run=cmd_sla)

    from .pdf.cli import add_pdf_command  # its command imports the renderer when it runs

    add_pdf_command(commands, _load, _read_json)
    return parser


def main(argv: list[str] | None = None) -> int:
    for name, value in QUIET_START.items():
        os.environ.setdefault(name, value)
    from .i18n import CatalogueError

    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except (CatalogueError, resources.ResourcesMissing) as exc:
        return _fail(str(exc), EXIT_USAGE)


if __name__ == "__main__":
    sys.exit(main())
