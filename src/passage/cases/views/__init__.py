"""Views of the cases app (staff console and partner portal), thin: parse, call, render."""
