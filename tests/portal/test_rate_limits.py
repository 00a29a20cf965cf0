"""One counter for the public forms' limits (portal.ratelimit), which holds
when requests arrive at the same moment, and a cap on failed sign-ins per IP
address across e-mail addresses (portal.signin_limits, on django-axes)."""

import threading

from django.test import Client
from django.urls import reverse

from portal.ratelimit import within_limits
from tests.portal.factories import UserFactory

PASSWORD = "pw-for-tests-1"  # the factory's


def test_requests_at_the_same_moment_pass_only_the_allowance(db):
    barrier = threading.Barrier(8)
    answers = []

    def request():
        barrier.wait(timeout=10)
        answers.append(within_limits(("test:limit", 3), window=60))

    threads = [threading.Thread(target=request) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(answers) == [False] * 5 + [True] * 3


def test_every_key_is_counted_and_any_full_one_refuses(db):
    assert within_limits(("a", 1), ("b", 5), window=60)
    assert not within_limits(("a", 1), ("b", 5), window=60)
    assert not within_limits(("c", 5), ("b", 2), window=60)  # b is now at 3


def _sign_in(email, password, ip="127.0.0.1"):
    return Client().post(
        reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ip
    )


def test_failed_sign_ins_from_one_ip_are_capped_across_addresses(db, settings):
    settings.AXES_IP_FAILURE_LIMIT = 6
    UserFactory(email="real@example.org")
    for n in range(5):  # one guess each at five accounts: no address reaches its limit
        assert _sign_in(f"guess{n}@example.org", "wrong").status_code == 200
    assert _sign_in("real@example.org", PASSWORD).status_code == 302
    assert _sign_in("guess5@example.org", "wrong").status_code in (200, 429)
    locked = _sign_in("real@example.org", PASSWORD)
    assert locked.status_code == 429
    assert b"Too many attempts to sign in" in locked.content
    assert _sign_in("real@example.org", PASSWORD, ip="10.0.0.9").status_code == 302


def test_one_address_is_still_locked_after_its_own_few_failures(db, settings):
    settings.AXES_IP_FAILURE_LIMIT = 100
    UserFactory(email="real@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in("real@example.org", "wrong")
    assert _sign_in("real@example.org", PASSWORD).status_code == 429
    assert _sign_in("other@example.org", "wrong").status_code == 200
