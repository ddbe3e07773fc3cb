"""Electro'Mob training-capacity planner."""

__version__ = "0.1.0"
