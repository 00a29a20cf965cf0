"""Offer policy, eligibility, matching and deployments (built up by later issues)."""
