"""How fast the pricing core prices a quote, against a baseline of the same run.

Measured: quotes priced per second by the core (a realistic request with two
additions and extra environments, validated and priced with the loaded rate
book, lines described in the request's language). Baseline: parsing and dumping
the same request JSON (``json.loads`` + ``json.dumps``) per second, measured in
the same run on the same machine, so the ratio says how much a quote costs
compared with handling its JSON at all. Several rounds; the median is reported.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import time

from quote.core.catalog import load_rates
from quote.core.pricing import price_quote
from quote.core.request import parse_request
from quote.core.tax import load_tax_rules

ROUNDS = 5
ROUND_SECONDS = 1.0  # about 2 × 5 × 1 s in all: well under 30 s

REQUEST = {
    "rate_card": "bpmonline",
    "package": "business",
    "deployment": "on_site",
    "license_value": "48250.00",
    "term_start": "2026-03-01",
    "term_years": 3,
    "environments": 3,
    "additions": [
        {"date": "2026-09-15", "license_value": "7500.00"},
        {"date": "2027-05-01", "license_value": "3200.50", "environments": 1},
    ],
    "discount_percent": "7.5",
    "language": "de",
    "customer": {"company": "Muster GmbH", "contact": "Erika Mustermann",
                 "email": "erika@example.com", "country": "DE"},
    "as_of": "2026-03-01",
}
TODAY = dt.date(2026, 3, 1)


def rate(operation, seconds: float) -> float:
    """Operations per second of ``operation`` over about ``seconds``."""
    count, batch = 0, 50
    start = time.perf_counter()
    deadline = start + seconds
    while True:
        for _ in range(batch):
            operation()
        count += batch
        now = time.perf_counter()
        if now >= deadline:
            return count / (now - start)


def measure(rounds: int = ROUNDS, seconds: float = ROUND_SECONDS) -> dict:
    book = load_rates()
    book.tax = load_tax_rules().rules  # a German customer: 19 % by the tax rules
    text = json.dumps(REQUEST)

    def price() -> None:
        price_quote(parse_request(json.loads(text)), book, TODAY)

    def baseline() -> None:
        json.dumps(json.loads(text))

    price()  # warm up: catalogues, caches
    core, base = [], []
    for _ in range(rounds):
        core.append(rate(price, seconds))
        base.append(rate(baseline, seconds))
    core_rate, base_rate = statistics.median(core), statistics.median(base)
    return {"core_quotes_per_s": core_rate, "baseline_ops_per_s": base_rate,
            "ratio": core_rate / base_rate, "rounds": rounds}


def main() -> int:
    result = measure()
    print(f"bench core: {result['core_quotes_per_s']:,.0f} quotes/s priced by the core "
          f"(median of {result['rounds']} rounds)")
    print(f"bench core: {result['baseline_ops_per_s']:,.0f} ops/s json.loads + json.dumps "
          "of the same request (baseline)")
    print(f"bench core: ratio {result['ratio']:.4f} (core quotes/s ÷ baseline ops/s; "
          f"one quote costs about {1 / result['ratio']:,.0f} JSON round trips)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
