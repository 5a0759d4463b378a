"""Views of the graph: interactive networks and report charts, drawn from query results."""
