"""Helpers shared by the importer tests."""

from pathlib import Path

from schools.importers import formats
from schools.services import import_file

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
ESTABLISHMENTS = FIXTURES / "edubasealldata20250115.csv"
GROUPS = FIXTURES / "allgroupsdata.csv"
GROUP_LINKS = FIXTURES / "grouplinks_edubaseallacademiesandfree20190301.csv"
LINKS = FIXTURES / "links_edubasealldata20250401.csv"
OFSTED_B_AUGUST = FIXTURES / "ofsted_mi_B_2025_08.csv"
OFSTED_B_SEPTEMBER = FIXTURES / "ofsted_mi_B_2025_09.csv"
OFSTED_A = FIXTURES / "ofsted_mi_A_2026_02.csv"
OFSTED_C = FIXTURES / "ofsted_mi_C_2021.csv"
BAD = FIXTURES / "bad"


def run(kind, path, **kwargs):
    return import_file(kind=kind, path_or_file=path, **kwargs)


def load_register():
    """Groups then establishments: the order a real load takes."""
    run(formats.GROUPS, GROUPS)
    return run(formats.ESTABLISHMENTS, ESTABLISHMENTS)
