"""Quote requests built from a stored contract and issued through the service: the card
version a top-up and a renewal are priced with, billing, ended contracts, reinstatement,
renewal uplift and prepayment discount. Figures from docs/pricing.md (rules 7 to 10)
and docs/contracts.md, worked out by hand.

bpm'online Business on-site: 20 % of the license value (2019.1), 25 % from 2026.1.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from contract_helpers import D, new_contract, reread

from quote.core.errors import QuoteInputError
from quote.core.pricing import price_quote
from quote.lifecycle import (
    ContractNotActive,
    OfferDoesNotFit,
    cancel_contract,
    issue_offer,
    reinstatement_request,
    renewal_request,
    top_up_request,
)
from quote.store import UnknownContract, find_by_number

SIX_THOUSAND = [{"date": "2026-07-01", "license_value": "6000.00"}]


def lines(result) -> list[tuple[str, Decimal]]:
    return [(line.code, line.amount) for line in result.lines]


def test_a_top_up_is_priced_on_the_contract_s_own_card_version(store, two_versions):
    # sold on 2019.1 (20 %); 2026.1 (25 %) is in force when the top-up is priced
    contract = new_contract(store, two_versions, term_years=3)
    request = top_up_request(two_versions, contract, SIX_THOUSAND, today=D(2026, 6, 15))
    assert (request.kind, request.rate_card_version, request.contract, request.as_of) == (
        "top_up", "2019.1", "C-000001", D(2026, 6, 15))
    assert (request.license_value, request.term_start, request.term_years, request.billing,
            request.language, request.customer.company, request.customer.email) == (
        Decimal("12000.00"), D(2026, 1, 1), 3, "prepaid", "de", "Müller GmbH",
        "hans@mueller.example")
    result = price_quote(request, two_versions, D(2026, 6, 15))
    # 2,400.00 → 3,600.00: 1,200.00 × 184/365 + 1,200.00 + 1,200.00
    assert result.rate_card.version == "2019.1"
    assert lines(result) == [("addition", Decimal("3004.93"))]


def test_a_card_that_prices_top_ups_at_current_prices_uses_the_version_in_force(
        store, make_rates):
    book = make_rates(top_up_prices="current")
    contract = new_contract(store, book, term_years=3)
    request = top_up_request(book, contract, SIX_THOUSAND, today=D(2026, 6, 15))
    assert request.rate_card_version == "2026.1"
    # 25 %: 3,000.00 → 4,500.00: 1,500.00 × 184/365 = 756.16 (756.1643...) + 1,500.00 × 2
    result = price_quote(request, book, D(2026, 6, 15))
    assert lines(result) == [("addition", Decimal("3756.16"))]


@pytest.mark.parametrize(("billing", "total", "schedule", "annual_cost"), [
    ("prepaid", "3004.93", [(1, "604.93", D(2026, 7, 1)), (2, "1200.00", D(2026, 7, 1)),
                            (3, "1200.00", D(2026, 7, 1))], "3600.00"),
    ("annual", "604.93", [(1, "604.93", D(2026, 7, 1))], "3600.00"),
])
def test_the_contract_s_billing_decides_the_top_up_s_schedule(store, book, sales, billing,
                                                              total, schedule, annual_cost):
    contract = new_contract(store, book, term_years=3, billing=billing)
    request = top_up_request(book, contract, SIX_THOUSAND, today=D(2026, 6, 15))
    with store.session() as session:
        issued = issue_offer(session, book, request, today=D(2026, 6, 15), issuer_id=sales)
    with store.session(read_only=True) as session:
        offer = find_by_number(session, issued.offer.number)
        result = offer.document.result
        assert (offer.kind, offer.contract_id, offer.customer_id, offer.term_start) == (
            "top_up", contract.id, contract.customer_id, D(2026, 1, 1))
    assert result.billing == billing and result.total == Decimal(total)
    assert [(e.year, e.amount, e.due) for e in result.schedule] == [
        (year, Decimal(amount), due) for year, amount, due in schedule]
    assert result.annual_cost == Decimal(annual_cost)


def test_a_top_up_after_the_contract_s_end_is_refused_pointing_to_reinstatement(store, book):
    contract = new_contract(store, book, term_start="2024-01-01", term_years=1)
    request = top_up_request(book, contract, [{"date": "2024-10-01", "license_value": "100"}],
                             today=D(2025, 2, 1))
    assert contract.status_on(D(2025, 2, 1)) == "ended"
    with pytest.raises(QuoteInputError) as refused:
        price_quote(request, book, D(2025, 2, 1))
    assert [(e.field, e.message) for e in refused.value.errors] == [
        ("term_start", "the contract ended on 2024-12-31: a top-up is no longer possible; "
                       "price a reinstatement instead")]


def test_a_cancelled_contract_is_neither_topped_up_nor_renewed(store, book):
    contract = new_contract(store, book)
    with store.session() as session:
        cancel_contract(session, contract, today=D(2026, 3, 1), note="customer left")
    contract = reread(store, "C-000001")
    assert contract.status_on(D(2026, 3, 1)) == "cancelled"
    with pytest.raises(ContractNotActive, match="C-000001 is cancelled and cannot be topped up"):
        top_up_request(book, contract, SIX_THOUSAND, today=D(2026, 6, 1))
    with pytest.raises(ContractNotActive, match="cannot be renewed"):
        renewal_request(book, contract, today=D(2026, 12, 1))


def test_a_reinstatement_of_an_ended_contract_charges_back_support_and_the_fee(store, book):
    # lapsed 2024 contract, reinstated from 2025-04-01 for a year: 2,400.00 × 90/365 =
    # 591.78 back-support, 20 % fee 118.36, support 2,400.00
    contract = new_contract(store, book, term_start="2024-01-01", term_years=1)
    request = reinstatement_request(book, contract, start=D(2025, 4, 1), years=1,
                                    today=D(2025, 3, 20))
    assert (request.kind, request.lapsed.start, request.lapsed.end) == (
        "reinstatement", D(2024, 1, 1), D(2024, 12, 31))
    result = price_quote(request, book, D(2025, 3, 20))
    assert lines(result) == [("back_support", Decimal("591.78")),
                             ("reinstatement_fee", Decimal("118.36")),
                             ("support", Decimal("2400.00"))]
    assert result.total == Decimal("3110.14")
    assert [(e.year, e.amount) for e in result.schedule] == [
        (None, Decimal("710.14")), (1, Decimal("2400.00"))]


def test_a_renewal_starts_the_day_after_the_end_with_uplift_and_prepayment_discount(
        store, book):
    # 3 years from 2027-01-01 on 12,000.00: support 7,200.00; uplift 3 %: 72.00 and
    # 146.16; 5 % off 7,418.16 prepaid = 370.91; 7,047.25
    contract = new_contract(store, book, term_start="2024-01-01", term_years=3)
    request = renewal_request(book, contract, today=D(2026, 11, 1))
    assert (request.kind, request.term_start, request.term_years, request.billing,
            request.rate_card_version) == ("renewal", D(2027, 1, 1), 3, "prepaid", "2019.1")
    result = price_quote(request, book, D(2026, 11, 1))
    assert lines(result) == [("support", Decimal("7200.00")), ("uplift", Decimal("72.00")),
                             ("uplift", Decimal("146.16")),
                             ("prepayment_discount", Decimal("-370.91"))]
    assert result.total == Decimal("7047.25")
    assert [e.amount for e in result.schedule] == [
        Decimal("2280.00"), Decimal("2348.40"), Decimal("2418.85")]
    annual = price_quote(renewal_request(book, contract, billing="annual", today=D(2026, 11, 1)),
                         book, D(2026, 11, 1))
    assert annual.total == Decimal("7418.16")  # no prepayment discount
    one = price_quote(renewal_request(book, contract, years=1, today=D(2026, 11, 1)), book,
                      D(2026, 11, 1))
    assert lines(one) == [("support", Decimal("2400.00"))]


def test_a_renewal_takes_the_prices_in_force_unless_the_contract_s_card_locks_them(
        store, make_rates):
    # 2026.1: 25 % = 3,000.00 a year; 3 years: 9,000.00 + 90.00 + 182.70 (3,000.00 ×
    # 1.0609 − 3,000.00) = 9,272.70, 5 % off = 463.64 (463.635): 8,809.06
    current = make_rates()
    contract = new_contract(store, current, term_start="2024-01-01", term_years=3)
    request = renewal_request(current, contract, today=D(2026, 11, 1))
    result = price_quote(request, current, D(2026, 11, 1))
    assert request.rate_card_version == "2026.1"
    assert lines(result) == [("support", Decimal("9000.00")), ("uplift", Decimal("90.00")),
                             ("uplift", Decimal("182.70")),
                             ("prepayment_discount", Decimal("-463.64"))]
    assert result.total == Decimal("8809.06")
    locked = make_rates(price_lock=True)
    request = renewal_request(locked, contract, today=D(2026, 11, 1))
    assert request.rate_card_version == "2019.1"
    assert price_quote(request, locked, D(2026, 11, 1)).total == Decimal("7047.25")


def test_issuing_links_the_offer_to_the_contract_it_names(store, book, sales):
    contract = new_contract(store, book, term_years=3)
    request = top_up_request(book, contract, SIX_THOUSAND, today=D(2026, 6, 15))
    with store.session() as session:
        stranger = request.model_copy(update={"contract": "C-000099"})
        with pytest.raises(UnknownContract):
            issue_offer(session, book, stranger, today=D(2026, 6, 15))
        otrs = request.model_copy(update={"rate_card": "otrs", "package": "basic"})
        with pytest.raises(OfferDoesNotFit, match="on the rate card bpmonline, not otrs"):
            issue_offer(session, book, otrs, today=D(2026, 6, 15))
        new = request.model_copy(update={"kind": "new", "existing_contract": False,
                                         "additions": []})
        with pytest.raises(OfferDoesNotFit, match="cannot name a contract"):
            issue_offer(session, book, new, today=D(2026, 6, 15))
        issued = issue_offer(session, book, request, today=D(2026, 6, 15), issuer_id=sales,
                             valid_days=14)
        assert (issued.offer.number, issued.offer.valid_until, issued.offer.issuer_id) == (
            "Q-2026-000001", D(2026, 6, 29), sales)
