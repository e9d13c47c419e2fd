"""Duty-roster optimizer for lawyers serving at petition-reception offices (信访律师值班)."""

__version__ = "0.1.0"
