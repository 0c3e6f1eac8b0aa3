"""受理编号: kept raw, compared normalised, parsed where it follows the scheme."""

import datetime as dt

from ecoinspect.petitions import numbers


def test_a_number_of_the_scheme_is_parsed_into_channel_round_province_date_and_sequence():
    parsed = numbers.parse("D3GD202311200002")
    assert (parsed.channel, parsed.round, parsed.province, parsed.date, parsed.seq) == (
        "phone", 3, "GD", dt.date(2023, 11, 20), "0002"
    )
    assert numbers.parse("X2GD202109080123").channel == "letter"


def test_full_width_letters_spaces_and_case_make_no_other_number():
    assert numbers.normalise("Ｄ３ＧＤ ２０２３１１２０ ０００２") == numbers.normalise("d3gd202311200002")


def test_a_short_number_or_an_impossible_date_is_kept_but_not_parsed():
    assert not numbers.parse("1544").understood
    assert not numbers.parse("D3GD202313400002").understood  # month 13
    assert numbers.normalise("1544") == "1544"
