"""``flask users add/list/disable/enable/token`` and ``flask db upgrade``."""

from __future__ import annotations

from quote.store import find_user, verify_password

PASSWORD = "a long enough password"


def test_users_add_asks_for_the_password_twice(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "add", "Anna@Example.com", "--role", "finance",
                                 "--name", "Anna Berg"], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "added anna@example.com (finance)" in result.output
    with app.extensions["quote.store"].session(read_only=True) as session:
        user = verify_password(session, "anna@example.com", PASSWORD)
    assert user is not None and user.role == "finance" and user.display_name == "Anna Berg"


def test_users_add_refuses_different_passwords(app):
    result = app.test_cli_runner().invoke(
        args=["users", "add", "anna@example.com"],
        input=f"{PASSWORD}\nsomething else entirely\n{PASSWORD}\n{PASSWORD}\n")
    assert "do not match" in result.output


def test_users_add_from_stdin_and_a_short_password_is_refused(app):
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["users", "add", "bo@example.com", "--password-stdin"],
                       input=PASSWORD + "\n")
    assert ok.exit_code == 0
    short = runner.invoke(args=["users", "add", "cy@example.com", "--password-stdin"],
                          input="short\n")
    assert short.exit_code == 1
    assert "at least 12 characters" in short.output
    duplicate = runner.invoke(args=["users", "add", "BO@example.com", "--password-stdin"],
                              input=PASSWORD + "\n")
    assert duplicate.exit_code == 1 and "exists already" in duplicate.output


def test_users_list_disable_and_token(app, client):
    runner = app.test_cli_runner()
    runner.invoke(args=["users", "add", "bo@example.com", "--role", "sales", "--name", "Bo",
                        "--password-stdin"], input=PASSWORD + "\n")
    token = runner.invoke(args=["users", "token", "bo@example.com"]).output.strip()
    assert token.startswith("qt_")
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/quotes/Q-2026-000001", headers=headers).status_code == 404
    listed = runner.invoke(args=["users", "list"]).output
    assert listed == "bo@example.com\tsales\tactive\tBo\n"
    disabled = runner.invoke(args=["users", "disable", "bo@example.com"])
    assert disabled.exit_code == 0
    assert "1 API token(s) revoked" in disabled.output
    assert runner.invoke(args=["users", "list"]).output == "bo@example.com\tsales\tdisabled\tBo\n"
    assert client.get("/api/v1/quotes/Q-2026-000001", headers=headers).status_code == 401
    with app.extensions["quote.store"].session(read_only=True) as session:
        assert find_user(session, "bo@example.com").active is False


def test_users_enable_lets_a_disabled_user_sign_in_again_but_not_the_last_admin_go(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["users", "add", "ad@example.com", "--role", "admin",
                        "--password-stdin"], input=PASSWORD + "\n")
    last = runner.invoke(args=["users", "disable", "ad@example.com"])
    assert last.exit_code == 1
    assert "ad@example.com is the last active administrator" in last.output
    runner.invoke(args=["users", "add", "bo@example.com", "--password-stdin"],
                  input=PASSWORD + "\n")
    runner.invoke(args=["users", "disable", "bo@example.com"])
    enabled = runner.invoke(args=["users", "enable", "bo@example.com"])
    assert enabled.exit_code == 0 and enabled.output == "enabled bo@example.com\n"
    with app.extensions["quote.store"].session(read_only=True) as session:
        assert verify_password(session, "bo@example.com", PASSWORD) is not None
        assert find_user(session, "ad@example.com").active is True


def test_unknown_users_are_reported(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["users", "disable", "nobody@example.com"]).exit_code == 1
    assert runner.invoke(args=["users", "enable", "nobody@example.com"]).exit_code == 1
    assert runner.invoke(args=["users", "token", "nobody@example.com"]).exit_code == 1


def test_db_upgrade(app):
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0 and "up to date" in result.output


def test_users_password_sets_a_new_one_and_ends_the_sessions(app, sign_in, users):
    signed_in = sign_in("finance")
    result = app.test_cli_runner().invoke(
        args=["users", "password", users["finance"], "--password-stdin"],
        input="a brand new passphrase\n")
    assert result.exit_code == 0, result.output
    assert "sessions have ended" in result.output
    assert signed_in.get("/finance/offers").status_code == 302
    with app.extensions["quote.store"].session(read_only=True) as session:
        assert verify_password(session, users["finance"], "a brand new passphrase")


def test_users_password_of_an_unknown_user_is_refused(app):
    result = app.test_cli_runner().invoke(
        args=["users", "password", "nobody@example.com", "--password-stdin"],
        input=PASSWORD + "\n")
    assert result.exit_code == 1


def test_users_phone_sets_and_clears_the_number_on_offers(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["users", "add", "bo@example.com", "--name", "Bo",
                        "--phone", "+49 30 555", "--password-stdin"], input=PASSWORD + "\n")
    assert runner.invoke(args=["users", "list"]).output == \
        "bo@example.com\tsales\tactive\tBo\t+49 30 555\n"
    changed = runner.invoke(args=["users", "phone", "bo@example.com", "+49 30 555-12"])
    assert changed.exit_code == 0 and "+49 30 555-12" in changed.output
    assert runner.invoke(args=["users", "phone", "bo@example.com", "ring"]).exit_code == 1
    assert runner.invoke(args=["users", "phone", "nobody@example.com", "1"]).exit_code == 1
    runner.invoke(args=["users", "phone", "bo@example.com", ""])
    assert runner.invoke(args=["users", "list"]).output == "bo@example.com\tsales\tactive\tBo\n"
