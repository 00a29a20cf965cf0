"""Oversight: the dashboards (England, a region, a system leader's, a school's)
and `GET /api/dashboard/`. `selectors.py` reads the figures (aggregate queries
only); `stages.py` holds the query pieces a figure and the list behind it share,
so the two cannot disagree. Outcomes and forecast live beside it
(`outcomes.py`, `forecast.py`)."""
