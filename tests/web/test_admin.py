"""User management by an administrator: add; change e-mail, name, phone and role; set a
password; disable and enable; see and revoke API tokens. Every problem of a form shows at
once at its field, and a form with a problem changes nothing."""

from __future__ import annotations

import html
import logging
import re

from quote.store import create_api_token, find_user, verify_password
from quote.store.users import list_api_tokens

NEW = {"email": "New.Person@example.com", "display_name": "New Person", "role": "finance",
       "password": "a long enough password", "password_again": "a long enough password"}
PASSWORD = "correct horse battery"  # every user of the fixture ``users``


def stored(app, email):
    with app.extensions["quote.store"].session(read_only=True) as session:
        return find_user(session, email)


def field_error(page: str, field: str) -> str:
    """The text of the error shown at ``field`` ("" when there is none)."""
    found = re.search(rf'<p class="error" id="{field}-error" role="alert"( hidden)?>(.*?)</p>',
                      page, re.S)
    assert found is not None, f"no error element at {field}"
    return html.unescape(found.group(2)).strip()


def details(user, **changes) -> dict:
    """The details form of ``user`` as it is shown, with ``changes``."""
    return {"email": user.email, "display_name": user.display_name, "phone": user.phone,
            "role": user.role, **changes}


def token_for(app, email: str, name: str) -> str:
    with app.extensions["quote.store"].session() as session:
        return create_api_token(session, find_user(session, email), name).token


def test_an_admin_adds_a_user_who_can_then_sign_in(sign_in, app):
    admin = sign_in("admin")
    response = admin.post("/admin/users", data=NEW, follow_redirects=True)
    assert response.status_code == 200
    assert "User new.person@example.com added." in response.get_data(as_text=True)
    with app.extensions["quote.store"].session(read_only=True) as session:
        assert verify_password(session, "new.person@example.com", NEW["password"]).role == \
            "finance"


def test_adding_a_user_shows_every_problem_at_once_at_its_field(sign_in, app, users):
    admin = sign_in("admin")
    response = admin.post("/admin/users", data={
        **NEW, "email": users["sales"].upper(), "phone": "call me", "display_name": "x" * 201,
        "password_again": "something else"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert field_error(page, "email") == "A user with this e-mail address exists already."
    assert field_error(page, "password_again") == "The two passwords differ."
    assert field_error(page, "phone").startswith("A phone number has digits, spaces")
    assert field_error(page, "display_name") == (
        "A name has at most 200 characters and no control characters.")
    assert field_error(page, "password") == ""
    assert stored(app, users["sales"]).display_name == "Sales Person"

    short = admin.post("/admin/users?lang=de", data={**NEW, "password": "short",
                                                     "password_again": "short"})
    assert field_error(short.get_data(as_text=True), "password") == (
        "Das Passwort braucht mindestens 12 Zeichen.")
    assert stored(app, NEW["email"]) is None


def test_an_admin_changes_e_mail_name_phone_and_role_at_once(sign_in, app, users, caplog):
    admin = sign_in("admin")
    sales = stored(app, users["sales"])
    with caplog.at_level(logging.INFO):
        response = admin.post(f"/admin/users/{sales.id}", data={
            "email": " Sam.Sales@Example.com ", "display_name": "Sam Sales",
            "phone": "+49 30  1234567-12", "role": "finance"}, follow_redirects=True)
    assert "User sam.sales@example.com changed." in response.get_data(as_text=True)
    changed = stored(app, "sam.sales@example.com")
    assert (changed.id, changed.display_name, changed.phone, changed.role) == (
        sales.id, "Sam Sales", "+49 30 1234567-12", "finance")
    assert stored(app, users["sales"]) is None
    assert ("users: sales@example.com changed: e-mail sam.sales@example.com, name "
            "'Sam Sales', phone '+49 30 1234567-12', role finance (before: "
            "sales@example.com, 'Sales Person', '', sales) by admin@example.com") in caplog.text
    with app.extensions["quote.store"].session(read_only=True) as session:
        assert verify_password(session, "sam.sales@example.com", PASSWORD) is not None


def test_a_change_with_problems_shows_them_all_and_changes_nothing(sign_in, app, users):
    admin = sign_in("admin")
    sales = stored(app, users["sales"])
    response = admin.post(f"/admin/users/{sales.id}", data=details(
        sales, email=users["finance"], phone="=1+1", display_name="Tab\there",
        role="admin"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert field_error(page, "email") == "A user with this e-mail address exists already."
    assert field_error(page, "phone").startswith("A phone number has digits, spaces")
    assert field_error(page, "display_name").startswith("A name has at most 200 characters")
    assert 'value="=1+1"' in page  # what was typed stays in the form
    unchanged = stored(app, users["sales"])
    assert (unchanged.display_name, unchanged.phone, unchanged.role) == (
        "Sales Person", "", "sales")
    assert admin.post(f"/admin/users/{sales.id}", data=details(sales, email="nonsense")
                      ).status_code == 422
    assert admin.post("/admin/users/9999", data=details(sales)).status_code == 404


def test_an_admin_cannot_lock_themselves_out(sign_in, app, users):
    admin = sign_in("admin")
    me = stored(app, users["admin"])
    refused = admin.post(f"/admin/users/{me.id}", data=details(me, role="sales",
                                                                display_name="Me"))
    assert refused.status_code == 422
    assert field_error(refused.get_data(as_text=True), "role") == (
        "You cannot change your own role.")
    assert stored(app, users["admin"]).display_name == "Admin Person"
    response = admin.post(f"/admin/users/{me.id}/disable", follow_redirects=True)
    assert "You cannot disable your own account." in response.get_data(as_text=True)
    assert stored(app, users["admin"]).active is True
    renamed = admin.post(f"/admin/users/{me.id}", data=details(me, email="boss@example.com"))
    assert renamed.status_code == 303  # a new address of one's own is fine
    assert admin.get("/admin/users").status_code == 200


def test_a_disabled_user_is_enabled_again_with_their_password(sign_in, app, users, client):
    admin = sign_in("admin")
    victim = sign_in("finance")
    finance = stored(app, users["finance"])
    token = token_for(app, users["finance"], "reports")
    admin.post(f"/admin/users/{finance.id}/disable")
    assert stored(app, users["finance"]).active is False
    assert victim.get("/finance/offers").status_code == 302  # signed out
    listed = admin.get("/admin/users").get_data(as_text=True)
    assert "Enable<span class=\"visually-hidden\"> finance@example.com</span>" in listed

    response = admin.post(f"/admin/users/{finance.id}/enable", follow_redirects=True)
    assert "User finance@example.com enabled." in response.get_data(as_text=True)
    assert stored(app, users["finance"]).active is True
    assert sign_in("finance").get("/finance/offers").status_code == 200
    revoked = client.get("/api/v1/customers", headers={"Authorization": f"Bearer {token}"})
    assert revoked.status_code == 401  # disabling revoked the tokens for good


def test_an_admin_sets_a_new_password_and_the_user_s_sessions_end(sign_in, app, users):
    admin = sign_in("admin")
    victim = sign_in("sales")
    sales = stored(app, users["sales"])
    both = admin.post(f"/admin/users/{sales.id}/password",
                      data={"password": "short", "password_again": "other"})
    assert both.status_code == 422
    page = both.get_data(as_text=True)
    assert field_error(page, "password") == "The password needs at least 12 characters."
    assert field_error(page, "password_again") == "The two passwords differ."
    assert victim.get("/offers").status_code == 200  # nothing changed

    new = "a brand new passphrase"
    response = admin.post(f"/admin/users/{sales.id}/password",
                          data={"password": new, "password_again": new},
                          follow_redirects=True)
    assert ("Password of sales@example.com set; their sessions have ended."
            in response.get_data(as_text=True))
    assert victim.get("/offers").status_code == 302
    with app.extensions["quote.store"].session(read_only=True) as session:
        assert verify_password(session, users["sales"], PASSWORD) is None
        assert verify_password(session, users["sales"], new) is not None


def test_an_admin_setting_their_own_password_stays_signed_in_here_only(sign_in, app, users):
    admin, elsewhere = sign_in("admin"), sign_in("admin")
    me = stored(app, users["admin"])
    new = "a brand new passphrase"
    response = admin.post(f"/admin/users/{me.id}/password",
                          data={"password": new, "password_again": new},
                          follow_redirects=True)
    assert "Your password is set; your other sessions have ended." in \
        response.get_data(as_text=True)
    assert admin.get("/admin/users").status_code == 200
    assert elsewhere.get("/admin/users").status_code == 302


def test_an_admin_sees_a_user_s_tokens_without_their_secret_and_revokes_one(sign_in, app,
                                                                            users, client):
    admin = sign_in("admin")
    sales = stored(app, users["sales"])
    crm, laptop = token_for(app, users["sales"], "CRM"), token_for(app, users["sales"], "")
    bearer = {"Authorization": f"Bearer {crm}"}
    assert client.get("/api/v1/customers", headers=bearer).status_code == 200

    page = admin.get(f"/admin/users/{sales.id}").get_data(as_text=True)
    rows = re.findall(r'<tr data-token="(\d+)">(.*?)</tr>', page, re.S)
    cells = [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", row,
                                                                      re.S)]
             for _, row in rows]
    assert [c[0] for c in cells] == ["CRM", "without a name"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", cells[0][1])
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", cells[0][2])  # used just now
    assert cells[1][2] == "never"
    with app.extensions["quote.store"].session(read_only=True) as session:
        hashes = [t.token_hash for t in list_api_tokens(session, sales)]
    for secret in (crm, laptop, *hashes):
        assert secret not in page

    crm_id = rows[0][0]
    response = admin.post(f"/admin/users/{sales.id}/tokens/{crm_id}/revoke",
                          follow_redirects=True)
    assert "API token “CRM” of sales@example.com revoked." in response.get_data(as_text=True)
    assert client.get("/api/v1/customers", headers=bearer).status_code == 401
    assert client.get("/api/v1/customers",
                      headers={"Authorization": f"Bearer {laptop}"}).status_code == 200
    finance = stored(app, users["finance"])
    elsewhere = admin.post(f"/admin/users/{finance.id}/tokens/{rows[1][0]}/revoke")
    assert elsewhere.status_code == 404  # not that user's token
    assert client.get("/api/v1/customers",
                      headers={"Authorization": f"Bearer {laptop}"}).status_code == 200


def test_every_column_has_a_header_and_every_button_a_name_of_its_own(sign_in, app, users):
    admin = sign_in("admin")
    token_for(app, users["sales"], "CRM")
    sales = stored(app, users["sales"])
    for path in ("/admin/users", f"/admin/users/{sales.id}"):
        page = admin.get(path).get_data(as_text=True)
        headers = re.findall(r"<th[^>]*>(.*?)</th>", page, re.S)
        assert headers and all(re.sub(r"<[^>]+>", "", h).strip() for h in headers), headers
    assert ('Revoke<span class="visually-hidden"> CRM</span>'
            in admin.get(f"/admin/users/{sales.id}").get_data(as_text=True))


def test_every_form_needs_its_csrf_token(make_app, users):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                      client.get("/sign-in").get_data(as_text=True)).group(1)
    client.post("/sign-in", data={"email": users["admin"], "password": PASSWORD,
                                  "csrf_token": token})
    sales = stored(app, users["sales"])
    posts = {f"/admin/users/{sales.id}": details(sales, display_name="Changed"),
             f"/admin/users/{sales.id}/password": {"password": "x" * 12,
                                                   "password_again": "x" * 12},
             f"/admin/users/{sales.id}/disable": {}, f"/admin/users/{sales.id}/enable": {},
             f"/admin/users/{sales.id}/tokens/1/revoke": {}, "/admin/users": NEW}
    for path, data in posts.items():
        assert client.post(path, data=data).status_code == 400, path
    assert stored(app, users["sales"]).display_name == "Sales Person"
    page = client.get(f"/admin/users/{sales.id}").get_data(as_text=True)
    assert page.count('name="csrf_token"') >= 3  # details, password, disable (and sign-out)
    form = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    changed = client.post(f"/admin/users/{sales.id}",
                          data=details(sales, display_name="Changed", csrf_token=form))
    assert changed.status_code == 303
    assert stored(app, users["sales"]).display_name == "Changed"


def test_only_an_admin_manages_users(sign_in, app, users):
    sales = stored(app, users["sales"])
    for role in ("sales", "finance"):
        client = sign_in(role)
        assert client.get(f"/admin/users/{sales.id}").status_code == 403
        assert client.post(f"/admin/users/{sales.id}",
                           data=details(sales, role="admin")).status_code == 403
        assert client.post(f"/admin/users/{sales.id}/tokens/1/revoke").status_code == 403
    assert sign_in(None).get(f"/admin/users/{sales.id}").status_code == 302
