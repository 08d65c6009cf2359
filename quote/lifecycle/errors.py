"""What the lifecycle refuses, beyond the pricing core's input errors."""

from __future__ import annotations

from quote.store.errors import StoreError


class LifecycleError(StoreError):
    """Base of the lifecycle's refusals."""


class ContractNotActive(LifecycleError):
    """The contract is cancelled (or has ended) and the step needs a running one."""

    def __init__(self, number: str, status: str, action: str):
        self.number, self.status, self.action = number, status, action
        super().__init__(f"contract {number} is {status} and cannot be {action}")


class OfferDoesNotFit(LifecycleError):
    """An offer or a request does not belong to the contract it names (another rate
    card, a renewal for a term the contract does not end before, ...)."""

    def __init__(self, number: str, reason: str):
        self.number, self.reason = number, reason
        super().__init__(f"{number}: {reason}")

