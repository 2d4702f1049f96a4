"""``python -m igfgraph``: the command-line interface."""

from igfgraph.cli import main

if __name__ == "__main__":
    main()
