def register_import_routes(router) -> None:
    """POST /api/imports/ and GET /api/imports/{id}/."""
