"""The mediated-rounds simulation: parties, a mediator's single negotiating text, alternating
offers, gestures, incentives, shocks and walk-outs, and its welfare metrics.

Layer: imports only ``scenario``; independent of ``models`` and ``news``; used through
``accord.api``.
"""
