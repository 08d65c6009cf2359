"""Fixtures of the web tests: the app with the shipped rate cards on a fresh SQLite
database, its test client, users of every role and their API tokens."""

from __future__ import annotations

import shutil

import pytest

from quote import create_app
from quote.store import add_user, create_api_token, migrate

TODAY = "2026-01-15"
PASSWORD = "correct horse battery"
ROLES = ("sales", "finance", "admin")


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory):
    """A migrated, empty SQLite file, copied for every app (migrating once is enough)."""
    path = tmp_path_factory.mktemp("template") / "quote.db"
    migrate(f"sqlite:///{path}")
    return path


@pytest.fixture
def database_url(migrated_database, tmp_path):
    path = tmp_path / "quote.db"
    if not path.exists():
        shutil.copyfile(migrated_database, path)
    return f"sqlite:///{path}"


@pytest.fixture(autouse=True)
def _no_database_from_the_environment(monkeypatch, database_url):
    # an app built without DATABASE_URL in a test must not touch instance/quote.db
    monkeypatch.setenv("QUOTE_DATABASE_URL", database_url)
    monkeypatch.delenv("DATABASE_URL", raising=False)


@pytest.fixture
def make_app(database_url):
    """Factory: the app with test settings (rate limits off), overridden by ``config``."""

    def make(**config):
        settings = {"TESTING": True, "WTF_CSRF_ENABLED": False, "TODAY": TODAY,
                    "SECRET_KEY": "test", "DATABASE_URL": database_url,
                    "RATELIMIT_ENABLED": False}
        settings.update(config)
        return create_app(settings)

    return make


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def users(app):
    """One active user per role: {role: email}; the password is PASSWORD."""
    store = app.extensions["quote.store"]
    emails = {}
    with store.session() as session:
        for role in ROLES:
            user = add_user(session, f"{role}@example.com", f"{role.title()} Person",
                            PASSWORD, role=role)
            emails[role] = user.email
    return emails


@pytest.fixture
def tokens(app, users):
    """An API token per role: {role: token}."""
    from quote.store import find_user

    store = app.extensions["quote.store"]
    found = {}
    with store.session() as session:
        for role, email in users.items():
            found[role] = create_api_token(session, find_user(session, email), "tests").token
    return found


@pytest.fixture
def sign_in(app, users):
    """Factory: a test client signed in as a user of ``role`` (None: anonymous)."""

    def make(role: str | None, client=None):
        client = client or app.test_client()
        if role is not None:
            response = client.post("/sign-in", data={"email": users[role],
                                                     "password": PASSWORD})
            assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return make


@pytest.fixture
def form_data():
    """Factory: a filled-in quote form (as posted), with any field overridden."""

    def make(**overrides) -> dict:
        data = {
            "entry_language": "en",
            "rate_card": "bpmonline",
            "package": "business",
            "deployment": "on_site",
            "license_value": "12,000.00",
            "term_start": "2026-01-01",
            "term_years": "1",
            "environments": "",
            "language": "en",
        }
        for row in range(3):
            for name in ("date", "license_value", "environments"):
                data[f"additions-{row}-{name}"] = ""
        data.update(overrides)
        return data

    return make
