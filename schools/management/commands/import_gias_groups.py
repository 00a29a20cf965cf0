from schools.importers import formats
from schools.management.commands._import import ImportCommand


class Command(ImportCommand):
    help = "Import a GIAS groups file (allgroupsdata.csv): academy trusts."
    kind = formats.GROUPS
