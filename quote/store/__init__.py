"""Storage of issued offers and users (SQLAlchemy 2, Alembic). No Flask in here.

    store = Store()            # QUOTE_DATABASE_URL / DATABASE_URL, else instance/quote.db
    store.migrate()            # or migrate(url): alembic upgrade head
    with store.session() as session:
        issued = issue(session, draft, issuer_id=user.id)

See docs/store.md.
"""

from ..first_use import imported_at_first_use
from .contracts import (
    ContractPage,
    ContractTerms,
    add_contract,
    add_event,
    contract_by_number,
    contract_history,
    contracts_due,
    draw_contract_numbers,
    due_keys,
    event_of_offer,
    find_contract,
    format_contract_number,
    get_contract,
    list_contracts,
    locked_contract,
    open_renewal_offers,
    same_contract,
)
from .customers import (
    CustomerData,
    CustomerPage,
    NewContact,
    add_contact,
    add_customer,
    check_customer,
    country_code,
    find_customers,
    get_customer,
    list_customers,
    looked_after_by,
    matching_customer,
    normalize_vat_id,
    set_primary_contact,
)
from .db import Store, create_store_engine, database_url, normalize_url
from .errors import (
    DuplicateEmail,
    IdempotencyConflict,
    IllegalTransition,
    InvalidCustomer,
    InvalidDraft,
    InvalidEmail,
    InvalidInput,
    InvalidName,
    InvalidPhone,
    InvalidRole,
    LastAdmin,
    PasswordTooShort,
    StoreError,
    UnknownContract,
    UnknownUser,
    UserError,
)
from .finance import CurrencyTotals, OfferFilters, OfferPage, list_offers
from .migrate import migrate
from .models import (
    CONTRACT_STATUSES,
    EVENT_KINDS,
    OFFER_KINDS,
    ROLES,
    STATUSES,
    ApiToken,
    Contact,
    Contract,
    ContractEvent,
    Customer,
    Offer,
    OfferLine,
    OfferResponse,
    User,
)
from .offers import (
    BatchDraft,
    Issued,
    accept,
    acceptance_of,
    body_hash,
    cached_pdf,
    decline,
    find_by_number,
    find_by_token,
    forget_pdfs,
    get_offer,
    issue,
    issue_many,
    keep_pdf,
    locked_offer,
    pdf_for,
    replacement_of,
    revise,
    withdraw,
)
from .pipeline import InboxPage, inbox_count, list_inbox, mark_seen
from .responses import (
    DocumentChanged,
    InvalidResponse,
    Respondent,
    check_respondent,
    record_response,
    response_of,
)
from .users import (
    add_user,
    change_user,
    create_api_token,
    disable_user,
    enable_user,
    find_user,
    list_api_tokens,
    list_users,
    revoke_api_token,
    set_phone,
    user_for_api_token,
    verify_password,
)

__all__ = [
    "CONTRACT_STATUSES", "EVENT_KINDS", "OFFER_KINDS", "ROLES", "STATUSES", "ApiToken",
    "BatchDraft", "DocumentChanged", "InvalidResponse", "OfferResponse", "Respondent",
    "acceptance_of", "check_respondent", "decline", "record_response", "response_of",
    "Contact", "Contract", "ContractEvent", "ContractPage", "ContractTerms", "CurrencyTotals",
    "Customer", "CustomerData", "CustomerPage", "DuplicateEmail", "ExportRow", "OfferRow",
    "ScheduleRow",
    "IdempotencyConflict", "IllegalTransition", "InboxPage", "InvalidPhone",
    "InvalidCustomer", "InvalidDraft",
    "InvalidEmail", "InvalidInput", "InvalidName", "InvalidRole", "LastAdmin", "Issued",
    "NewContact", "Offer",
    "OfferFilters", "OfferLine", "OfferPage", "PasswordTooShort", "Store", "StoreError",
    "UnknownContract", "UnknownUser", "User", "UserError", "accept", "add_contact",
    "add_contract", "add_customer", "add_event", "add_user", "body_hash", "cached_pdf",
    "check_customer", "contract_by_number", "contract_history", "contracts_due",
    "country_code", "create_api_token", "create_store_engine", "database_url",
    "disable_user", "draw_contract_numbers", "due_keys", "event_of_offer", "export_rows",
    "offer_rows", "schedule_rows", "snapshot_cards",
    "find_by_number", "find_by_token", "find_contract", "find_customers", "find_user",
    "forget_pdfs", "inbox_count", "list_inbox", "mark_seen", "set_phone",
    "format_contract_number", "get_contract", "get_customer", "get_offer",
    "issue", "issue_many", "keep_pdf", "list_contracts", "list_customers", "list_offers",
    "list_users", "change_user", "enable_user", "list_api_tokens", "revoke_api_token",
    "locked_contract", "locked_offer", "looked_after_by", "matching_customer", "migrate",
    "normalize_url", "normalize_vat_id", "open_renewal_offers", "pdf_for", "replacement_of",
    "revise", "same_contract", "set_primary_contact", "user_for_api_token", "verify_password",
    "withdraw",
]

# The finance exports (``.export``, with the models that read the offers' snapshots) are
# imported at their first use, not in every worker's start.
_EXPORT = ("ExportRow", "OfferRow", "ScheduleRow", "export_rows", "offer_rows",
           "schedule_rows", "snapshot_cards")

__getattr__ = imported_at_first_use(__name__, {".export": _EXPORT})
