"""Run `python -m sop_cli` like the `sop` command."""

from sop_cli.cli import main

main()
