"""The docs extension that renders committed benchmark results."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "docs" / "sphinxext"))

from benchmark_results import render_tables  # noqa: E402


def test_render_tables_shows_every_table_of_one_result_set(tmp_path):
    assert "has not been committed yet" in render_tables(tmp_path, "search")
    tables = {"cost": [{"data": "digits", "wall s": 12.5}], "scores": [{"mode": "x"}]}
    (tmp_path / "search.json").write_text(json.dumps({"tables": tables}))
    text = render_tables(tmp_path, "search")
    assert text.count(".. csv-table::") == 2
    assert "   digits,12.50" in text.splitlines()
    assert ":ref:`benchmark-search`" in text
