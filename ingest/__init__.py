"""Reading source files into the graph: parse, validate, resolve references, write."""
