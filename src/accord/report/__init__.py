"""Renderers: terminal tables, Markdown, CSV and the self-contained HTML report.

Layer: renders the documents of ``accord.api`` and computes nothing; never imports ``models``,
``analysis``, ``sim`` or ``news`` (an import-linter contract).
"""
