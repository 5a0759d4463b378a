"""The graph: its model, its schema and the stores that hold it."""
