"""Accord: forecast, simulate and mediate multi-party political negotiations."""

__version__ = "0.1.0"
