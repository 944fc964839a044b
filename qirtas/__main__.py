"""``python -m qirtas``: the same entry point as the ``qirtas`` command."""

from qirtas.cli.main import main

if __name__ == "__main__":
    raise SystemExit(main())
