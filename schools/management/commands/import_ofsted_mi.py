from schools.importers import formats
from schools.management.commands._import import ImportCommand


class Command(ImportCommand):
    help = (
        "Import an Ofsted management information file (state-funded schools, latest "
        "inspections), any of the three header generations; builds up inspection history."
    )
    kind = formats.OFSTED
