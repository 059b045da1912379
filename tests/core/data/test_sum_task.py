"""The sequence lab's task: the sequences a person types are read within bounds."""

import numpy as np
import pytest

from lstm_core.data.sum_task import MAX_BITS, parse_bits
from lstm_core.errors import ConfigError


@pytest.mark.parametrize("text", ["1,0,1", "1 0 1", "101", " 1, 0 ,1 "])
def test_a_sequence_is_read_in_any_of_its_spellings(text):
    np.testing.assert_array_equal(parse_bits(text)[0, :, 0], [1, 0, 1])


def test_the_longest_sequence_is_read():
    assert parse_bits(", ".join("01" * (MAX_BITS // 2))).shape == (1, MAX_BITS, 1)


TOO_MANY = f"a sequence may hold at most {MAX_BITS:,} bits"
NOT_BITS = "type a sequence of 0s and 1s such as 1,0,1; got "


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1" * (MAX_BITS + 1), f"{TOO_MANY}, got {MAX_BITS + 1:,}"),
        (",".join("1" * (MAX_BITS + 1)), f"{TOO_MANY}, got {MAX_BITS + 1:,}"),
        ("1" * 1_000_000, f"{TOO_MANY}; this text is 1,000,000 characters long"),
        ("1,2", NOT_BITS + "'1,2'"),
        ("x" * 200, NOT_BITS + "'" + "x" * 58 + "…"),  # a long text is quoted cut short
    ],
)
def test_a_sequence_too_long_or_not_of_bits_is_refused_in_one_sentence(text, message):
    with pytest.raises(ConfigError) as refused:
        parse_bits(text)
    assert str(refused.value) == message
