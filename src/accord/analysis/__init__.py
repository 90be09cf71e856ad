"""Analyses on top of the models: Monte Carlo, shocks and what-ifs, leverage, backtests."""
