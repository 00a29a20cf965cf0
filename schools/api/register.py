def register_register_routes(router) -> None:
    """Read-only register endpoints: regions, local authorities, trusts, schools, inspections."""
