"""Forms of the cases app: parse and check shapes; the rules live in the services."""
