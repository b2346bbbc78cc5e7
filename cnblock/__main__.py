"""`python -m cnblock`: the same as the `cnblock` command."""

from cnblock.cli import main

main()
