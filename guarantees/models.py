"""Pupil and Parent Guarantees (a later issue builds this app)."""
