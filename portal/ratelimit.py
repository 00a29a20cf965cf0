"""One rate limit for the public forms (password reset, complaints).

Each request is counted before it is accepted: `cache.add` then `cache.incr`
are each atomic in one cache (Redis, or a process's local memory), so of
requests arriving at the same moment only the allowance pass. Reading the count
first and adding to it after the save let 8 at once all pass a limit of 3."""

from django.core.cache import cache


def hit(key: str, window: int) -> int:
    """Count one request against `key` for `window` seconds; the count so far."""
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


def within_limits(*limits: tuple[str, int], window: int) -> bool:
    """Count one request against each (key, limit); False when any limit is
    already reached (every key is counted either way, so the answer reveals
    nothing about which one)."""
    counts = [(hit(key, window), limit) for key, limit in limits]
    return all(count <= limit for count, limit in counts)
