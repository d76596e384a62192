"""Every write of admin-defined fields: one module per concern."""
