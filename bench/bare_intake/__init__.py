"""The bench's bare comparison for the public first step (``bench/intake.py``).

Lives only in the bench: ``bench/intake_settings.py`` adds its URL in front of the production
URL tree. Production code carries no bare view.
"""
