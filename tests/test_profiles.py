import pytest

from course_utils.profiles import Profile, ProfileError, active_profile


def test_full_is_the_default(monkeypatch):
    assert active_profile().name == "full"
    monkeypatch.setenv("COURSE_PROFILE", "")
    assert active_profile().name == "full"


def test_smoke_is_read_from_the_environment_case_insensitively(monkeypatch):
    monkeypatch.setenv("COURSE_PROFILE", " Smoke ")
    profile = active_profile()
    assert profile.name == "smoke" and profile.is_smoke and profile.allows_standins


def test_choose_picks_the_size_of_the_profile():
    assert Profile("full").choose(full=10, smoke=1) == 10
    assert Profile("smoke").choose(full=10, smoke=1) == 1


def test_only_smoke_allows_standins():
    assert not Profile("full").allows_standins


def test_unknown_profile_lists_the_valid_ones(monkeypatch):
    monkeypatch.setenv("COURSE_PROFILE", "fast")
    with pytest.raises(ProfileError) as caught:
        active_profile()
    message = str(caught.value)
    assert "'fast'" in message and "full" in message and "smoke" in message
    assert "COURSE_PROFILE" in message
