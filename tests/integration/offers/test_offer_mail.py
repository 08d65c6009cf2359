"""Offers by e-mail, sent to a real SMTP server the tests start, on SQLite and PostgreSQL:
what the customer and sales receive, that a refused or unreachable server loses nothing
(the offer stays issued, the delivery is recorded failed and a retry sends it), that
reminders go out once, and that a lost link is sent again without telling who is known.
"""

from __future__ import annotations

import email.utils
import io
import re

import pytest
from pypdf import PdfReader

from quote.store import add_user, cached_pdf, find_by_number
from quote.store.deliveries import deliveries_of

PASSWORD = "correct horse battery"
LINK = re.compile(r"http://localhost(/q/[A-Za-z0-9_-]{20,})")
SALES_DESK = "sales-desk@example.com"


def request_form(**overrides) -> dict:
    """The public form filled in by a customer: bpm'online Business, 12,000.00, German offer."""
    data = {
        "entry_language": "en", "rate_card": "bpmonline", "package": "business",
        "deployment": "on_site", "license_value": "12,000.00", "term_start": "2026-01-01",
        "term_years": "1", "environments": "", "language": "de",
        "customer-company": "Müller & Söhne GmbH", "customer-contact": "Erika Mustermann",
        "customer-email": "erika@example.de", "customer-country": "Deutschland",
    }
    for row in range(3):
        for name in ("date", "license_value", "environments"):
            data[f"additions-{row}-{name}"] = ""
    data.update(overrides)
    return data


@pytest.fixture
def mail_app(make_app, smtp_server):
    """Factory: the app sending to the test's SMTP server, links under http://localhost."""

    def make(**config):
        settings = {**smtp_server.settings(), "PUBLIC_URL": "http://localhost",
                    "MAIL_SENDER": "Example Support <offers@example.com>",
                    "MAIL_SALES_ADDRESS": SALES_DESK}
        settings.update(config)
        return make_app(**settings)

    return make


def request_offer(app, **overrides) -> str:
    """A customer's request through the public form; returns the page it leads to."""
    client = app.test_client()
    response = client.post("/request", data=request_form(**overrides))
    assert response.status_code == 303, response.get_data(as_text=True)
    return client.get(response.headers["Location"]).get_data(as_text=True)


def offer_and_deliveries(app, number: str = "Q-2026-000001"):
    with app.extensions["quote.store"].session(read_only=True) as session:
        offer = find_by_number(session, number)
        return offer, deliveries_of(session, offer)


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")


def html_of(message) -> str:
    return message.get_body(("html",)).get_content().replace("\r\n", "\n")


def pdf_attachment(message) -> tuple[str, bytes]:
    (part,) = list(message.iter_attachments())
    assert part.get_content_type() == "application/pdf"
    return part.get_filename(), part.get_content()


def test_a_customer_request_mails_the_offer_with_its_pdf_and_link(mail_app, smtp_server):
    app = mail_app()
    page = request_offer(app)
    assert 'data-mail="sent"' in page and "erika@example.de" in page

    (mail,) = smtp_server.to("erika@example.de")
    assert mail["Subject"] == "Ihr Angebot Q-2026-000001"
    assert mail["From"] == "Example Support <offers@example.com>"
    assert mail["Content-Language"] == "de"
    assert email.utils.parsedate_to_datetime(mail["Date"]).date().isoformat() == "2026-01-15"
    assert re.fullmatch(r"<[^@>]+@example\.com>", mail["Message-ID"])
    text, html = text_of(mail), html_of(mail)
    assert text.startswith("Guten Tag Erika Mustermann,\n\nvielen Dank für Ihre Anfrage.")
    assert "Gesamtbetrag: 2.856,00\xa0€" in text  # 2,400.00 and 19 % German VAT, 456.00
    assert "Gültig bis: 14. Februar 2026" in text
    assert "Mit freundlichen Grüßen" in text
    assert 'lang="de"' in html and "Angebot Q-2026-000001 öffnen" in html

    filename, pdf = pdf_attachment(mail)
    assert filename == "offer-Q-2026-000001-de.pdf"
    offer, deliveries = offer_and_deliveries(app)
    with app.extensions["quote.store"].session(read_only=True) as session:
        assert pdf == cached_pdf(session, offer, "de")  # the offer's PDF, byte for byte
    assert "Q-2026-000001" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()

    (path,) = set(LINK.findall(text))
    assert f'href="http://localhost{path}"' in html
    opened = app.test_client().get(path)
    assert opened.status_code == 200
    assert "Offer Q-2026-000001" in opened.get_data(as_text=True)

    assert [(d.kind, d.recipient, d.status, d.attempts) for d in deliveries] == [
        ("offer", "erika@example.de", "sent", 1),
        ("request_notice", SALES_DESK, "sent", 1)]
    assert deliveries[0].message_id == mail["Message-ID"]


def test_sales_hear_of_each_request_in_their_language(mail_app, smtp_server):
    app = mail_app(MAIL_STAFF_LANGUAGE="en")
    request_offer(app)
    (notice,) = smtp_server.to(SALES_DESK)
    assert notice["Subject"] == "New offer request Q-2026-000001 from Müller & Söhne GmbH"
    assert notice["Auto-Submitted"] == "auto-generated"
    text, html = text_of(notice), html_of(notice)
    assert "A customer requested offer Q-2026-000001 on the website." in text
    assert "E-mail: erika@example.de" in text
    assert "Total: €2,856.00" in text
    assert "http://localhost/offers/Q-2026-000001" in text
    assert "Müller &amp; Söhne GmbH" in html  # escaped in HTML
    assert not list(notice.iter_attachments())


def test_a_refusing_server_keeps_the_offer_and_a_retry_sends_it(mail_app, smtp_server):
    app = mail_app()
    smtp_server.refuse("550 5.7.1 mailbox unavailable")
    page = request_offer(app)
    assert 'data-mail="failed"' in page  # the page says so; the link is shown as always
    offer, deliveries = offer_and_deliveries(app)
    assert offer.status == "issued"
    assert [(d.kind, d.status) for d in deliveries] == [("offer", "failed"),
                                                        ("request_notice", "failed")]
    assert "550" in deliveries[0].error and "mailbox unavailable" in deliveries[0].error
    assert smtp_server.messages == []

    smtp_server.refuse(None)
    result = app.test_cli_runner().invoke(args=["mail", "retry"])
    assert result.exit_code == 0, result.output
    assert "2 failed mail(s) sent again, 0 still failing" in result.output
    _, deliveries = offer_and_deliveries(app)
    assert [(d.status, d.attempts, d.error) for d in deliveries] == [("sent", 2, ""),
                                                                     ("sent", 2, "")]
    (mail,) = smtp_server.to("erika@example.de")
    (path,) = set(LINK.findall(text_of(mail)))
    assert app.test_client().get(path).status_code == 200
    again = app.test_cli_runner().invoke(args=["mail", "retry"])
    assert "0 failed mail(s) sent again" in again.output and len(smtp_server.messages) == 2


def test_an_unreachable_server_keeps_the_offer_and_a_retry_sends_it(
        mail_app, make_app, smtp_server, unreachable_smtp):
    down = make_app(**unreachable_smtp, PUBLIC_URL="http://localhost",
                    MAIL_SALES_ADDRESS=SALES_DESK)
    request_offer(down)
    offer, deliveries = offer_and_deliveries(down)
    assert offer.status == "issued"
    assert {d.status for d in deliveries} == {"failed"}
    assert "could not be reached" in deliveries[0].error

    up = mail_app()  # the same database, now with a server that answers
    result = up.test_cli_runner().invoke(args=["mail", "retry"])
    assert result.exit_code == 0, result.output
    assert sorted(m["To"] for m in smtp_server.messages) == ["erika@example.de", SALES_DESK]


def sign_in(app, role: str = "sales", email: str = "anna@example.com"):
    with app.extensions["quote.store"].session() as session:
        add_user(session, email, "Anna Berg", PASSWORD, role=role)
    client = app.test_client()
    assert client.post("/sign-in", data={"email": email, "password": PASSWORD}
                       ).status_code == 302
    return client


def test_sales_send_the_offer_with_a_message_and_see_to_whom(mail_app, smtp_server):
    app = mail_app()
    request_offer(app, **{"language": "ru", "customer-email": "ivan@example.ru",
                          "customer-contact": "Иван Петров"})
    smtp_server.messages.clear()
    client = sign_in(app)
    page = client.get("/offers/Q-2026-000001").get_data(as_text=True)
    assert 'value="ivan@example.ru"' in page and 'id="send-to-customer"' in page
    response = client.post("/offers/Q-2026-000001/send", data={
        "recipient": "buyer@example.ru", "message": "Скидка <b>обсуждается</b>.\nЗвоните!"},
        follow_redirects=True)
    shown = response.get_data(as_text=True)
    assert ("Offer Q-2026-000001 was sent to buyer@example.ru: the PDF in Русский, a link "
            "to the offer and your message.") in shown
    (mail,) = smtp_server.to("buyer@example.ru")
    assert mail["Subject"] == "Ваше предложение Q-2026-000001"
    assert mail["Reply-To"] == "anna@example.com"  # answers go to the salesperson
    text, html = text_of(mail), html_of(mail)
    assert text.startswith("Здравствуйте, Иван Петров!")
    assert "Anna Berg направляет вам наше предложение Q-2026-000001." in text
    assert "Скидка <b>обсуждается</b>.\nЗвоните!" in text
    assert "Скидка &lt;b&gt;обсуждается&lt;/b&gt;." in html
    assert pdf_attachment(mail)[0] == "offer-Q-2026-000001-ru.pdf"
    history = client.get("/offers/Q-2026-000001").get_data(as_text=True)
    assert history.count('data-delivery-status="sent"') == 3  # request, notice, this one


def test_sales_see_when_their_mail_could_not_be_sent(mail_app, smtp_server):
    app = mail_app()
    request_offer(app)
    client = sign_in(app)
    smtp_server.refuse("550 5.1.1 no such user")
    shown = client.post("/offers/Q-2026-000001/send", data={"recipient": "x@example.de"},
                        follow_redirects=True).get_data(as_text=True)
    assert "The e-mail to x@example.de could not be sent" in shown
    assert "550 5.1.1 no such user" in shown
    assert "It is kept and will be sent again later." in shown
    refused = client.post("/offers/Q-2026-000001/send", data={"recipient": "not an address"},
                          follow_redirects=True).get_data(as_text=True)
    assert "This is not an e-mail address." in refused


def test_reminders_go_out_once_before_the_offer_expires(mail_app, smtp_server):
    app = mail_app()
    request_offer(app)  # valid until 2026-02-14
    smtp_server.messages.clear()
    early = mail_app(TODAY="2026-02-01").test_cli_runner().invoke(
        args=["offers", "remind", "--days", "7"])
    assert early.exit_code == 0 and "0 offer(s) expire within 7 days" in early.output
    due = mail_app(TODAY="2026-02-08")
    first = due.test_cli_runner().invoke(args=["offers", "remind", "--days", "7"])
    assert first.exit_code == 0, first.output
    assert "Q-2026-000001\treminded" in first.output
    assert "1 offer(s) expire within 7 days without a reminder: 1 reminded" in first.output
    second = due.test_cli_runner().invoke(args=["offers", "remind", "--days", "7"])
    assert "0 offer(s) expire within 7 days without a reminder" in second.output
    (reminder,) = smtp_server.messages
    assert reminder["To"] == "erika@example.de"
    assert reminder["Subject"] == "Ihr Angebot Q-2026-000001 ist gültig bis 14. Februar 2026"
    (path,) = set(LINK.findall(text_of(reminder)))
    assert due.test_client().get(path).status_code == 200


def lost_link(app, client=None, **form):
    client = client or app.test_client()
    response = client.post("/lost-link", data=form)
    body = response.get_data(as_text=True)
    response.close()  # as the WSGI server does once the answer is out: the mail goes now
    return response.status_code, body


def test_a_lost_link_is_sent_again_answering_the_same_either_way(mail_app, smtp_server):
    app = mail_app()
    first_page = request_offer(app)
    old_link = re.search(r'id="public-link">http://localhost([^<]+)<', first_page).group(1)
    smtp_server.messages.clear()

    known = lost_link(app, email="Erika@Example.de")
    unknown = lost_link(app, email="nobody@example.org")
    wrong_pair = lost_link(app, number="Q-2026-000001", email="nobody@example.org")
    assert known == unknown == wrong_pair
    assert known[0] == 200 and 'id="link-asked"' in known[1]

    (mail,) = smtp_server.messages
    assert mail["To"] == "erika@example.de"
    assert mail["Subject"] == "Ihr Link zum Angebot Q-2026-000001"
    (path,) = set(LINK.findall(text_of(mail)))
    client = app.test_client()
    assert client.get(path).status_code == 200
    assert client.get(old_link).status_code == 200  # earlier links keep working

    by_number = lost_link(app, number="q-2026-000001")
    assert by_number == known
    assert len(smtp_server.messages) == 1  # one link mail per offer in ten minutes


def test_lost_link_requests_are_rate_limited(mail_app, smtp_server):
    app = mail_app(RATELIMIT_ENABLED=True, LIMIT_LINK_RESEND="2 per hour")
    client = app.test_client()
    assert lost_link(app, client, email="a@example.org")[0] == 200
    assert lost_link(app, client, email="b@example.org")[0] == 200
    status, body = lost_link(app, client, email="c@example.org")
    assert status == 429 and "Too many requests" in body
    assert lost_link(app, client)[0] == 429


def test_a_lost_link_request_needs_a_number_or_an_address(mail_app):
    app = mail_app()
    status, body = lost_link(app)
    assert status == 422 and "Enter the offer number, your e-mail address or both." in body
    status, body = lost_link(app, number="12345")
    assert status == 422 and "An offer number looks like Q-2026-000042." in body
