"""Every unit test starts with no matplotlib figure open: one test's figures never reach another's checks."""
import sys

import pytest


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
