"""Shared fixtures for the unit tests, and the nbval settings for the notebook run.

``make nbval`` loads this file as a plugin (``-p tests.conftest``) so that its
``pytest_collectstart`` hook also applies to the notebooks.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from pathlib import Path

import pytest

ORIGINAL_MIRROR = os.environ.get("COURSE_DATA_DIR")
SHARED_MIRROR = Path(__file__).resolve().parents[2] / "shared" / "data"


def real_mirror() -> Path | None:
    """The offline mirror CI has (``COURSE_DATA_DIR`` or ``../shared/data``), if any."""
    for candidate in (ORIGINAL_MIRROR, SHARED_MIRROR):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


def pytest_collectstart(collector):
    """Compare only what a checked notebook cell shows on stdout and in its results; stderr
    carries library warnings that vary by machine and version."""
    if collector.fspath and collector.fspath.ext == ".ipynb":
        collector.skip_compare += ("stderr",)


@pytest.fixture(autouse=True)
def clean_course_environment(monkeypatch, tmp_path, request):
    """Every unit test starts with no mirror, an empty cache, and no stand-ins remembered."""
    if request.node.fspath.ext == ".ipynb":
        yield
        return
    from course_utils.data import standins

    for name in ("COURSE_DATA_DIR", "COURSE_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COURSE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("COURSE_RESULTS_DIR", str(tmp_path / "results"))
    monkeypatch.setattr(standins, "_in_use", {})
    yield


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output clean
        pass


@pytest.fixture
def file_server(tmp_path):
    """A real HTTP server on localhost serving ``<tmp>/served``; yields ``(folder, base_url)``."""
    folder = tmp_path / "served"
    folder.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield folder, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def closed_port_url():
    """An address on localhost where nothing listens: a download from it fails like no network."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/nothing-here"
