"""results: a recorded value round-trips through an executed notebook file."""
import nbformat
from nbclient import NotebookClient

from utils import results


def test_record_and_collect_through_a_real_kernel(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell("from utils import results\nresults.record('answer', 42)"),
        nbformat.v4.new_code_cell("results.record('accuracy', 0.975)\nresults.record('answer', 43)"),
    ]
    NotebookClient(notebook, kernel_name="python3").execute()
    path = tmp_path / "run.ipynb"
    nbformat.write(notebook, path)
    assert results.collect(path) == {"answer": 43, "accuracy": 0.975}
    # bookkeeping, not lesson: no MIME type a reader's front end (JupyterLab, nbconvert) displays
    assert [set(output["data"]) for cell in notebook.cells for output in cell.outputs] == [{results.MIME}] * 3


def test_records_in_ignores_other_outputs():
    outputs = [{"output_type": "stream", "text": "hi"}, {"output_type": "display_data", "data": {"text/plain": "x"}}]
    assert results.records_in(outputs) == {}
