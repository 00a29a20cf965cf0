from schools.importers import formats
from schools.management.commands._import import ImportCommand


class Command(ImportCommand):
    help = "Import a GIAS establishment links file (links_edubasealldata<date>.csv)."
    kind = formats.LINKS
