"""cnblock: a command-line timeline of how Chinese companies and institutions took up blockchain."""

__version__ = "0.1.0"
