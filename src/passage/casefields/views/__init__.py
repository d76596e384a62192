"""Views of admin-defined fields: the admin pages and the case pages."""
