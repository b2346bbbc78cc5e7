"""The command layer: one module a command family, sharing the options of `common`.

Only this package and `cnblock.cli` import Typer, print, or exit.
"""
