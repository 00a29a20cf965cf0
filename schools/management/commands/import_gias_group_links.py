from schools.importers import formats
from schools.management.commands._import import ImportCommand


class Command(ImportCommand):
    help = "Import a GIAS group links file: trust membership of schools."
    kind = formats.GROUP_LINKS
