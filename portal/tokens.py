"""Set-password links for invited users.

Like a password-reset link (same signature, same single use: setting the
password changes the hash the token signs), but valid for 7 days and signed
with its own salt, so a reset token is not an invitation token."""

import datetime as dt

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int

INVITATION_VALID_FOR = dt.timedelta(days=7)


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "portal.tokens.InvitationTokenGenerator"
    valid_for = INVITATION_VALID_FOR

    def check_token(self, user, token):
        if not (user and token) or not user.is_active:
            return False
        try:
            ts_b36, _ = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        return (self._num_seconds(self._now()) - ts) <= self.valid_for.total_seconds()


invitation_tokens = InvitationTokenGenerator()
