"""dbvet: a static analyzer for database schemas and migrations."""

__version__ = "0.1.0"
