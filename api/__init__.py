"""The front doors: the HTTP API and the command line, the only places that read settings."""
