"""Account services, one module per concern; every write to accounts goes through them."""
