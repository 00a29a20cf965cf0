"""The system-leader register: MAT CEOs and NLEs who can be deployed, their
regions, phases, focus areas, capacity and declared conflicts (contract
"System leaders"; guidance section 4 and the FAQ)."""
