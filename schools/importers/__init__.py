"""Importers for the real GIAS and Ofsted files. Entry point: schools.services.import_file."""
