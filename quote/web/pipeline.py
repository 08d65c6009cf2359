"""The sales pipeline: "My offers" and the inbox of self-service requests.

``/offers`` lists a salesperson's own offers (an admin's: every offer), searched by
number or customer, filtered by status, the issued offers that run out soonest first,
paged; the store's finance queries do the work (``quote.store.finance``).
``/offers/inbox`` lists the self-service requests nobody in sales has looked at yet,
routed as ``quote.store.pipeline`` says (a known customer's owner, else every
salesperson); opening one, or "Mark as seen", takes it out. The navigation shows how
many wait.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext
from flask_login import current_user

from ..core.describe import day, money
from ..store import STATUSES, OfferFilters, inbox_count, list_inbox, list_offers, mark_seen
from .auth import requires, staff_user
from .extensions import now, store, today
from .i18n import current_language
from .offers import ActionForm, readable_offer, status_name

pipeline = Blueprint("pipeline", __name__)


def _inbox_owner() -> int | None:
    """Whose requests the signed-in user sees: an admin everyone's (None)."""
    user = staff_user()
    return None if user.can("read_all") else user.id


def _page_number() -> int:
    page = request.args.get("page", "1")
    return int(page) if page.isdigit() and 0 < int(page) < 100000 else 1


def _per_page() -> int:
    return int(current_app.config["PIPELINE_PER_PAGE"])


@pipeline.app_context_processor
def _waiting_requests() -> dict:
    """The navigation's count of unseen self-service requests (sales and admin)."""
    if not (current_user.is_authenticated and current_user.can("issue")):
        return {"waiting_requests": None}
    with store().session(read_only=True) as db:
        return {"waiting_requests": inbox_count(db, _inbox_owner())}


@pipeline.get("/offers")
@requires("issue")
def my_offers():
    user = staff_user()
    chosen = {
        "q": (request.args.get("q") or "").strip()[:200],
        "status": request.args.get("status", "") if request.args.get("status") in STATUSES
        else "",
    }
    filters = OfferFilters(status=chosen["status"] or None, search=chosen["q"] or None,
                           issuer_id=None if user.can("read_all") else user.id)
    page = _page_number()
    language = current_language()
    with store().session(read_only=True) as db:
        listing = list_offers(db, filters, sort="expiring", page=page, per_page=_per_page(),
                              today=today())
        rows = [_row(offer, language) for offer in listing.offers]

    def link(**changes) -> str:
        args = {key: value for key, value in chosen.items() if value}
        args["page"] = page
        args.update(changes)
        return url_for("pipeline.my_offers", **args)

    return render_template("web/pipeline/offers.html", rows=rows, listing=listing,
                           chosen=chosen, statuses=STATUSES, status_name=status_name,
                           link=link, all_offers=user.can("read_all"))


def _row(offer, language: str) -> dict:
    status = offer.status_on(today())
    return {
        "offer": offer,
        "status": status,
        "status_label": status_name(status),
        "issued_on": day(offer.issued_at.date(), language),
        "valid_until": day(offer.valid_until, language),
        "days_left": (offer.valid_until - today()).days if status == "issued" else None,
        "issuer": offer.issuer.display_name if offer.issuer is not None else None,
        "total": money(offer.total, offer.currency, language),
    }


@pipeline.get("/offers/inbox")
@requires("issue")
def inbox():
    language = current_language()
    with store().session(read_only=True) as db:
        listing = list_inbox(db, _inbox_owner(), page=_page_number(), per_page=_per_page())
        rows = [_row(offer, language) for offer in listing.offers]
    return render_template("web/pipeline/inbox.html", rows=rows, listing=listing,
                           action_form=ActionForm())


@pipeline.post("/offers/<offer:number>/seen")
@requires("issue")
def mark_as_seen(number: str):
    """Take a self-service request out of the inbox without opening it."""
    if not ActionForm().validate_on_submit():
        abort(400)
    user = staff_user()
    offer = readable_offer(number, user)
    if offer.issuer_id is not None:
        abort(404)
    with store().session() as db:
        mark_seen(db, offer.id, user.id, now=now())
    flash(gettext("Request %(number)s is marked as seen.", number=number), "info")
    return redirect(url_for("pipeline.inbox"), 303)
