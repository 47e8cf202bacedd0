"""``python -m jwstmodels``: the ``jwstmodels`` command."""

from jwstmodels.cli import main

if __name__ == "__main__":
    main()
