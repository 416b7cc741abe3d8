"""results.check_records, the checks of a notebook's recorded values: every rule works, unknown rules are refused."""
import pytest

from utils.results import check_records


def test_rules_pass_and_fail():
    records = {"accuracy": 0.9, "params": 60000, "seconds": 12.0}
    assert check_records(records, {"accuracy": {"at_least": 0.9}, "params": {"equals": 60000},
                                   "seconds": {"at_most": 12.0}}) == []
    failures = check_records(records, {"accuracy": {"at_least": 0.95}, "params": {"equals": 1},
                                       "seconds": {"at_most": 11.9}, "missing": {"equals": 1}})
    assert failures == [
        "accuracy is 0.9, expected at least 0.95",
        "params is 60000, expected 1",
        "seconds is 12.0, expected at most 11.9",
        "missing was not recorded",
    ]


def test_two_rules_on_one_value_both_apply():
    assert check_records({"x": 5}, {"x": {"at_least": 1, "at_most": 4}}) == ["x is 5, expected at most 4"]


@pytest.mark.parametrize("rule", [{"at_mots": 1}, {}])
def test_unknown_or_empty_rule_is_refused(rule):
    with pytest.raises(ValueError, match="known rules"):
        check_records({"x": 1}, {"x": rule})


def test_the_parameters_a_check_depends_on_are_no_rule():
    """`parameters` tells make run when a check applies (utils.runner); the rules ignore it."""
    assert check_records({"x": 5}, {"x": {"equals": 5, "parameters": ["WIDTH"]}}) == []
    assert check_records({"x": 5}, {"x": {"equals": 4, "parameters": []}}) == ["x is 5, expected 4"]
    with pytest.raises(ValueError, match="known rules"):
        check_records({"x": 5}, {"x": {"parameters": []}})
