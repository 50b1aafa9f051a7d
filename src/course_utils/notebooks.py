"""Notebook housekeeping: which cells nbval checks, and keeping outputs on those cells alone."""

from __future__ import annotations

import nbformat

CHECK_MARK = "# NBVAL_CHECK_OUTPUT"


def is_checked(cell: nbformat.NotebookNode) -> bool:
    """A code cell whose stored output nbval compares with a fresh run."""
    return cell.cell_type == "code" and CHECK_MARK in cell.source


def visible_text(cell: nbformat.NotebookNode) -> str:
    """What a reader sees of a cell's output as text: stdout and plain-text results, no stderr."""
    parts = []
    for output in cell.get("outputs", []):
        if output.output_type == "stream" and output.name == "stdout":
            parts.append(output.text)
        elif output.output_type in ("execute_result", "display_data"):
            parts.append(output.data.get("text/plain", ""))
        elif output.output_type == "error":
            parts.append(f"{output.ename}: {output.evalue}")
    return "".join(parts)


def keep_checked_outputs(
    notebook: nbformat.NotebookNode, executed: nbformat.NotebookNode | None = None
):
    """Clear every output except on checked cells, which take ``executed``'s (when given).

    A checked cell keeps an execution count (nbval treats a cell with outputs but no count as
    never run): its place among the code cells, so that a re-run changes nothing in git.
    """
    code_cells = 0
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        code_cells += 1
        if is_checked(cell):
            if executed is not None:
                cell.outputs = [
                    o
                    for o in executed.cells[index].outputs
                    if not (o.output_type == "stream" and o.name == "stderr")
                ]
            cell.execution_count = code_cells
        else:
            cell.outputs = []
            cell.execution_count = None
        for output in cell.outputs:
            if "execution_count" in output:
                output.execution_count = cell.execution_count
    return notebook


def checked_cells_that_differ(
    notebook: nbformat.NotebookNode, executed: nbformat.NotebookNode
) -> list[int]:
    """Indices of checked cells whose fresh output text differs from the stored one."""
    return [
        index
        for index, cell in enumerate(notebook.cells)
        if is_checked(cell) and visible_text(cell) != visible_text(executed.cells[index])
    ]
