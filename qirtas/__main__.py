"""The entry point of ``python -m qirtas``, of the ``qirtas`` command and of the frozen bundle."""

import multiprocessing


def main() -> int:
    # Before anything else: in a frozen build (PyInstaller) every worker, forkserver and resource tracker
    # is this executable started again with multiprocessing's arguments; freeze_support() runs that
    # helper and exits, where it would otherwise start a second Qirtas. A no-op when not frozen.
    multiprocessing.freeze_support()
    from qirtas.cli.main import main as run_command

    return run_command()


if __name__ == "__main__":
    raise SystemExit(main())
