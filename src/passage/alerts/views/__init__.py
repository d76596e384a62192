"""The alerts pages: the alert list (``alerts``), the on-call rota and drills (``oncall``),
where pushes go and how they went (``push``)."""
