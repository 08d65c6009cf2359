"""What the store refuses, as exceptions a web layer can map to messages and status codes."""

from __future__ import annotations


class StoreError(Exception):
    """Base of the store's refusals."""


class IllegalTransition(StoreError):
    """The offer's status does not allow the action (accepting a withdrawn offer, ...)."""

    def __init__(self, number: str, status: str, action: str):
        self.number, self.status, self.action = number, status, action
        super().__init__(f"offer {number} is {status} and cannot be {action}")


class IdempotencyConflict(StoreError):
    """The idempotency key was used before with a different request body."""

    def __init__(self, key: str, number: str):
        self.key, self.number = key, number
        super().__init__(f"idempotency key {key!r} was already used for offer {number} "
                         "with a different request body")


class InvalidDraft(StoreError):
    """The document given to ``issue`` cannot be issued (it already has a number, ...)."""


class UserError(StoreError):
    """Base of refusals about users."""


class PasswordTooShort(UserError):
    def __init__(self, minimum: int):
        self.minimum = minimum
        super().__init__(f"the password must have at least {minimum} characters")


class DuplicateEmail(UserError):
    def __init__(self, email: str):
        self.email = email
        super().__init__(f"a user with the e-mail address {email} exists already")


class InvalidEmail(UserError):
    def __init__(self, email: str):
        self.email = email
        super().__init__(f"{email!r} is not an e-mail address")


class InvalidPhone(UserError):
    def __init__(self, phone: str, maximum: int):
        self.phone, self.maximum = phone, maximum
        super().__init__(f"{phone!r} is not a phone number: digits, spaces and + - / ( ) . "
                         f"only, at most {maximum} characters")


class InvalidRole(UserError):
    def __init__(self, role: str, roles: tuple[str, ...]):
        self.role = role
        super().__init__(f"{role!r} is not a role; choose one of {', '.join(roles)}")


class InvalidName(UserError):
    def __init__(self, maximum: int):
        self.maximum = maximum
        super().__init__(f"a name has at most {maximum} characters and no control characters")


class LastAdmin(UserError):
    """The change would leave no active administrator."""

    def __init__(self, email: str):
        self.email = email
        super().__init__(f"{email} is the last active administrator: make another user "
                         "an administrator first")


class UnknownUser(UserError):
    def __init__(self, email: str):
        self.email = email
        super().__init__(f"there is no user with the e-mail address {email}")


class InvalidInput(StoreError):
    """Data for a customer or a contract is refused; ``errors`` names each field
    (``quote.core.errors.FieldError``: a field, a message template and its parameters)."""

    def __init__(self, errors: list):
        self.errors = errors
        super().__init__("; ".join(f"{e.field}: {e.message}" if e.field else e.message
                                   for e in errors))


class InvalidCustomer(InvalidInput):
    """A customer's or contact's data is refused."""


class UnknownContract(StoreError):
    def __init__(self, number: str):
        self.number = number
        super().__init__(f"there is no contract {number}")
