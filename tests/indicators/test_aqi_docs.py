"""The examples in the air modules' docstrings run and give what they say."""

from __future__ import annotations

import doctest

import pytest

from ecoinspect.indicators import air_period, aqi, rounding


@pytest.mark.parametrize("module", [aqi, rounding, air_period], ids=lambda m: m.__name__)
def test_docstring_examples(module):
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
