"""Bank details at rest: Fernet encryption with key rotation (MultiFernet, the
first key in BANK_DETAILS_KEYS encrypts, every key decrypts) and a keyed hash
for spotting the same account on several deployments without decrypting."""

import hashlib
import hmac

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.views.decorators.debug import sensitive_variables


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in settings.BANK_DETAILS_KEYS])


@sensitive_variables("plain")
def encrypt(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode() if plain else ""


def decrypt(token: str) -> str:
    """Only the payment file (claims issue) and key rotation may call this."""
    return _fernet().decrypt(token.encode()).decode() if token else ""


def rotate(token: str) -> str:
    """Re-encrypt under the newest key."""
    return _fernet().rotate(token.encode()).decode() if token else ""


@sensitive_variables("sort_code", "account_number")
def fingerprint(sort_code: str, account_number: str) -> str:
    if not (sort_code and account_number):
        return ""
    key = settings.BANK_DETAILS_HASH_KEY.encode()
    return hmac.new(key, f"{sort_code}:{account_number}".encode(), hashlib.sha256).hexdigest()
