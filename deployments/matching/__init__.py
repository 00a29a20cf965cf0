"""Matching: the system-leader register and support cases, from an eligible
school or trust to an issued deployment (guidance sections 4, 7, 8 and 9)."""
