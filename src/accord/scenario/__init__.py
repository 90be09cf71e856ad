"""Scenarios: the pydantic model (``model``), numpy arrays (``arrays``), uncertain-input draws
(``draws``), sourced changes (``changes``), the built-in catalogue (``catalog``) and a reader and
writer for each file format (``formats``). Nothing is imported here, so that a module that needs
only :class:`~accord.scenario.errors.InputError` stays quick to import.

Layer: the bottom one; imports nothing else of Accord's.
"""
