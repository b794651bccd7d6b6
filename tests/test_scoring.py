"""Scores: halves round up everywhere a score is shown."""

from __future__ import annotations

import pytest

from trainer.scoring import half_up, weighted_score


@pytest.mark.parametrize(("value", "shown"), [(12.5, 13), (62.5, 63), (87.5, 88), (0.49, 0),
                                              (99.5, 100), (0, 0)])
def test_halves_round_up_not_to_the_even_neighbour(value, shown):
    assert half_up(value) == shown


@pytest.mark.parametrize(("part", "whole"), [(11.5, 20), (2.9, 20), (5.7, 20), (11.3, 20)])
def test_a_half_that_floating_point_lands_just_below_still_rounds_up(part, whole):
    exact = part * 100 / whole  # 57.5, 14.5, 28.5, 56.5
    assert half_up(part / whole * 100) == int(exact) + 1


def test_a_weighted_score_counts_partial_half_and_leaves_out_na_and_weight_zero():
    # pass, fail, partial and fail of equal weight: 1.5 of 4 is 37.5, shown as 38
    assert weighted_score([(1.0, 1), (0.0, 1), (0.5, 1), (0.0, 1), (None, 1), (1.0, 0)]) == 38
    assert weighted_score([(0.5, 1), (0.0, 3)]) == 13  # 12.5: round() gave 12
    assert weighted_score([(None, 1)]) == 0
