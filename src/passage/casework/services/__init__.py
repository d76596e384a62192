"""Every write of casework: contacts, notes, tasks. One module per concern."""
