"""Analyses on top of the models: Monte Carlo, shocks and what-ifs, leverage, backtests.

Layer: imports ``models`` (and ``scenario``); imported only by ``accord.api``.
"""
