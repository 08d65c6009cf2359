"""Storage of issued offers and users (SQLAlchemy 2, Alembic). No Flask in here.

    store = Store()            # QUOTE_DATABASE_URL / DATABASE_URL, else instance/quote.db
    store.migrate()            # or migrate(url): alembic upgrade head
    with store.session() as session:
        issued = issue(session, draft, issuer_id=user.id)

See docs/store.md.
"""

from .db import Store, create_store_engine, database_url, normalize_url
from .errors import (
    DuplicateEmail,
    IdempotencyConflict,
    IllegalTransition,
    InvalidDraft,
    InvalidEmail,
    InvalidRole,
    PasswordTooShort,
    StoreError,
    UnknownUser,
    UserError,
)
from .finance import CurrencyTotals, ExportRow, OfferFilters, OfferPage, export_rows, list_offers
from .migrate import migrate
from .models import ROLES, STATUSES, ApiToken, Offer, OfferLine, User
from .offers import (
    Issued,
    accept,
    body_hash,
    cached_pdf,
    find_by_number,
    find_by_token,
    forget_pdfs,
    get_offer,
    issue,
    keep_pdf,
    pdf_for,
    replacement_of,
    revise,
    withdraw,
)
from .users import (
    add_user,
    create_api_token,
    disable_user,
    find_user,
    list_users,
    user_for_api_token,
    verify_password,
)

__all__ = [
    "ROLES", "STATUSES", "ApiToken", "CurrencyTotals", "DuplicateEmail", "ExportRow",
    "IdempotencyConflict", "IllegalTransition", "InvalidDraft", "InvalidEmail", "InvalidRole",
    "Issued", "Offer", "OfferFilters", "OfferLine", "OfferPage", "PasswordTooShort", "Store",
    "StoreError", "UnknownUser", "User", "UserError", "accept", "add_user", "body_hash",
    "cached_pdf", "keep_pdf",
    "create_api_token", "create_store_engine", "database_url", "disable_user", "export_rows",
    "find_by_number", "find_by_token", "find_user", "forget_pdfs", "get_offer", "issue",
    "list_offers", "list_users", "migrate", "normalize_url", "pdf_for", "replacement_of",
    "revise", "user_for_api_token", "verify_password", "withdraw",
]
