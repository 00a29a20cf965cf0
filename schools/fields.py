"""Model fields the register's tables share."""

from django.db import models


class CodeField(models.CharField):
    """A code made of ASCII digits and letters (a URN, a LAESTAB, a status), compared
    byte by byte: on PostgreSQL its column takes the "C" collation.

    Codes are only ever matched and ordered as bytes, but under a language collation
    (en_GB.UTF-8, or even C.UTF-8) every comparison goes through strcoll(). The
    establishments import writes 50,000 keys into the URN index and sorts the
    LAESTAB and status indexes; with "C" those comparisons are memcmp() and the
    write takes about a tenth less time (bench/import_gias.py). Other databases
    compare bytes already (SQLite's BINARY), so they get no collation clause."""

    def db_parameters(self, connection):
        parameters = super().db_parameters(connection)
        if connection.vendor == "postgresql" and not self.db_collation:
            parameters["collation"] = "C"
        return parameters
