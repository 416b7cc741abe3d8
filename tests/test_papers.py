"""papers: the tolerance a printed figure implies, and compare's table and assertion."""
import pytest

from utils import papers


def test_rounded_millions_admit_half_a_million_either_side():
    claim = papers.rounded("133M", 133e6, 1e6, "test")
    assert claim.agrees(132_500_000) and claim.agrees(133_499_999)
    assert not claim.agrees(132_499_999) and not claim.agrees(133_500_001)


def test_exact_claim_admits_only_itself():
    claim = papers.exact(60_000, "test")
    assert claim.agrees(60_000)
    assert not claim.agrees(60_001) and not claim.agrees(59_999)
    assert claim.printed == "60,000"


def test_compare_tabulates_agreeing_rows():
    table = papers.compare({"total": (papers.exact(10, "src"), 10), "rough": (papers.rounded("1k", 1e3, 100, "s"), 1040)})
    assert list(table.index) == ["total", "rough"]
    assert list(table["agrees"]) == ["yes", "yes"]
    assert table.loc["rough", "allowed"] == "±50"


def test_compare_raises_naming_the_disagreeing_row():
    with pytest.raises(AssertionError, match="parameters"):
        papers.compare({"parameters": (papers.exact(60_000, "src"), 61_706)})


def test_lenet_layer_claims_add_up_to_the_printed_totals():
    lenet = papers.LENET5
    layers = ["C1", "S2", "C3", "S4", "C5", "F6"]
    assert sum(lenet[f"{n} parameters"].value for n in layers) == lenet["total parameters"].value
    assert sum(lenet[f"{n} connections"].value for n in [*layers, "output"]) == lenet["total connections"].value


def test_every_claim_names_its_source():
    tables = [papers.LENET5, papers.ALEXNET, papers.VGG, papers.TORCHVISION, papers.EFFICIENTNET_LITE0]
    assert all(claim.source for table in tables for claim in table.values())


def test_allowed_column_reads_like_the_rounding():
    table = papers.compare(
        {
            "millions": (papers.rounded("60 million", 60e6, 10e6, "s"), 60_965_224),
            "percent": (papers.rounded("81%", 81, 1, "s"), 81.48),
            "tenths": (papers.rounded("0.8%", 0.8, 0.1, "s"), 0.8),
        }
    )
    assert list(table["allowed"]) == ["±5,000,000", "±0.5", "±0.05"]


def test_printed_reads_the_figure_and_its_rounding_in_the_tables_unit():
    claim = papers.printed("2.7K", "a table")
    assert (claim.value, claim.step, claim.source) == (2.7, 0.1, "a table")
    assert claim.agrees(2.74) and not claim.agrees(2.76)
    assert (papers.printed("463K", "t").value, papers.printed("463K", "t").step) == (463, 1)
    assert papers.printed("1.5 billion", "t").value == 1.5 and papers.printed("0.39B", "t").step == 0.01
    with pytest.raises(ValueError, match="'many' is not a printed number"):
        papers.printed("many", "t")


def test_compare_table_marks_each_cell_and_leaves_blank_what_the_paper_leaves_blank():
    table = papers.compare_table(
        {"conv1": {"output": "112x112x64", "params": "2.7K", "ops": ""}, "pool": {"output": "56x56x64", "params": "", "ops": "1M"}},
        {"conv1": {"output": "112x112x64", "params": 9.19, "ops": 118.0}, "pool": {"output": "56x56x63", "params": 0.0, "ops": 1.4}},
        "t")
    assert table.loc["conv1", ["output agrees", "params agrees", "ops agrees"]].tolist() == ["yes", "NO", ""]
    assert table.loc["conv1", "params diff"] == "+6.49" and table.loc["conv1", "ops diff"] == ""
    assert table.loc["pool", ["output agrees", "params agrees", "ops agrees"]].tolist() == ["NO", "", "yes"]


def test_compare_raises_only_for_claims_not_declared_to_disagree():
    rows = {"holds": (papers.exact(3, "t"), 3), "fails": (papers.exact(12, "t"), 8.7)}
    with pytest.raises(AssertionError, match="fails"):
        papers.compare(rows)
    table = papers.compare(rows, may_disagree=("fails",))
    assert table["agrees"].tolist() == ["yes", "NO"]
