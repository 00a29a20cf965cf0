"""Pluggable eligibility rule sets, one small class per offer year.

A `SupportOffer` names its rule set by key. Adding next year's rules means
adding a module with one `RuleSet` subclass decorated with `@register` and
importing it at the bottom of this file; nothing else changes."""

from deployments.eligibility.base import Finding, Inspection, RuleSet

_RULE_SETS: dict[str, type[RuleSet]] = {}


def register(cls: type[RuleSet]) -> type[RuleSet]:
    if cls.key in _RULE_SETS:
        raise ValueError(f"Rule set {cls.key!r} is already registered.")
    _RULE_SETS[cls.key] = cls
    return cls


def rule_set_for(key: str) -> RuleSet:
    try:
        return _RULE_SETS[key]()
    except KeyError:
        raise LookupError(f"No eligibility rule set is registered as {key!r}.") from None


def rule_set_choices() -> list[tuple[str, str]]:
    return [(key, cls.label) for key, cls in sorted(_RULE_SETS.items())]


__all__ = ["Finding", "Inspection", "RuleSet", "register", "rule_set_choices", "rule_set_for"]

# Built-in rule sets register themselves on import.
from deployments.eligibility import tsi_2023_24  # noqa: E402, F401
