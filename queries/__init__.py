"""Reads and analyses over the graph: pure functions returning typed results."""
