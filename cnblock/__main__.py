"""`python -m cnblock`: the same as the `cnblock` command."""

from cnblock.launch import main

main()
