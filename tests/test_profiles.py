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


@pytest.mark.parametrize("raw", ["SMOKE", " Smoke ", "smoke"])
def test_one_rule_for_every_way_of_naming_a_profile(raw, monkeypatch):
    monkeypatch.setenv("COURSE_PROFILE", raw)
    assert active_profile() == Profile(raw) == Profile("smoke")
    assert Profile(raw).name == "smoke"
    assert Profile("").name == Profile("  ").name == "full"


def test_an_unknown_profile_gives_the_same_message_however_it_is_named(monkeypatch):
    with pytest.raises(ProfileError) as direct:
        Profile("Quick")
    monkeypatch.setenv("COURSE_PROFILE", "Quick")
    with pytest.raises(ProfileError) as from_environment:
        active_profile()
    assert str(direct.value) == str(from_environment.value)
    assert "'Quick'" in str(direct.value) and "PROFILE=" in str(direct.value)
