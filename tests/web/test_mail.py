"""Mail settings and start-up, where mail goes without a server, and the rules of
deliveries: claimed once, given up after the last attempt, reminders only for offers
e-mailed to the customer, notices to the customer's salesperson and on acceptance."""

from __future__ import annotations

import datetime as dt
import logging
from email import message_from_bytes, policy

import pytest
from offer_helpers import store_offer

from quote.store import add_customer, find_by_number, find_user
from quote.store.customers import NewContact
from quote.store.deliveries import add_delivery, claim, deliveries_of
from quote.web.app import ConfigError

NOW = dt.datetime(2026, 1, 15, 12, tzinfo=dt.UTC)
CUSTOMER = {"company": "ACME GmbH", "contact": "Eva Muster", "email": "eva@acme.example",
            "country": "DE"}


def request_form(form_data, **overrides) -> dict:
    """The public form with the customer a numbered offer needs, with overrides."""
    return form_data(**{"customer-company": "ACME GmbH", "customer-contact": "Eva Muster",
                        "customer-email": "eva@acme.example", "customer-country": "DE",
                        **overrides})


def production(make_app, **config):
    return make_app(TESTING=False, ENV="production", SECRET_KEY="k" * 32, **config)


def test_production_without_a_mail_server_says_so_at_start_up(make_app, caplog):
    with caplog.at_level(logging.ERROR, logger="quote"):
        app = production(make_app)
    said = caplog.text
    assert "QUOTE_MAIL_SERVER is not set, so no e-mail is sent" in said
    assert "flask mail retry" in said
    assert "QUOTE_PUBLIC_URL is not set" in said
    assert app.extensions["quote.mail"].settings.backend == "none"


def test_a_mail_server_is_used_with_its_defaults(make_app, caplog):
    with caplog.at_level(logging.INFO, logger="quote"):
        app = production(make_app, MAIL_SERVER="smtp.example.com", MAIL_USERNAME="quote",
                         MAIL_PASSWORD=123456, PUBLIC_URL="https://quote.example.com")
    settings = app.extensions["quote.mail"].settings
    assert (settings.backend, settings.port, settings.tls) == ("smtp", 587, "starttls")
    assert settings.password == "123456"  # a number in the environment is still a password
    assert settings.sender == "Example Support Services GmbH <offers@example.com>"
    assert "SMTP smtp.example.com:587 (starttls) as quote" in caplog.text
    assert "123456" not in caplog.text
    assert production(make_app, MAIL_SERVER="smtp.example.com", MAIL_TLS="ssl",
                      PUBLIC_URL="https://q.example").extensions["quote.mail"].settings.port == 465


def test_a_password_is_read_as_written(make_app, monkeypatch):
    monkeypatch.setenv("QUOTE_MAIL_PASSWORD", "1e5")
    monkeypatch.setenv("QUOTE_MAIL_SERVER", "smtp.example.com")
    settings = make_app().extensions["quote.mail"].settings
    assert settings.password == "1e5"  # not the number 100000.0 that JSON makes of it


@pytest.mark.parametrize(("setting", "value", "named"), [
    ("MAIL_TLS", "tls", "QUOTE_MAIL_TLS"),
    ("MAIL_PORT", "smtp", "QUOTE_MAIL_PORT"),
    ("MAIL_SENDER", "not an address", "QUOTE_MAIL_SENDER"),
    ("MAIL_BACKEND", "smtp", "QUOTE_MAIL_SERVER"),
    ("PUBLIC_URL", "quote.example.com", "QUOTE_PUBLIC_URL"),
])
def test_a_mail_setting_that_cannot_work_stops_the_start(make_app, setting, value, named):
    with pytest.raises(ConfigError, match=named):
        make_app(**{setting: value})


def test_in_development_mail_is_written_to_a_folder(make_app, client, form_data, tmp_path):
    folder = tmp_path / "mail"
    app = make_app(TESTING=False, ENV="development", MAIL_FOLDER=str(folder))
    response = app.test_client().post("/request", data=request_form(form_data))
    assert response.status_code == 303
    (written,) = folder.glob("*.eml")
    mail = message_from_bytes(written.read_bytes(), policy=policy.default)
    assert mail["To"] == "eva@acme.example"
    assert mail["Subject"] == "Your offer Q-2026-000001"
    assert "http://127.0.0.1:5000/q/" in mail.get_body(("plain",)).get_content()


def test_in_tests_mail_is_written_to_the_log(app, client, form_data, caplog):
    with caplog.at_level(logging.INFO, logger="quote.mail"):
        client.post("/request", data=request_form(form_data))
    assert "mail to eva@acme.example" in caplog.text
    assert "Subject: Your offer Q-2026-000001" in caplog.text


def test_a_failed_delivery_is_claimed_by_one_retry_only(app, users, make_request):
    offer = store_offer(app, make_request(customer=CUSTOMER), users["sales"]).offer
    store = app.extensions["quote.store"]
    with store.session() as session:
        delivery = add_delivery(session, offer, "offer", "eva@acme.example", "en", now=NOW)
        delivery.status = "failed"
    later = NOW + dt.timedelta(minutes=1)
    rules = {"now": later, "max_attempts": 3, "stale_after": dt.timedelta(minutes=15)}
    with store.session() as session:
        first = claim(session, delivery.id, **rules)
        assert first is not None and (first.status, first.attempts) == ("pending", 2)
    with store.session() as session:
        assert claim(session, delivery.id, **rules) is None  # pending, and not stale yet
    with store.session() as session:
        stale = claim(session, delivery.id, **{**rules, "now": later + dt.timedelta(hours=1)})
        assert stale is not None and stale.attempts == 3  # its process died while sending
    with store.session() as session:
        session.get(type(stale), stale.id).status = "failed"
    with store.session() as session:
        assert claim(session, delivery.id, **rules) is None  # no attempts left


def test_after_the_last_attempt_a_mail_is_given_up(make_app, form_data, unreachable_smtp,
                                                   sign_in, users):
    app = make_app(**unreachable_smtp, MAIL_MAX_ATTEMPTS=2)
    app.test_client().post("/request", data=request_form(form_data))
    runner = app.test_cli_runner()
    assert "0 failed mail(s) sent again, 1 still failing" in runner.invoke(
        args=["mail", "retry"]).output
    last = runner.invoke(args=["mail", "retry"])
    assert last.exit_code == 0 and "0 failed mail(s) sent again, 0 still failing" in last.output
    client = sign_in("sales", app.test_client())
    page = client.get("/offers/Q-2026-000001").get_data(as_text=True)
    assert "not sent (gave up)" in page and "could not be reached" in page


def test_sales_hear_of_a_request_of_their_own_customer(make_app, smtp_server, form_data,
                                                        users):
    app = make_app(**smtp_server.settings(), MAIL_SALES_ADDRESS="desk@example.com")
    with app.extensions["quote.store"].session() as session:
        owner = find_user(session, users["sales"])
        add_customer(session, company="ACME GmbH", country="DE", owner_id=owner.id,
                     contacts=[NewContact("Eva Muster", "eva@acme.example")], now=NOW)
    app.test_client().post("/request", data=request_form(form_data, **{
        "customer-company": "acme gmbh", "customer-country": "Germany"}))
    assert len(smtp_server.to(users["sales"])) == 1  # not the sales desk
    assert smtp_server.to("desk@example.com") == []


def test_sales_hear_of_an_acceptance(make_app, smtp_server, users, make_request):
    from quote.web.mail import notify_sales_of_acceptance

    app = make_app(**smtp_server.settings(), MAIL_STAFF_LANGUAGE="de")
    offer = store_offer(app, make_request(customer=CUSTOMER), users["sales"]).offer
    with app.test_request_context():
        delivery = notify_sales_of_acceptance(offer, name="Eva Muster", position="CFO",
                                              purchase_order="PO-77", accepted_at=NOW)
    assert delivery.status == "sent"
    (mail,) = smtp_server.messages
    assert mail["To"] == users["sales"]
    assert mail["Subject"] == "Angebot Q-2026-000001 von ACME GmbH angenommen"
    text = mail.get_body(("plain",)).get_content()
    assert "Eva Muster hat Angebot Q-2026-000001 am 15. Januar 2026 angenommen." in text
    assert "Funktion: CFO" in text and "Bestellnummer: PO-77" in text


def test_only_offers_e_mailed_to_the_customer_are_reminded(make_app, smtp_server, users,
                                                           make_request):
    app = make_app(**smtp_server.settings(), TODAY="2026-02-10")
    store_offer(app, make_request(customer=CUSTOMER), users["sales"])  # never e-mailed
    result = app.test_cli_runner().invoke(args=["offers", "remind"])
    assert result.exit_code == 0
    assert "0 offer(s) expire within 7 days" in result.output
    assert smtp_server.messages == []


def test_an_offer_that_is_not_issued_is_not_sent(app, sign_in, users, make_request):
    number = store_offer(app, make_request(customer=CUSTOMER), users["sales"]).offer.number
    client = sign_in("sales")
    client.post(f"/offers/{number}/withdraw")
    page = client.post(f"/offers/{number}/send", data={"recipient": "eva@acme.example"},
                       follow_redirects=True).get_data(as_text=True)
    assert "only an issued or accepted offer is sent to the customer" in page
    with app.extensions["quote.store"].session(read_only=True) as session:
        assert deliveries_of(session, find_by_number(session, number)) == []


def test_a_mail_that_no_longer_holds_is_not_sent_on_retry(make_app, unreachable_smtp,
                                                          smtp_server, sign_in, users,
                                                          make_request):
    down = make_app(**unreachable_smtp)
    number = store_offer(down, make_request(customer=CUSTOMER), users["sales"]).offer.number
    client = sign_in("sales", down.test_client())
    client.post(f"/offers/{number}/send", data={"recipient": "eva@acme.example"})
    client.post(f"/offers/{number}/withdraw")
    up = make_app(**smtp_server.settings())
    result = up.test_cli_runner().invoke(args=["mail", "retry"])
    assert "0 failed mail(s) sent again, 0 still failing" in result.output
    assert smtp_server.messages == []
    with up.extensions["quote.store"].session(read_only=True) as session:
        (delivery,) = deliveries_of(session, find_by_number(session, number))
    assert (delivery.status, delivery.error) == ("cancelled", "the offer is withdrawn")


def test_a_retry_on_the_command_line_renders_the_pdf_the_pages_serve(make_app, smtp_server,
                                                                     users, make_request):
    app = make_app(**smtp_server.settings())
    offer = store_offer(app, make_request(customer=CUSTOMER, language="de"),
                        users["sales"]).offer
    with app.extensions["quote.store"].session() as session:
        add_delivery(session, offer, "offer", "eva@acme.example", "de", now=NOW).status = \
            "failed"  # recorded, never sent, the PDF never made
    result = app.test_cli_runner().invoke(args=["mail", "retry"])
    assert "1 failed mail(s) sent again" in result.output
    (mail,) = smtp_server.messages
    (part,) = mail.iter_attachments()
    pdf = app.test_client()
    sales = pdf.post("/sign-in", data={"email": users["sales"],
                                       "password": "correct horse battery"})
    assert sales.status_code == 302
    served = pdf.get(f"/offers/{offer.number}/offer-de.pdf").data
    assert part.get_content() == served  # rendered once, cached, the same bytes
