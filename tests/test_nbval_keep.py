"""The nbval plugin's links: build/nbval-results and build/nbval-notebooks lead to the folders of
the nbval run that ended last, without deleting any run's files."""

import os
from pathlib import Path

import pytest

from tests import nbval_keep


def test_a_link_is_replaced_in_one_rename_and_keeps_every_runs_folder(tmp_path):
    build = tmp_path / "build"
    first, second = build / "nbval-runs" / "1" / "results", build / "nbval-runs" / "2" / "results"
    link = build / "nbval-results"

    nbval_keep.point_link(link, first)
    (first / "03.json").write_text("[]")
    assert link.is_symlink() and (link / "03.json").exists()
    assert os.readlink(link) == os.path.join("nbval-runs", "1", "results")  # build can move

    nbval_keep.point_link(link, second)
    assert link.resolve() == second.resolve() and second.is_dir()
    assert (first / "03.json").exists()
    assert sorted(p.name for p in build.iterdir()) == ["nbval-results", "nbval-runs"]


def test_a_folder_left_where_the_link_goes_is_moved_aside_not_deleted(tmp_path):
    link = tmp_path / "nbval-results"
    link.mkdir()
    (link / "03.json").write_text("from an older make test")
    nbval_keep.point_link(link, tmp_path / "runs" / "1")
    (aside,) = tmp_path.glob("nbval-results.before-*")
    assert (aside / "03.json").read_text() == "from an older make test"
    assert link.resolve() == (tmp_path / "runs" / "1").resolve()


def test_a_link_option_must_name_the_link_and_its_target():
    assert nbval_keep.links(["build/a=build/runs/1/a"]) == [
        (nbval_keep.Path("build/a"), nbval_keep.Path("build/runs/1/a"))
    ]
    for wrong in ("build/a", "=build/b", "build/a="):
        with pytest.raises(pytest.UsageError, match="LINK=TARGET"):
            nbval_keep.links([wrong])


def test_only_a_notebook_stopped_half_way_counts_as_partly_run():
    """Under pytest-xdist a worker collects every notebook and runs its share: the notebooks it
    never touched are another worker's and must not be deleted from the kept folder."""
    from types import SimpleNamespace

    def item(notebook, ran):
        parent = SimpleNamespace(nb=object(), fspath=notebook)
        return SimpleNamespace(parent=parent, cell=object(), test_outputs=[] if ran else None)

    items = [
        item("whole.ipynb", True),
        item("whole.ipynb", True),
        item("half.ipynb", True),
        item("half.ipynb", False),
        item("elsewhere.ipynb", False),
        item("elsewhere.ipynb", False),
    ]
    assert nbval_keep._partly_run(items) == {Path("half.ipynb")}
