"""The hash-chained, append-only audit log. Write with ``passage.audit.services``; read with
``passage.audit.queries``; prove with ``passage audit verify``."""
