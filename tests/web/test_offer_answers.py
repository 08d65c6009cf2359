"""The customer accepts or declines an offer on its page /q/<token> (without JavaScript,
errors at the fields); staff see the answer, confirm before accepting for the customer or
withdrawing, and are told what happened; the API, the finance list and CSV show the
acceptance."""

from __future__ import annotations

import csv
import io
import re

import pytest
from form_reading import form_fields
from offer_helpers import store_offer

from quote.store import find_by_number, response_of

CUSTOMER = {"company": "Acme GmbH", "contact": "Ada Lovelace", "email": "ada@acme.example",
            "country": "DE"}


@pytest.fixture
def public_offer(app, make_request):
    """A customer's self-service offer with its link: (number, path of /q/<token>)."""
    issued = store_offer(app, make_request(customer=CUSTOMER), None, public=True)
    return issued.offer.number, f"/q/{issued.token}"


def accept_fields(page: str, **changes) -> dict:
    """The accept form as a browser sends it, filled in."""
    fields = form_fields(page, "accept-form")
    fields.update({"accept-name": "Ada Lovelace", "accept-position": "CTO",
                   "accept-purchase_order": "PO-4711", "accept-conditions": "y"})
    fields.update(changes)
    return {key: value for key, value in fields.items() if value is not None}


def answer_of(app, number):
    with app.extensions["quote.store"].session(read_only=True) as session:
        offer = find_by_number(session, number)
        return offer, response_of(session, offer)


def test_the_customer_accepts_on_the_offers_page(client, app, public_offer):
    number, path = public_offer
    page = client.get(path).get_data(as_text=True)
    assert 'id="accept-form"' in page and 'id="decline-form"' in page
    response = client.post(f"{path}/accept", data=accept_fields(page),
                           environ_base={"REMOTE_ADDR": "203.0.113.7"})
    assert response.status_code == 303 and response.location == path
    shown = client.get(path).get_data(as_text=True)
    assert f"Thank you: you accepted offer {number}." in shown
    assert 'data-answer="accepted"' in shown and 'data-status="accepted"' in shown
    assert "Accepted by Ada Lovelace (CTO) on 15 January 2026." in shown
    assert "Purchase order number: PO-4711" in shown
    assert 'id="accept-form"' not in shown
    assert "203.0.113.7" not in shown  # the address is for staff
    offer, answer = answer_of(app, number)
    assert (answer.name, answer.position, answer.purchase_order, answer.remote_addr) == (
        "Ada Lovelace", "CTO", "PO-4711", "203.0.113.7")
    assert answer.document_sha256 == offer.document_sha256
    assert offer.contract_id is not None  # the contract came with it


def test_the_address_is_the_clients_behind_the_proxy(make_app, make_request):
    app = make_app(PROXY_FIX_X_FOR=1)
    issued = store_offer(app, make_request(customer=CUSTOMER), None, public=True)
    client = app.test_client()
    path = f"/q/{issued.token}"
    client.post(f"{path}/accept", data=accept_fields(client.get(path).get_data(as_text=True)),
                headers={"X-Forwarded-For": "198.51.100.23"},
                environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert answer_of(app, issued.offer.number)[1].remote_addr == "198.51.100.23"


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"accept-name": ""}, "accept-name", "is required"),
    ({"accept-position": " "}, "accept-position", "is required"),
    ({"accept-conditions": None}, "accept-conditions",
     "Tick the box to accept the offer with its conditions."),
    ({"accept-purchase_order": "P" * 101}, "accept-purchase_order",
     "must be at most 100 characters long"),
])
def test_a_form_with_errors_says_so_at_the_field_and_accepts_nothing(
        client, app, public_offer, changes, field, message):
    number, path = public_offer
    response = client.post(f"{path}/accept",
                           data=accept_fields(client.get(path).get_data(as_text=True),
                                              **changes))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    error = re.search(rf'<p class="error" id="{field}-error" role="alert">([^<]*)</p>', page)
    assert error is not None and error.group(1) == message
    assert 'aria-invalid="true"' in page
    offer, answer = answer_of(app, number)
    assert offer.status == "issued" and answer is None


def test_accepting_twice_shows_the_first_acceptance(client, app, public_offer):
    number, path = public_offer
    page = client.get(path).get_data(as_text=True)
    client.post(f"{path}/accept", data=accept_fields(page))
    again = client.post(f"{path}/accept", data=accept_fields(page, **{"accept-name": "Bob"}),
                        follow_redirects=True)
    assert again.status_code == 200
    text = again.get_data(as_text=True)
    assert "This offer was accepted on 15 January 2026 by Ada Lovelace; nothing was changed." \
        in text
    assert answer_of(app, number)[1].name == "Ada Lovelace"


def test_an_expired_offer_says_why_it_cannot_be_accepted(make_app, make_request):
    app = make_app(TODAY="2026-02-15")  # issued 2026-01-15, valid to 2026-02-14
    issued = store_offer(app, make_request(customer=CUSTOMER), None, public=True)
    client = app.test_client()
    path = f"/q/{issued.token}"
    page = client.get(path).get_data(as_text=True)
    message = ("This offer expired on 14 February 2026 and can no longer be accepted. Please ask "
               "us for a new offer.")
    assert message in page and 'id="accept-form"' not in page
    response = client.post(f"{path}/accept", data={"accept-name": "Ada",
                                                   "accept-position": "CTO",
                                                   "accept-conditions": "y"})
    assert response.status_code == 409 and message in response.get_data(as_text=True)
    assert answer_of(app, issued.offer.number)[1] is None


def test_a_withdrawn_offer_cannot_be_accepted(client, app, public_offer, sign_in):
    number, path = public_offer
    page = client.get(path).get_data(as_text=True)
    sign_in("sales").post(f"/offers/{number}/withdraw")
    response = client.post(f"{path}/accept", data=accept_fields(page))
    assert response.status_code == 409
    assert "This offer was withdrawn and can no longer be accepted." in response.get_data(
        as_text=True)


def test_the_customer_declines_with_a_reason(client, app, public_offer, sign_in):
    number, path = public_offer
    page = client.get(path).get_data(as_text=True)
    fields = form_fields(page, "decline-form")
    missing = client.post(f"{path}/decline", data={**fields, "decline-name": "Ada"})
    assert missing.status_code == 422
    assert 'id="decline-reason-error" role="alert">is required<' in missing.get_data(
        as_text=True)
    fields.update({"decline-name": "Ada Lovelace", "decline-reason": "Too expensive."})
    done = client.post(f"{path}/decline", data=fields, follow_redirects=True)
    text = done.get_data(as_text=True)
    assert f"You declined offer {number}. Thank you for telling us why." in text
    assert 'data-status="declined"' in text and "Reason: Too expensive." in text
    refused = client.post(f"{path}/accept", data=accept_fields(page))
    assert refused.status_code == 409
    assert "This offer was declined on 15 January 2026 and cannot be accepted." in \
        refused.get_data(as_text=True)
    staff = sign_in("sales").get(f"/offers/{number}").get_data(as_text=True)
    assert 'data-answer="declined"' in staff
    assert f'href="/offers/{number}/revise"' in staff  # answered with a revision
    assert "Accept for the customer" not in staff and "Withdraw…" not in staff


def test_the_forms_need_the_csrf_token(make_app, make_request):
    app = make_app(WTF_CSRF_ENABLED=True)
    issued = store_offer(app, make_request(customer=CUSTOMER), None, public=True)
    client = app.test_client()
    path = f"/q/{issued.token}"
    page = client.get(path).get_data(as_text=True)
    without = {k: v for k, v in accept_fields(page).items() if not k.endswith("csrf_token")}
    assert client.post(f"{path}/accept", data=without).status_code == 400
    assert client.post(f"{path}/accept", data=accept_fields(page)).status_code == 303


# Staff

def test_staff_see_who_accepted_from_where_and_which_document(client, app, public_offer,
                                                              sign_in):
    number, path = public_offer
    client.post(f"{path}/accept", data=accept_fields(client.get(path).get_data(as_text=True)),
                environ_base={"REMOTE_ADDR": "203.0.113.7"})
    page = sign_in("sales").get(f"/offers/{number}").get_data(as_text=True)
    offer, _ = answer_of(app, number)
    assert "Accepted by Ada Lovelace (CTO) on 15 January 2026." in page
    assert "by the customer, through the offer" in page
    assert "203.0.113.7" in page and offer.document_sha256 in page


def test_accepting_for_the_customer_asks_first_and_says_what_happened(app, users, sign_in,
                                                                      make_request):
    number = store_offer(app, make_request(customer=CUSTOMER), users["sales"]).offer.number
    client = sign_in("sales")
    offer_page = client.get(f"/offers/{number}").get_data(as_text=True)
    assert f'href="/offers/{number}/accept"' in offer_page  # a link to a page, not a POST
    confirm = client.get(f"/offers/{number}/accept").get_data(as_text=True)
    assert f"Accept offer {number} for the customer?" in confirm
    assert 'id="confirm-form"' in confirm and f'href="/offers/{number}"' in confirm
    assert answer_of(app, number)[0].status == "issued"  # asking changed nothing
    unnamed = client.post(f"/offers/{number}/accept", data={"name": ""})
    assert unnamed.status_code == 422
    assert 'id="name-error" role="alert">is required<' in unnamed.get_data(as_text=True)
    done = client.post(f"/offers/{number}/accept",
                       data={"name": "Ada Lovelace", "purchase_order": "PO-1"},
                       follow_redirects=True).get_data(as_text=True)
    assert f"Offer {number} accepted; contract C-000001 is up to date." in done
    assert "recorded for the customer by Sales Person" in done
    _, answer = answer_of(app, number)
    assert (answer.name, answer.purchase_order, answer.user.email) == (
        "Ada Lovelace", "PO-1", users["sales"])


def test_withdrawing_asks_first_and_says_what_happened(app, users, sign_in, make_request):
    number = store_offer(app, make_request(), users["sales"]).offer.number
    client = sign_in("sales")
    confirm = client.get(f"/offers/{number}/withdraw").get_data(as_text=True)
    assert f"Withdraw offer {number}?" in confirm
    assert answer_of(app, number)[0].status == "issued"
    done = client.post(f"/offers/{number}/withdraw", follow_redirects=True)
    text = done.get_data(as_text=True)
    assert f"Offer {number} withdrawn: the customer can no longer accept it." in text
    assert 'data-status="withdrawn"' in text


def test_the_confirmation_pages_speak_german(app, users, sign_in, make_request):
    number = store_offer(app, make_request(), users["sales"]).offer.number
    page = sign_in("sales").get(f"/offers/{number}/accept?lang=de").get_data(as_text=True)
    assert f"Angebot {number} für den Kunden annehmen?" in page


# The API, the finance list and the CSV

def test_the_api_shows_the_acceptance(client, app, public_offer, tokens):
    number, path = public_offer
    bearer = {"Authorization": f"Bearer {tokens['finance']}"}
    before = client.get(f"/api/v1/quotes/{number}", headers=bearer).json
    assert before["acceptance"] is None and before["decline"] is None
    client.post(f"{path}/accept", data=accept_fields(client.get(path).get_data(as_text=True)),
                environ_base={"REMOTE_ADDR": "203.0.113.7"})
    shown = client.get(f"/api/v1/quotes/{number}", headers=bearer).json
    assert shown["status"] == "accepted"
    assert shown["acceptance"]["name"] == "Ada Lovelace"
    assert shown["acceptance"]["position"] == "CTO"
    assert shown["acceptance"]["purchase_order"] == "PO-4711"
    assert shown["acceptance"]["remote_addr"] == "203.0.113.7"
    assert shown["acceptance"]["recorded_by"] is None
    assert shown["acceptance"]["document_sha256"] == shown["document_sha256"]
    assert shown["acceptance"]["at"].startswith("2026-01-15T")


def _csv(client, locale: str) -> list[list[str]]:
    """The export of offers (a row each)."""
    data = client.get(f"/finance/offers?format=csv&rows=offers&locale={locale}"
                      ).data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(data), delimiter=";" if locale == "de" else ","))


def test_the_finance_list_and_csv_show_the_acceptance(client, app, public_offer, sign_in,
                                                      users, make_request):
    number, path = public_offer
    store_offer(app, make_request(), users["sales"])  # not accepted
    client.post(f"{path}/accept", data=accept_fields(client.get(path).get_data(as_text=True)))
    finance = sign_in("finance")
    english = _csv(finance, "en")
    assert english[0][16:] == ["Accepted on", "Accepted by", "Position", "Purchase order"]
    rows = {row[0]: row for row in english[1:]}
    assert rows[number][16:] == ["2026-01-15", "Ada Lovelace", "CTO", "PO-4711"]
    assert rows["Q-2026-000002"][16:] == ["", "", "", ""]
    german = _csv(finance, "de")
    assert german[0][16:] == ["Angenommen am", "Angenommen von", "Funktion", "Bestellnummer"]
    assert {row[0]: row for row in german[1:]}[number][16:] == [
        "15.01.2026", "Ada Lovelace", "CTO", "PO-4711"]
    listing = finance.get("/finance/offers").get_data(as_text=True)
    row = re.search(rf'<tr data-number="{number}">(.*?)</tr>', listing, re.S).group(1)
    assert '<td data-column="accepted-by">Ada Lovelace, CTO</td>' in row
    assert '<td data-column="purchase-order">PO-4711</td>' in row
    declined = finance.get("/finance/offers?status=declined").get_data(as_text=True)
    assert "No offers match." in declined


def test_the_pdf_after_the_acceptance_carries_it_not_the_cached_one(client, public_offer):
    from pypdf import PdfReader

    def text(response) -> str:
        return " ".join(" ".join(page.extract_text() for page in
                                 PdfReader(io.BytesIO(response.data)).pages).split())

    number, path = public_offer
    before = client.get(f"{path}/offer-de.pdf")
    assert "Unterschrift" in text(before) and client.get(f"{path}/offer-de.pdf").data == \
        before.data  # cached
    client.post(f"{path}/accept", data=accept_fields(client.get(path).get_data(as_text=True)))
    after = text(client.get(f"{path}/offer-de.pdf"))
    assert "Angenommen von Ada Lovelace" in after and "Bestellnummer PO-4711" in after
    assert "Unterschrift" not in after


def test_sales_get_an_e_mail_when_the_customer_accepts(make_app, make_request, smtp_server):
    app = make_app(**smtp_server.settings(), PUBLIC_URL="http://localhost",
                   MAIL_SENDER="Example Support <offers@example.com>",
                   MAIL_SALES_ADDRESS="sales-desk@example.com")
    issued = store_offer(app, make_request(customer=CUSTOMER), None, public=True)
    client = app.test_client()
    path = f"/q/{issued.token}"
    page = client.get(path).get_data(as_text=True)
    smtp_server.messages.clear()  # the offer's own mails, if any
    assert client.post(f"{path}/accept", data=accept_fields(page)).status_code == 303
    (notice,) = smtp_server.messages
    assert notice["To"] == "sales-desk@example.com"  # nobody issued it: the sales desk
    assert notice["Subject"] == f"Offer {issued.offer.number} accepted by Acme GmbH"
    text = notice.get_body(("plain",)).get_content()
    assert "Ada Lovelace" in text and "PO-4711" in text
