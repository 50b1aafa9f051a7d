"""The course's notebook files: reading one (with a message that says what to do when it cannot
be read), writing one as nbformat does, the data sets it declares, which cells nbval checks, and
keeping outputs on those cells alone."""

from __future__ import annotations

from pathlib import Path

import nbformat

CHECK_MARK = "# NBVAL_CHECK_OUTPUT"


class NotebookUnreadable(Exception):
    """A notebook path that names no readable notebook; the message says what to do."""


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise NotebookUnreadable(
            f"{path} does not exist: check the path (the course's notebooks are "
            f"notebooks/NN_topic.ipynb, run from the checkout's top folder)."
        )
    if path.is_dir():
        raise NotebookUnreadable(
            f"{path} is a folder, not a notebook: name the .ipynb files inside it instead."
        )
    try:
        return path.read_bytes()
    except OSError as error:
        raise NotebookUnreadable(
            f"{path} cannot be read ({error.strerror}): fix its permissions."
        ) from None


def read_notebook(path: Path) -> tuple[nbformat.NotebookNode, bytes]:
    """The notebook at ``path`` and the bytes it was read from (to tell later whether the file
    changed). Raises :class:`NotebookUnreadable` saying what is wrong with which file and what
    to do."""
    raw = _read_bytes(path)
    try:
        notebook = nbformat.reads(raw.decode("utf-8"), as_version=4)
        nbformat.validate(notebook)
    except Exception as error:  # nbformat raises many kinds for a file that is not a notebook
        reason = (str(error).strip().splitlines() or [""])[0][:200]
        raise NotebookUnreadable(
            f"{path} is not a valid notebook ({type(error).__name__}: {reason}). It may have been "
            f"cut short or edited by hand: restore it (e.g. from git) or open it in JupyterLab "
            f"to see what is wrong."
        ) from None
    return notebook, raw


def notebook_text(notebook: nbformat.NotebookNode) -> str:
    """The notebook as ``nbformat.write`` leaves a file (to write it whole, atomically)."""
    text = nbformat.writes(notebook)
    return text if text.endswith("\n") else text + "\n"


def declared_datasets(notebook: nbformat.NotebookNode) -> list[str]:
    """The data sets a notebook says it reads, in its metadata (``course.datasets``)."""
    return list(notebook.metadata.get("course", {}).get("datasets", []))


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


def _stored_outputs(outputs: list) -> list:
    """A checked cell's outputs as they are stored: stderr left out (library warnings vary by
    machine), and consecutive pieces of stdout joined into one output (nbval joins them too
    before comparing)."""
    stored: list = []
    for output in outputs:
        if output.output_type == "stream" and output.name == "stderr":
            continue
        previous = stored[-1] if stored else None
        if output.output_type == "stream" and previous and previous.output_type == "stream":
            stored[-1] = nbformat.from_dict({**previous, "text": previous.text + output.text})
        else:
            stored.append(output)
    return stored


def keep_checked_outputs(
    notebook: nbformat.NotebookNode, executed: nbformat.NotebookNode | None = None
):
    """Clear every output except on checked cells, which take ``executed``'s (when given).

    A checked cell keeps an execution count (nbval treats a cell with outputs but no count as
    never run): its place among the code cells; and what it printed is stored as one stream
    output however the kernel happened to send it, so that a re-run changes nothing in git.
    """
    code_cells = 0
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        code_cells += 1
        if is_checked(cell):
            if executed is not None:
                cell.outputs = _stored_outputs(executed.cells[index].outputs)
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
