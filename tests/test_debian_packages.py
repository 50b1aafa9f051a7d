"""`make debian-packages`: what `make test` and `make slides` do when chromium or npm is missing.

The target runs for real, under a ``PATH`` of fake commands only (``apt-get``, ``sudo``, ``id``,
the packages themselves), each logging how it was called, so that no package is installed.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MAKE = shutil.which("make")

pytestmark = pytest.mark.skipif(MAKE is None, reason="needs make")


@pytest.fixture
def fake_system(tmp_path):
    """``(install, run)``: put a fake command on the PATH; run the target and read the log."""
    folder = tmp_path / "bin"
    folder.mkdir()
    log = tmp_path / "calls.log"

    def install(name: str, body: str = "exit 0") -> None:
        script = folder / name
        script.write_text(f'#!/bin/sh\necho "{name} $*" >> "{log}"\n{body}\n')
        script.chmod(0o755)

    def run(packages: str, uid: int = 0, **environment: str):
        install("id", f"echo {uid}")
        install("env", 'shift; exec "$@"')  # env DEBIAN_FRONTEND=noninteractive apt-get ...
        result = subprocess.run(
            [
                MAKE,
                "-s",
                "--no-print-directory",
                "-C",
                str(ROOT),
                "debian-packages",
                f"PACKAGES={packages}",
                "WHY=for a test",
            ],
            env={"PATH": str(folder), **environment},
            capture_output=True,
            text=True,
            timeout=60,
        )
        calls = log.read_text().splitlines() if log.exists() else []
        return result, [call for call in calls if not call.startswith(("id ", "env "))]

    return install, run


def test_nothing_is_installed_when_everything_is_there(fake_system):
    install, run = fake_system
    install("chromium")
    install("npm")
    install("apt-get")
    result, calls = run("chromium npm")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "" and calls == []


def test_root_installs_the_missing_package_with_apt_get_and_says_so_in_one_line(fake_system):
    install, run = fake_system
    install("npm")
    install("apt-get")
    install("sudo", 'exec "$@"')
    result, calls = run("chromium npm")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        "Installing chromium from Debian (for a test): apt-get install chromium"
    ]
    assert calls == [
        "apt-get update -qq",
        "apt-get install -y -qq --no-install-recommends chromium",
    ]


def test_a_user_installs_through_sudo(fake_system):
    install, run = fake_system
    install("apt-get")
    install("sudo", 'exec "$@"')
    result, calls = run("chromium npm", uid=1000)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "sudo apt-get install chromium npm" in result.stdout
    assert calls == [
        "sudo apt-get update -qq",
        "apt-get update -qq",
        "sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "
        "chromium npm",
        "apt-get install -y -qq --no-install-recommends chromium npm",
    ]


def test_a_user_without_sudo_is_told_the_exact_command(fake_system):
    install, run = fake_system
    install("apt-get")
    result, calls = run("chromium", uid=1000)
    assert result.returncode != 0
    assert "apt-get update && apt-get install -y --no-install-recommends chromium" in result.stdout
    assert "as root" in result.stdout
    assert calls == []


def test_without_apt_get_it_stops_and_names_the_package(fake_system):
    _, run = fake_system
    result, calls = run("chromium")
    assert result.returncode != 0
    assert "chromium is missing" in result.stdout and "no apt-get" in result.stdout
    assert "COURSE_CHROMIUM" in result.stdout


def test_a_failed_install_says_what_to_run(fake_system):
    install, run = fake_system
    install("apt-get", "exit 100")
    result, _ = run("npm")
    assert result.returncode != 0
    assert "Could not install npm" in result.stdout
    assert "apt-get update && apt-get install -y --no-install-recommends npm" in result.stdout


def test_course_chromium_stands_in_for_the_package(fake_system, tmp_path):
    install, run = fake_system
    install("apt-get")
    browser = tmp_path / "chrome"
    browser.write_text("#!/bin/sh\n")
    browser.chmod(0o755)
    result, calls = run("chromium", COURSE_CHROMIUM=str(browser))
    assert result.returncode == 0 and calls == []
