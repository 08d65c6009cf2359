"""The lifecycle of offers and contracts, as plain functions: the service layer.

Each function takes the caller's unit of work (a store ``Session``, or the ``Store``
for a batch job that commits as it goes) and the ``RateBook``, and returns results;
the pages, the API, the command line and batch jobs all call these. No Flask in here.

    request = top_up_request(book, contract, [{"date": "2026-07-01",
                                               "license_value": "6000.00"}], today=today)
    with store.session() as session:
        issued = issue_offer(session, book, request, today=today, issuer_id=user.id)
    with store.session() as session:
        accepted = accept_offer(session, issued.offer.id, by_user_id=user.id, today=today)
        accepted.contract.license_value          # grown by the top-up

See docs/contracts.md.
"""

from ..first_use import imported_at_first_use
from .contracts import (
    EXISTS_ALREADY,
    FIELDS,
    REQUIRED,
    ContractDraft,
    InvalidContract,
    annual_cost,
    cancel_contract,
    check_contract,
    create_contract,
)
from .errors import ContractNotActive, LifecycleError, OfferDoesNotFit
from .offers import (
    Accepted,
    Declined,
    accept_offer,
    decline_offer,
    issue_offer,
    moment,
    offer_draft,
)
from .renewals import DueContract, RenewalRun, create_renewal_offers, due_for_renewal
from .requests import (
    reinstatement_request,
    renewal_request,
    renewal_version,
    request_customer,
    top_up_request,
    top_up_version,
)

__all__ = [
    "EXISTS_ALREADY", "FIELDS", "REQUIRED", "Accepted", "ContractDraft", "ContractNotActive",
    "CsvRow", "Declined", "DueContract", "ImportFileError", "ImportReport", "InvalidContract",
    "LifecycleError", "decline_offer",
    "OfferDoesNotFit", "PlannedContract", "RenewalRun", "RowError", "accept_offer",
    "annual_cost", "cancel_contract", "check_contract", "create_contract",
    "create_renewal_offers", "due_for_renewal", "import_contracts", "issue_offer", "moment",
    "offer_draft",
    "read_contract_csv", "reinstatement_request", "renewal_request", "renewal_version",
    "request_customer", "top_up_request", "top_up_version",
]

# The contract importer (``.imports``: reading a CSV file, importing its rows) is imported
# at its first use: the web app's workers never import contracts from a file.
_IMPORTS = ("CsvRow", "ImportFileError", "ImportReport", "PlannedContract", "RowError",
            "import_contracts", "read_contract_csv")

__getattr__ = imported_at_first_use(__name__, {".imports": _IMPORTS})
