"""The node budget of a view, importable without NetworkX and NumPy.

The command line shows it as an option default, so it lives apart from the views, which
need both.
"""

#: Nodes a view shows at most unless told otherwise (vis-network stays fluid below this).
DEFAULT_BUDGET = 1500
