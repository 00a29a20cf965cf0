"""Demo data for the offer (filled in by the offer-policy issue)."""


def seed_offers() -> dict[str, int]:
    return {}
