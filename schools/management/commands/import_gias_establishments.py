from schools.importers import formats
from schools.management.commands._import import ImportCommand


class Command(ImportCommand):
    help = "Import a GIAS establishments file (edubasealldata<date>.csv) into the register."
    kind = formats.ESTABLISHMENTS
