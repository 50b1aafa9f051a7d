"""The resolution order mirror -> cache -> download -> clear error, against a real local server."""

import hashlib
import os

import pytest

from course_utils.data import (
    DataIntegrityError,
    DataMirrorError,
    DataUnavailableError,
    cache_dir,
    locate,
)
from course_utils.data.registry import REGISTRY, RemoteFile, files_of

PAYLOAD = b"the quick brown fox\n" * 5000


def remote_for(
    url: str, checksum: str | None, name: str = "sample.txt", *, mirror_may_differ: bool = False
) -> RemoteFile:
    return RemoteFile("sample", name, url, checksum, len(PAYLOAD), "a test file", mirror_may_differ)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def leftovers(folder):
    return [p.name for p in folder.iterdir()] if folder.exists() else []


def test_download_lands_in_the_cache_verified(file_server, capsys):
    folder, base = file_server
    (folder / "sample.txt").write_bytes(PAYLOAD)
    path = locate(remote_for(f"{base}/sample.txt", sha256(PAYLOAD)))
    assert path == cache_dir() / "sample" / "sample.txt"
    assert path.read_bytes() == PAYLOAD
    assert leftovers(path.parent) == ["sample.txt"]  # no temporary file left behind
    assert "100%" in capsys.readouterr().out  # the progress bar reached the end


def test_second_call_uses_the_cache_without_network(file_server, closed_port_url):
    folder, base = file_server
    (folder / "sample.txt").write_bytes(PAYLOAD)
    locate(remote_for(f"{base}/sample.txt", sha256(PAYLOAD)))
    again = locate(remote_for(closed_port_url, sha256(PAYLOAD)))
    assert again.read_bytes() == PAYLOAD


def test_md5_checksums_as_keras_publishes_them_are_understood(file_server):
    folder, base = file_server
    (folder / "sample.txt").write_bytes(PAYLOAD)
    md5 = hashlib.md5(PAYLOAD).hexdigest()
    assert locate(remote_for(f"{base}/sample.txt", md5)).read_bytes() == PAYLOAD


def test_checksum_mismatch_keeps_nothing(file_server):
    folder, base = file_server
    (folder / "sample.txt").write_bytes(PAYLOAD[:-10])  # a truncated copy
    with pytest.raises(DataIntegrityError) as caught:
        locate(remote_for(f"{base}/sample.txt", sha256(PAYLOAD)))
    message = str(caught.value)
    assert "refused, so nothing was saved" in message and "99,990 bytes" in message
    assert "the downloaded file is not the published sample/sample.txt: its sha256" in message
    assert ".part" not in message and "delete" not in message  # nothing there to delete
    assert leftovers(cache_dir() / "sample") == []


def test_failed_content_validation_keeps_nothing(file_server):
    folder, base = file_server
    (folder / "sample.txt").write_bytes(PAYLOAD)

    def reject(path, label):
        raise DataIntegrityError(f"{label} has the wrong header.")

    with pytest.raises(DataIntegrityError) as caught:
        locate(remote_for(f"{base}/sample.txt", None), validate=reject)
    message = str(caught.value)
    assert "nothing was saved: the downloaded file has the wrong header." in message
    assert ".part" not in message and "run again" in message
    assert leftovers(cache_dir() / "sample") == []


def test_missing_file_on_server_is_a_clear_data_error(file_server):
    _, base = file_server
    with pytest.raises(DataUnavailableError) as caught:
        locate(remote_for(f"{base}/absent.txt", None))
    assert "404" in str(caught.value)
    assert leftovers(cache_dir() / "sample") == []


def test_no_network_error_names_the_file_the_address_and_the_fix(closed_port_url):
    remote = remote_for(closed_port_url, None)
    with pytest.raises(DataUnavailableError) as caught:
        locate(remote)
    message = str(caught.value)
    assert "sample/sample.txt" in message
    assert closed_port_url in message
    assert "make data" in message and "COURSE_DATA_DIR" in message
    assert str(cache_dir() / "sample" / "sample.txt") in message
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_corrupt_cache_file_is_reported_not_used(closed_port_url):
    cached = cache_dir() / "sample" / "sample.txt"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"garbage")
    with pytest.raises(DataIntegrityError) as caught:
        locate(remote_for(closed_port_url, sha256(PAYLOAD)))
    assert str(cached) in str(caught.value) and "delete it" in str(caught.value)
    assert cached.read_bytes() == b"garbage"  # the user's file is reported, not deleted


def test_mirror_comes_first_and_may_hold_another_form(tmp_path, monkeypatch, closed_port_url):
    mirror = tmp_path / "mirror"
    (mirror / "sample").mkdir(parents=True)
    (mirror / "sample" / "sample.txt").write_bytes(b"a re-tokenised copy")
    monkeypatch.setenv("COURSE_DATA_DIR", str(mirror))
    path = locate(remote_for(closed_port_url, sha256(PAYLOAD), mirror_may_differ=True))
    assert path == mirror / "sample" / "sample.txt"


def test_a_mirror_copy_meant_to_be_identical_is_checked(tmp_path, monkeypatch, closed_port_url):
    mirror = tmp_path / "mirror"
    (mirror / "sample").mkdir(parents=True)
    (mirror / "sample" / "sample.txt").write_bytes(PAYLOAD)
    monkeypatch.setenv("COURSE_DATA_DIR", str(mirror))
    assert locate(remote_for(closed_port_url, sha256(PAYLOAD))).read_bytes() == PAYLOAD
    (mirror / "sample" / "sample.txt").write_bytes(PAYLOAD[:1000])
    with pytest.raises(DataIntegrityError) as caught:
        locate(remote_for(closed_port_url, sha256(PAYLOAD)))
    message = str(caught.value)
    assert f"{mirror / 'sample' / 'sample.txt'} is not the published sample/sample.txt" in message
    assert "1,000 bytes" in message and f"COURSE_DATA_DIR={mirror}" in message


def test_mirror_without_the_file_falls_back_to_the_cache(tmp_path, monkeypatch, file_server):
    folder, base = file_server
    (folder / "sample.txt").write_bytes(PAYLOAD)
    (tmp_path / "mirror").mkdir()
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "mirror"))
    path = locate(remote_for(f"{base}/sample.txt", sha256(PAYLOAD)))
    assert path.parent == cache_dir() / "sample"


def test_mirror_that_is_not_a_folder_is_a_clear_error(tmp_path, monkeypatch, closed_port_url):
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "no-such-mirror"))
    with pytest.raises(DataMirrorError, match="does not name a folder"):
        locate(remote_for(closed_port_url, None))


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file whatever its mode")
def test_unreadable_mirror_is_a_clear_error(tmp_path, monkeypatch, closed_port_url):
    mirror = tmp_path / "mirror"
    mirror.mkdir(mode=0)
    monkeypatch.setenv("COURSE_DATA_DIR", str(mirror))
    with pytest.raises(DataMirrorError, match="cannot read"):
        locate(remote_for(closed_port_url, None))


def test_unreadable_mirror_is_a_clear_error_even_for_root(tmp_path, monkeypatch, closed_port_url):
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    monkeypatch.setenv("COURSE_DATA_DIR", str(mirror))
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    with pytest.raises(DataMirrorError, match="cannot read"):
        locate(remote_for(closed_port_url, None))


def test_every_registered_file_has_an_address_and_a_known_checksum_form():
    for files in REGISTRY.values():
        for remote in files:
            assert remote.url.startswith("https://")
            assert remote.checksum is None or len(remote.checksum) in (32, 64)


def test_unknown_dataset_lists_the_known_ones():
    with pytest.raises(KeyError, match="imdb"):
        files_of("mnist")
