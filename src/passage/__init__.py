"""Passage: secure case management and relocation logistics."""
