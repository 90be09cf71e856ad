"""Read the news: clean an article, extract actors, events, dates and quotes, propose updates.

Layer: imports only ``scenario``; independent of ``models`` and ``sim``; used through
``accord.api``.
"""
