"""The registered models' names, importable without numpy (for the command line's help).

``accord.models.registry`` checks at import that its models are exactly these, in this order.
"""

MODEL_NAMES = ("ensemble", "compromise", "median", "nash", "nash_breakdown", "mean", "eum", "smp",
               "exchange")
