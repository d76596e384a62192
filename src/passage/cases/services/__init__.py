"""Every write to cases, one module per concern. Each service takes the acting user explicitly,
checks what they may do (views check too; a service is safe on its own), runs in
``audit.atomic()`` and records its audit entry (ids and codes only) in the same transaction."""
