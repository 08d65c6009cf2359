"""Currencies, example values, cards without a license value and the service-level clock,
through the form, the page and the API."""

from __future__ import annotations

import re

from form_reading import form_fields, text_of

SLA = "/api/v1/sla/deadlines"


# -- the form and the page ------------------------------------------------------------


def test_the_form_offers_the_currencies_of_the_chosen_card(client, form_data):
    page = text_of(client.get("/"))
    select = page[page.index('id="currency"'):]
    select = select[:select.index("</select>")]
    assert re.findall(r'<option[^>]*value="([A-Z]{3})"', select) == ["EUR", "RUB", "USD"]
    assert '"currencies": ["EUR", "RUB", "USD"]' in page  # for the script, per card
    priced = text_of(client.post("/", data=form_data(currency="RUB",
                                                     license_value="600,000.00")))
    assert re.search(r'id="total">RUB[\u00a0 ]?120,000\.00<', priced)


def test_the_page_marks_example_prices(client, form_data):
    page = text_of(client.post("/", data=form_data(package="premium", environments="2",
                                                   license_value="100,000.00")))
    environment = page[page.index('data-line="environment"'):]
    environment = environment[:environment.index("</tr>")]
    assert "€2,500.00" in environment and "example price" in environment
    support = page[page.index('data-line="support"'):]
    assert "example price" not in support[:support.index("</tr>")]


def test_a_card_without_a_license_value_asks_for_none(client, form_data):
    chosen = form_fields(text_of(client.get("/")))
    page = text_of(client.post("/", data=form_data(rate_card="maxence", package="basic",
                                                   license_value="", points="50")))
    assert 'id="total">€7,145.00<' in page  # 2,400.00 + 49 × 95.00 + 90.00
    fields = page[page.index('id="quote-form"'):page.index("</form>")]
    boxes = re.findall(r'<div class="license-field" data-license-field( hidden)?>', fields)
    assert boxes and all(hidden == " hidden" for hidden in boxes)
    assert "license_value" in chosen  # the default card (bpm'online) does ask


def test_the_page_shows_when_requests_are_answered(client, form_data):
    page = text_of(client.post("/", data=form_data(package="basic",
                                                   license_value="10,000.00",
                                                   term_start="2026-03-02")))
    table = page[page.index('id="sla-examples"'):]
    table = table[:table.index("</table>")]
    # Friday 6 March 2026 17:45 Moscow time; Monday 9 March is a holiday in Russia
    assert "Friday, 6 March 2026, 17:45" in table
    assert "Tuesday, 10 March 2026, 12:45" in table
    assert "Moscow time, UTC+3" in page


def test_the_page_in_german_writes_the_time_zone_in_words(client, form_data):
    page = text_of(client.post("/?lang=de", data=form_data(entry_language="de",
                                                           license_value="12.000,00")))
    assert "Ortszeit Moskau, UTC+3" in page
    assert "Europe/Moscow" not in page


# -- the API -------------------------------------------------------------------------------


def test_a_card_view_in_each_currency_names_its_example_figures(client):
    card = client.get("/api/v1/rate-cards/bpmonline?currency=RUB").json
    assert (card["currency"], card["currencies"]) == ("RUB", ["EUR", "RUB", "USD"])
    business = next(p for p in card["packages"] if p["id"] == "business")
    assert business["on_site"]["minimum"] == "45000.00"
    assert business["on_site"]["examples"] == ["minimum"]
    assert business["environments"]["examples"] == ["included", "maximum", "extra_percent"]
    assert business["service_hours"]["utc_offsets"] == ["UTC+3"]
    assert "packages.business.on_site.minimum.RUB" in card["example_figures"]
    euros = client.get("/api/v1/rate-cards/bpmonline").json
    assert next(p for p in euros["packages"]
                if p["id"] == "business")["on_site"]["examples"] == []
    unknown = client.get("/api/v1/rate-cards/bpmonline?currency=GBP")
    assert unknown.status_code == 404 and unknown.json["errors"][0]["field"] == "currency"
    assert client.get("/api/v1/rate-cards/bpmonline?currency=EUR&currency=RUB"
                      ).status_code == 400


def test_the_open_xchange_card_view_has_its_commitments(client):
    card = client.get("/api/v1/rate-cards/open-xchange?lang=de").json
    commitments = card["commitments"]
    assert commitments["communication_language"] == "en"
    assert commitments["planned_maintenance_notice"]["text"] == "3 Arbeitstage"
    assert commitments["outage"]["slower_than"]["amount"] == 30
    assert "Die gesamte formelle Kommunikation erfolgt auf Englisch." in commitments["texts"]
    premium = next(p for p in card["packages"] if p["id"] == "premium")
    first, third = premium["response_times"][0], premium["response_times"][2]
    assert first["channels"] == ["E-Mail an support@open-xchange.com mit dem Support Key",
                                 "Telefon (Notfallnummern in Deutschland, Großbritannien, "
                                 "den USA und Japan)"]
    assert len(third["channels"]) == 1
    assert first["update_interval"]["amount"] == 1 and not first["update_interval"]["example"]
    assert first["response"]["example"]
    assert card["priorities"][0]["scoped_definitions"][0]["scope"] == "Betrieb der OX Cloud"
    assert premium["service_hours"]["utc_offsets"] == ["UTC+1", "UTC+2"]


def test_sla_deadlines(client):
    response = client.post(SLA, json={"rate_card": "otrs", "package": "basic",
                                      "priority": "3",
                                      "requested_at": "2026-12-24T17:45+01:00"})
    assert response.status_code == 200
    body = response.json
    assert body["response"]["due"] == "2026-12-28T11:00:00Z"
    assert body["response"]["clock_starts"] == "2026-12-28T07:00:00Z"
    assert body["response"]["due_local"] == "2026-12-28T12:00:00+01:00"
    assert body["response"]["time"] == {"amount": 4, "unit": "hours", "text": "4 hours",
                                        "example": True}
    assert body["service_time_zone"] == "Europe/Berlin" and "resolution" not in body


def test_sla_deadlines_refuse_bad_input_per_field(client):
    response = client.post(SLA, json={"rate_card": "otrs", "package": "basic",
                                      "priority": "3", "requested_at": "2026-12-24T17:45"})
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "requested_at"
    german = client.post(SLA + "?lang=de", json={"rate_card": "otrs", "package": "basic",
                                                 "priority": "9",
                                                 "requested_at": "2026-12-24T17:45Z"})
    assert german.status_code == 422
    assert german.json["errors"] == [{"field": "priority", "message":
                                      "unbekannte Priorität; diese Preisliste hat 3, 2, 1"}]
    assert client.post(SLA, data="[", content_type="application/json").status_code == 400
    assert client.post(SLA, json=[1]).status_code == 422


def test_the_sla_endpoint_is_in_the_openapi_document(client):
    document = client.get("/api/v1/openapi.json").json
    operation = document["paths"]["/sla/deadlines"]["post"]
    assert operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/DeadlinesRequest")
    schemas = document["components"]["schemas"]
    assert schemas["SlaRequest"]["properties"]["requested_at"]["format"] == "date-time"
    otrs = next(rule for rule in schemas["SlaRules"]["oneOf"]
                if rule["properties"]["rate_card"] == {"const": "otrs"})
    assert otrs["properties"]["priority"] == {"enum": ["3", "2", "1"]}
    assert "Europe/Berlin" in schemas["SlaRules"]["properties"]["time_zone"]["enum"]
    # the quote request's currency, per card
    assert "currency" in schemas["QuoteRequest"]["properties"]
    bpm = [rule for rule in schemas["RateCardRules"]["oneOf"]
           if rule["properties"]["rate_card"] == {"const": "bpmonline"}]
    assert {tuple(rule["properties"]["currency"]["enum"]) for rule in bpm} == {
        (None, "EUR", "RUB", "USD")}
    maxence = next(rule for rule in schemas["RateCardRules"]["oneOf"]
                   if rule["properties"]["rate_card"] == {"const": "maxence"})
    assert maxence["properties"]["license_value"]["maximum"] == 0
