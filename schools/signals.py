"""Domain events of the register that other apps react to.

`inspections_changed` is sent after an Ofsted import commits, with the ids of
the schools whose inspection history changed (deployments recomputes their
eligibility)."""

from django.dispatch import Signal

inspections_changed = Signal()  # kwargs: school_ids: list[int]
