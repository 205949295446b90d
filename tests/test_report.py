"""The JSON report: every item reads back as written, whatever the text in it."""
import io
import json

from hypothesis import given, strategies as st

from vault_export.model import Report, ReportItem, Status

TEXT = st.text()
ITEMS = st.builds(ReportItem, TEXT, st.sampled_from(Status), st.none() | TEXT, st.none() | TEXT)


@given(ITEMS)
def test_an_item_encodes_as_json_would(item):
    assert item.as_json() == json.dumps(item.as_dict(), ensure_ascii=False)


@given(st.lists(ITEMS, max_size=5), st.lists(TEXT, max_size=2))
def test_the_report_reads_back_sorted_with_its_summary(items, warnings):
    report = Report(list(items), ["Daily/2025-06-06.md"], warnings)
    out = io.StringIO()
    report.write_json(out)
    data = json.loads(out.getvalue())
    assert data["items"] == [item.as_dict() for item in sorted(items, key=lambda i: (i.input, i.status.value))]
    assert data["summary"] == {**report.summary(), "total": len(items)}
    assert data["daily_pages"] == ["Daily/2025-06-06.md"] and data["warnings"] == warnings
