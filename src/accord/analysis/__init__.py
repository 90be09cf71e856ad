"""Analyses on top of the models: backtests (and, later, Monte Carlo, shocks, leverage)."""
