"""Downloads leave nothing behind, whatever stops them, and what they keep is readable by all;
the data layer's messages say what is there; the command line refuses unknown names."""

import http.server
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from course_utils.data import (
    DataIntegrityError,
    DataMirrorError,
    DataUnavailableError,
    cache_dir,
    download,
    locate,
    part_files,
)
from course_utils.data import __main__ as make_data
from course_utils.data.jena_standin import write_jena_standin
from course_utils.data.part_files import part_name, remove_stale_parts
from course_utils.data.registry import RemoteFile
from course_utils.data.standins import MARKER_NAME

from .test_fetch import PAYLOAD, remote_for, sha256

needs_locks = pytest.mark.skipif(
    part_files.fcntl is None, reason="no fcntl: parts are judged by age"
)


def mode(path) -> int:
    return path.stat().st_mode & 0o777


@pytest.fixture
def umask():
    """Set the process umask for one test (as a login shell would), and put it back after."""
    previous = os.umask(0o022)
    yield lambda value: os.umask(value)
    os.umask(previous)


@pytest.mark.parametrize(("mask", "expected"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_a_download_has_the_normal_mode_for_the_umask(file_server, umask, mask, expected):
    folder, base = file_server
    (folder / "sample.txt").write_bytes(PAYLOAD)
    umask(mask)
    path = locate(remote_for(f"{base}/sample.txt", sha256(PAYLOAD)))
    assert mode(path) == expected  # mkstemp made it 0o600 whatever the umask


def test_a_generated_standin_is_readable_by_all_too(tmp_path, umask):
    path = write_jena_standin(tmp_path / "mirror", rows=300)
    assert mode(path) == 0o644
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".part")] == []


def test_part_names_are_the_courses_own():
    name = part_name("imdb.npz")
    assert name.startswith(".imdb.npz.") and name.endswith(".part") and len(name) == 31
    assert part_files._PART.fullmatch(name)["name"] == "imdb.npz"


def test_stale_parts_of_the_file_are_removed_and_nothing_else(tmp_path):
    folder = tmp_path / "sample"
    folder.mkdir()
    stale = [".sample.txt.0123456789abcdef.part", ".sample.txt.k2j3h_x9.part"]  # ours, mkstemp's
    kept = [
        ".sample.txt.part",
        "notes.part",
        "sample.txt.0123456789abcdef.part",
        ".other.txt.0123456789abcdef.part",
        ".sample.txt.0123456789abcdef.part.keep",
        ".sample.txt.0123456789ABCDEF.part",
        ".sample.txt.toolongforatoken.part",
        "sample.txt",
    ]
    for name in stale + kept:
        (folder / name).write_bytes(b"x")
    (folder / ".sample.txt.fedcba9876543210.part").mkdir()  # a folder is never removed
    (folder / ".sample.txt.aaaaaaaaaaaaaaaa.part").symlink_to(folder / "sample.txt")
    removed = remove_stale_parts(folder, "sample.txt")
    assert sorted(p.name for p in removed) == sorted(stale)
    left = sorted(p.name for p in folder.iterdir())
    assert left == sorted(
        [*kept, ".sample.txt.fedcba9876543210.part", ".sample.txt.aaaaaaaaaaaaaaaa.part"]
    )
    assert (folder / "sample.txt").read_bytes() == b"x"  # the link's target is untouched


@needs_locks
def test_a_part_in_use_by_another_download_is_left_alone(tmp_path):
    folder = tmp_path / "sample"
    folder.mkdir()
    with part_files.part_file(folder / "sample.txt") as (sink, temporary):
        sink.write(b"half")
        assert remove_stale_parts(folder, "sample.txt") == []
        assert temporary.exists()
    assert not temporary.exists()


def test_without_locks_only_old_parts_count_as_stale(tmp_path, monkeypatch):
    monkeypatch.setattr(part_files, "fcntl", None)
    folder = tmp_path / "sample"
    folder.mkdir()
    old, new = folder / ".sample.txt.0123456789abcdef.part", folder / part_name("sample.txt")
    old.write_bytes(b"x")
    new.write_bytes(b"x")
    hours_ago = time.time() - 2 * part_files.STALE_PART_AGE_S
    os.utime(old, (hours_ago, hours_ago))
    assert remove_stale_parts(folder, "sample.txt") == [old]
    assert new.exists()


def test_ctrl_c_during_a_download_keeps_nothing(file_server, monkeypatch):
    folder, base = file_server
    (folder / "sample.txt").write_bytes(PAYLOAD)

    def interrupt(self, count):
        raise KeyboardInterrupt

    monkeypatch.setattr(download._Progress, "advance", interrupt)
    with pytest.raises(KeyboardInterrupt):
        locate(remote_for(f"{base}/sample.txt", sha256(PAYLOAD)))
    assert list((cache_dir() / "sample").iterdir()) == []


def test_the_sigterm_handler_is_put_back_and_never_set_off_the_main_thread(
    file_server, monkeypatch
):
    folder, base = file_server
    for name in ("one.txt", "two.txt"):
        (folder / name).write_bytes(PAYLOAD)
    before = signal.getsignal(signal.SIGTERM)
    during = []
    advance = download._Progress.advance

    def spy(self, count):
        during.append(signal.getsignal(signal.SIGTERM))
        advance(self, count)

    monkeypatch.setattr(download._Progress, "advance", spy)
    locate(remote_for(f"{base}/one.txt", sha256(PAYLOAD), name="one.txt"))
    assert during[0] is not before and signal.getsignal(signal.SIGTERM) is before

    during.clear()
    results = []
    thread = threading.Thread(
        target=lambda: results.append(
            locate(remote_for(f"{base}/two.txt", sha256(PAYLOAD), name="two.txt"))
        )
    )
    thread.start()
    thread.join()
    assert results == [cache_dir() / "sample" / "two.txt"]  # no ValueError from signal.signal
    assert during[0] is before and signal.getsignal(signal.SIGTERM) is before


class _Stalling(http.server.BaseHTTPRequestHandler):
    """Announces 10 MB, sends 64 KB, then waits: a download caught in the middle."""

    def do_GET(self):  # noqa: N802 - http.server's name
        self.send_response(200)
        self.send_header("Content-Length", str(10 * 2**20))
        self.end_headers()
        self.wfile.write(b"x" * 2**16)
        self.wfile.flush()
        self.server.stop.wait(30)

    def log_message(self, *args):
        pass


@pytest.fixture
def stalling_url():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Stalling)
    server.stop = threading.Event()
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/big.bin"
    server.stop.set()
    server.shutdown()
    server.server_close()


DOWNLOADER = textwrap.dedent(
    """
    import sys
    from course_utils.data.fetch import locate
    from course_utils.data.registry import RemoteFile
    locate(RemoteFile("sample", "big.bin", sys.argv[1], None, None, "a stalled file"))
    """
)


def start_download(url, cache):
    env = {**os.environ, "COURSE_CACHE_DIR": str(cache)}
    env.pop("COURSE_DATA_DIR", None)
    process = subprocess.Popen([sys.executable, "-c", DOWNLOADER, url], env=env)
    deadline = time.monotonic() + 60
    while not list((cache / "sample").glob(".big.bin.*.part")):
        assert process.poll() is None and time.monotonic() < deadline, "the download never began"
        time.sleep(0.05)
    time.sleep(0.3)  # into the read that waits for the rest
    return process


def test_sigterm_during_a_download_removes_the_part_and_ends_the_process(stalling_url, tmp_path):
    process = start_download(stalling_url, tmp_path / "cache")
    process.send_signal(signal.SIGTERM)
    assert process.wait(30) == -signal.SIGTERM  # ended as SIGTERM ends a process
    assert list((tmp_path / "cache" / "sample").iterdir()) == []


def test_the_part_left_by_sigkill_is_removed_on_the_next_start(
    stalling_url, tmp_path, monkeypatch, file_server
):
    process = start_download(stalling_url, tmp_path / "cache")
    process.kill()
    process.wait(30)
    left = list((tmp_path / "cache" / "sample").iterdir())
    assert len(left) == 1 and left[0].name.endswith(".part")
    folder, base = file_server
    (folder / "big.bin").write_bytes(PAYLOAD)
    monkeypatch.setenv("COURSE_CACHE_DIR", str(tmp_path / "cache"))
    locate(RemoteFile("sample", "big.bin", f"{base}/big.bin", sha256(PAYLOAD), None, "a file"))
    assert [p.name for p in (tmp_path / "cache" / "sample").iterdir()] == ["big.bin"]


def test_a_download_cut_short_says_so_and_keeps_nothing(tmp_path):
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()

    def serve_half():
        connection, _ = listener.accept()
        connection.recv(65536)
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + b"x" * 100)
        connection.close()

    threading.Thread(target=serve_half, daemon=True).start()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/half.bin"
    with pytest.raises(DataUnavailableError, match=r"cut short \(100 of 1,000 bytes\)"):
        locate(remote_for(url, None, name="half.bin"))
    listener.close()
    assert list((cache_dir() / "sample").iterdir()) == []


def test_a_folder_where_the_cache_file_should_be_is_named_as_such(closed_port_url):
    (cache_dir() / "sample" / "sample.txt").mkdir(parents=True)
    with pytest.raises(DataIntegrityError) as caught:
        locate(remote_for(closed_port_url, None))
    message = str(caught.value)
    assert f"{cache_dir() / 'sample' / 'sample.txt'} is a folder, where the cache" in message
    assert "not there" not in message


def test_a_file_where_the_cache_folder_should_be_is_named_as_such(closed_port_url):
    cache_dir().mkdir(parents=True)
    (cache_dir() / "sample").write_text("not a folder")
    with pytest.raises(DataIntegrityError, match="is a file, where the cache keeps a folder"):
        locate(remote_for(closed_port_url, None))


@pytest.mark.parametrize("kind", ["folder", "broken link"])
def test_a_mirror_entry_that_is_not_a_file_is_named_as_such(
    tmp_path, monkeypatch, closed_port_url, kind
):
    entry = tmp_path / "mirror" / "sample" / "sample.txt"
    entry.parent.mkdir(parents=True)
    if kind == "folder":
        entry.mkdir()
    else:
        entry.symlink_to(tmp_path / "nowhere")
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "mirror"))
    with pytest.raises(DataMirrorError, match=f"is a {kind}, where the mirror should hold"):
        locate(remote_for(closed_port_url, None))


def test_make_data_with_an_unknown_name_lists_the_known_ones_and_exits_2():
    result = subprocess.run(
        [sys.executable, "-m", "course_utils.data", "bogus"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "no data set named 'bogus'" in result.stderr
    assert "Known data sets: imdb, jena_climate, tinyshakespeare." in result.stderr
    assert result.stdout == ""  # nothing was downloaded or looked for


def test_make_data_refuses_unknown_names_before_fetching_anything(capsys, monkeypatch):
    monkeypatch.setattr(make_data, "locate", lambda remote: pytest.fail("fetched something"))
    with pytest.raises(SystemExit) as caught:
        make_data.main(["imdb", "mnist"])
    assert caught.value.code == 2 and "'mnist'" in capsys.readouterr().err


def test_the_standin_command_refuses_a_folder_it_cannot_make(tmp_path, capsys):
    from course_utils.data.jena_standin import main

    (tmp_path / "file").write_text("in the way")
    with pytest.raises(SystemExit) as caught:
        main([str(tmp_path / "file" / "mirror"), "--rows", "300"])
    assert caught.value.code == 2 and "Not a directory" in capsys.readouterr().err


def test_a_download_replacing_a_generated_file_takes_its_marker_away(file_server):
    folder, base = file_server
    (folder / "sample.txt").write_bytes(PAYLOAD)
    marker = cache_dir() / "sample" / MARKER_NAME
    marker.parent.mkdir(parents=True)
    marker.write_text("the file beside me was generated")
    locate(remote_for(f"{base}/sample.txt", sha256(PAYLOAD)))
    assert not marker.exists()
