"""Staff console views of the accounts app, one module per concern."""
