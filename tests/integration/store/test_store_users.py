"""Users: password hashing and policy, disabling, API tokens."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from quote.store import (
    ApiToken,
    DuplicateEmail,
    InvalidEmail,
    InvalidName,
    InvalidPhone,
    InvalidRole,
    LastAdmin,
    PasswordTooShort,
    UnknownUser,
    User,
    add_user,
    change_user,
    create_api_token,
    disable_user,
    enable_user,
    find_user,
    list_api_tokens,
    list_users,
    revoke_api_token,
    user_for_api_token,
    verify_password,
)
from quote.store.users import (
    api_token_use_due,
    check_password,
    find_api_token,
    hash_password,
    note_api_token_use,
    user_problems,
)

PASSWORD = "correct horse battery"


def test_a_password_is_stored_as_a_salted_scrypt_hash():
    first, second = hash_password(PASSWORD), hash_password(PASSWORD)
    assert first.startswith("scrypt$32768$8$1$") and PASSWORD not in first
    assert first != second  # a salt of its own
    assert check_password(first, PASSWORD) and check_password(second, PASSWORD)
    assert not check_password(first, PASSWORD + "!")
    assert not check_password("garbage", PASSWORD)


def test_a_user_signs_in_with_the_right_password_only(store):
    with store.session() as session:
        add_user(session, "  Ada@Example.COM ", "Ada Lovelace", PASSWORD, role="finance")
    with store.session() as session:
        user = verify_password(session, "ada@example.com", PASSWORD)
        assert (user.email, user.display_name, user.role, user.active) == (
            "ada@example.com", "Ada Lovelace", "finance", True)
        assert verify_password(session, "ADA@example.com", PASSWORD).id == user.id
        assert verify_password(session, "ada@example.com", "wrong password!!") is None
        assert verify_password(session, "nobody@example.com", PASSWORD) is None
        assert session.scalar(select(User.password_hash)) != PASSWORD


@pytest.mark.parametrize("password", ["", "short", "elevenchars"])
def test_a_password_shorter_than_twelve_characters_is_refused(store, password):
    with pytest.raises(PasswordTooShort, match="at least 12"), store.session() as session:
        add_user(session, "ada@example.com", "Ada", password)


def test_an_email_address_is_taken_once(store):
    with store.session() as session:
        add_user(session, "ada@example.com", "Ada", PASSWORD)
    with pytest.raises(DuplicateEmail), store.session() as session:
        add_user(session, "ADA@example.com", "Another Ada", PASSWORD)
    with store.session() as session:
        assert [u.display_name for u in list_users(session)] == ["Ada"]


def test_a_role_and_an_email_address_must_be_real(store):
    with pytest.raises(InvalidRole, match="sales, finance, admin"), store.session() as session:
        add_user(session, "ada@example.com", "Ada", PASSWORD, role="boss")
    with pytest.raises(InvalidEmail), store.session() as session:
        add_user(session, "not an address", "Ada", PASSWORD)


def test_a_disabled_user_can_neither_sign_in_nor_use_a_token(store):
    with store.session() as session:
        ada = add_user(session, "ada@example.com", "Ada", PASSWORD, role="finance")
        add_user(session, "bob@example.com", "Bob", PASSWORD)
        token = create_api_token(session, ada, "ci").token
    with store.session() as session:
        assert disable_user(session, "ada@example.com").active is False
        with pytest.raises(UnknownUser):
            disable_user(session, "carol@example.com")
    with store.session() as session:
        assert verify_password(session, "ada@example.com", PASSWORD) is None
        assert user_for_api_token(session, token) is None
        assert [u.email for u in list_users(session)] == ["ada@example.com", "bob@example.com"]
        assert [u.email for u in list_users(session, include_disabled=False)] == [
            "bob@example.com"]


def test_an_api_token_names_its_user_and_is_stored_only_as_a_hash(store):
    with store.session() as session:
        ada = add_user(session, "ada@example.com", "Ada", PASSWORD)
        bob = add_user(session, "bob@example.com", "Bob", PASSWORD)
        ada_token = create_api_token(session, ada, "laptop").token
        bob_token = create_api_token(session, bob).token
    assert ada_token.startswith("qt_") and len(ada_token) > 40 and ada_token != bob_token
    with store.session() as session:
        assert user_for_api_token(session, ada_token).email == "ada@example.com"
        assert user_for_api_token(session, bob_token).email == "bob@example.com"
        assert user_for_api_token(session, ada_token + "x") is None
        assert user_for_api_token(session, "") is None
        stored = session.scalars(select(ApiToken.token_hash)).all()
        assert ada_token not in stored and len(stored) == 2


def test_the_last_active_administrator_stays_one(store):
    with store.session() as session:
        ada = add_user(session, "ada@example.com", "Ada", PASSWORD, role="admin")
        bob = add_user(session, "bob@example.com", "Bob", PASSWORD, role="admin")
    with store.session() as session:
        disable_user(session, "bob@example.com")
    with pytest.raises(LastAdmin, match="ada@example.com is the last active administrator"), \
            store.session() as session:
        disable_user(session, "ada@example.com")
    with pytest.raises(LastAdmin), store.session() as session:
        change_user(session, session.get(User, ada.id), email=ada.email, display_name="Ada",
                    phone="", role="sales")
    with store.session() as session:
        enable_user(session, "bob@example.com")
        change_user(session, session.get(User, ada.id), email=ada.email, display_name="Ada",
                    phone="", role="sales")  # Bob is an administrator again
    with store.session() as session:
        assert {(u.email, u.role, u.active) for u in list_users(session)} == {
            ("ada@example.com", "sales", True), ("bob@example.com", "admin", True)}
        assert bob.id != ada.id


def test_a_change_of_a_user_is_all_or_nothing_and_names_every_problem(store):
    with store.session() as session:
        add_user(session, "ada@example.com", "Ada", PASSWORD)
        bob = add_user(session, "bob@example.com", "Bob", PASSWORD, phone="+49 30 1")
    with store.session() as session:
        problems = user_problems(session, email="ADA@example.com", display_name="x" * 201,
                                 phone="call me", role="boss",
                                 user=session.get(User, bob.id))
        assert {field: type(p) for field, p in problems.items()} == {
            "email": DuplicateEmail, "display_name": InvalidName, "phone": InvalidPhone,
            "role": InvalidRole}
    with pytest.raises(DuplicateEmail), store.session() as session:
        change_user(session, session.get(User, bob.id), email="ada@example.com",
                    display_name="Robert", phone="+49 30 2", role="finance")
    with store.session() as session:
        changed = change_user(session, session.get(User, bob.id), email=" Robert@Example.com",
                              display_name=" Robert ", phone="", role="finance")
        assert (changed.email, changed.display_name, changed.phone, changed.role) == (
            "robert@example.com", "Robert", "", "finance")
    with store.session() as session:
        assert find_user(session, "bob@example.com") is None
        assert find_user(session, "robert@example.com").display_name == "Robert"


def test_a_token_s_last_use_is_recorded_to_the_minute_and_one_token_is_revoked(store):
    moment = dt.datetime(2026, 1, 15, 9, 30, tzinfo=dt.UTC)
    with store.session() as session:
        ada = add_user(session, "ada@example.com", "Ada", PASSWORD)
        crm = create_api_token(session, ada, "CRM")
        laptop = create_api_token(session, ada, "laptop")
    with store.session() as session:
        record = find_api_token(session, crm.token)
        assert record.last_used_at is None and api_token_use_due(record, moment)
        assert note_api_token_use(session, record, moment) is True
        assert note_api_token_use(session, record, moment + dt.timedelta(seconds=59)) is False
    with store.session() as session:
        record = find_api_token(session, crm.token)
        assert record.last_used_at == moment
        assert not api_token_use_due(record, moment + dt.timedelta(seconds=59))
        assert note_api_token_use(session, record, moment + dt.timedelta(minutes=1)) is True
    with store.session() as session:
        user = find_user(session, "ada@example.com")
        assert [(t.name, t.last_used_at) for t in list_api_tokens(session, user)] == [
            ("CRM", moment + dt.timedelta(minutes=1)), ("laptop", None)]
        assert revoke_api_token(session, user, 9999) is None
        assert revoke_api_token(session, user, crm.record.id).name == "CRM"
    with store.session() as session:
        assert user_for_api_token(session, crm.token) is None
        assert user_for_api_token(session, laptop.token).email == "ada@example.com"
