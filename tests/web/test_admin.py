"""User management by an administrator: add, change role, disable."""

from __future__ import annotations

from quote.store import find_user, verify_password

NEW = {"email": "New.Person@example.com", "display_name": "New Person", "role": "finance",
       "password": "a long enough password", "password_again": "a long enough password"}


def stored(app, email):
    with app.extensions["quote.store"].session(read_only=True) as session:
        return find_user(session, email)


def test_an_admin_adds_a_user_who_can_then_sign_in(sign_in, app):
    admin = sign_in("admin")
    response = admin.post("/admin/users", data=NEW, follow_redirects=True)
    assert response.status_code == 200
    assert "User new.person@example.com added." in response.get_data(as_text=True)
    with app.extensions["quote.store"].session(read_only=True) as session:
        assert verify_password(session, "new.person@example.com", NEW["password"]).role == \
            "finance"


def test_adding_a_user_refuses_bad_input_next_to_the_field(sign_in, users):
    admin = sign_in("admin")
    differ = admin.post("/admin/users", data={**NEW, "password_again": "something else"})
    assert differ.status_code == 422
    assert "The two passwords differ." in differ.get_data(as_text=True)
    short = admin.post("/admin/users?lang=de", data={**NEW, "password": "short",
                                                     "password_again": "short"})
    assert "Das Passwort braucht mindestens 12 Zeichen." in short.get_data(as_text=True)
    taken = admin.post("/admin/users?lang=en", data={**NEW, "email": users["sales"]})
    assert "exists already" in taken.get_data(as_text=True)


def test_an_admin_changes_a_role_and_disables_a_user(sign_in, app, users):
    admin = sign_in("admin")
    sales = stored(app, users["sales"])
    admin.post(f"/admin/users/{sales.id}/role", data={"role": "finance"})
    assert stored(app, users["sales"]).role == "finance"
    victim = sign_in("finance")
    assert victim.get("/finance/offers").status_code == 200
    finance = stored(app, users["finance"])
    admin.post(f"/admin/users/{finance.id}/disable")
    assert stored(app, users["finance"]).active is False
    assert victim.get("/finance/offers").status_code == 302  # signed out: disabled


def test_an_admin_cannot_disable_themselves(sign_in, app, users):
    admin = sign_in("admin")
    me = stored(app, users["admin"])
    response = admin.post(f"/admin/users/{me.id}/disable", follow_redirects=True)
    assert "You cannot disable your own account." in response.get_data(as_text=True)
    assert stored(app, users["admin"]).active is True


def test_an_admin_sets_the_phone_printed_on_a_user_s_offers(sign_in, app, users):
    admin = sign_in("admin")
    added = admin.post("/admin/users", data={**NEW, "phone": " +49 30  1234567-12 "})
    assert added.status_code == 303
    assert stored(app, "new.person@example.com").phone == "+49 30 1234567-12"
    sales = stored(app, users["sales"])
    admin.post(f"/admin/users/{sales.id}/phone", data={"phone": "+43 1 234 56"})
    assert stored(app, users["sales"]).phone == "+43 1 234 56"
    page = admin.post(f"/admin/users/{sales.id}/phone", data={"phone": "call me maybe"},
                      follow_redirects=True).get_data(as_text=True)
    assert "A phone number has digits, spaces and + - / ( ) . only" in page
    assert stored(app, users["sales"]).phone == "+43 1 234 56"
    refused = admin.post("/admin/users", data={**NEW, "email": "x@example.com",
                                               "phone": "=1+1"})
    assert refused.status_code == 422 and stored(app, "x@example.com") is None
    assert sign_in("sales").post(f"/admin/users/{sales.id}/phone",
                                 data={"phone": "1"}).status_code == 403
