"""The Jena climate loader on fixtures in the real file's format (faults included), its zip
validator against a local server, and the generated stand-in."""

import io
import re
import zipfile

import numpy as np
import pandas as pd
import pytest

from course_utils import results
from course_utils.data import (
    DataIntegrityError,
    DataUnavailableError,
    clean_jena,
    describe_faults,
    jena_csv,
    load_jena_climate,
    standins_in_use,
    validate_jena_zip,
)
from course_utils.data import __main__ as make_data
from course_utils.data import jena as jena_module
from course_utils.data.fetch import cache_dir, locate
from course_utils.data.jena import SMOKE_STANDIN_DAYS
from course_utils.data.jena_csv import JenaRecord, parse_jena_csv
from course_utils.data.jena_format import COLUMNS, REAL_STEPS, ROWS
from course_utils.data.jena_simulation import (
    _plan,
    dew_point,
    saturation_vapour_pressure,
    standin_csv,
    standin_table,
)
from course_utils.data.jena_standin import main, write_jena_standin
from course_utils.data.registry import JENA_CLIMATE
from course_utils.data.standins import MARKER_NAME
from course_utils.profiles import Profile

from .conftest import real_mirror

CSV = "jena_climate_2009_2016.csv"
HEADER = ",".join(f'"{name}"' for name in COLUMNS)
FIRST_ROW = (
    "01.01.2009 00:10:00,996.52,-8.02,265.40,-8.90,93.30,3.33,3.11,0.22,1.94,3.12,1307.75,"
    "1.03,1.75,152.30"
)


def line(stamp, t=-8.0, wv=1.0, max_wv=2.0):
    """A data row in the file's format; only time, temperature and wind vary."""
    return (
        f"01.01.2009 {stamp},996.50,{t:.2f},265.40,-8.90,93.30,3.33,3.11,0.22,1.94,3.12,1307.75,"
        f"{wv:.2f},{max_wv:.2f},152.30"
    )


# Ten rows with the real file's faults: a sentinel wind speed in both columns (00:30) and in
# max. wv alone (01:20), 00:40 written twice (different values), 01:00 missing.
ROWS_WITH_FAULTS = [
    FIRST_ROW,
    line("00:20:00", t=-8.2, wv=1.2, max_wv=2.2),
    line("00:30:00", t=-8.4, wv=-9999.0, max_wv=-9999.0),
    line("00:40:00", t=-8.6, wv=1.6, max_wv=2.6),
    line("00:40:00", t=-5.0, wv=5.0, max_wv=9.0),
    line("00:50:00", t=-8.8),
    line("01:10:00", t=-9.2),
    line("01:20:00", t=-9.4, wv=0.5, max_wv=-9999.0),
    line("01:30:00", t=-9.6, wv=0.7, max_wv=1.1),
    line("01:40:00", t=-9.8),
]


def csv_text(rows=ROWS_WITH_FAULTS, header=HEADER):
    return "\n".join([header, *rows]) + "\n"


def write_zip(path, text, member="jena_climate_2009_2016.csv"):
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        if isinstance(text, dict):
            for name, content in text.items():
                archive.writestr(name, content)
        else:
            archive.writestr(member, text)
    return path


@pytest.fixture
def fixture_record(monkeypatch):
    """Make the ten fixture rows the whole record, as far as the checks of length and span go."""
    record = JenaRecord(
        rows=10, first=pd.Timestamp("2009-01-01 00:10"), last=pd.Timestamp("2009-01-01 01:40")
    )
    monkeypatch.setattr(jena_csv, "RECORD", record)
    return record


@pytest.fixture
def mirror(tmp_path, monkeypatch, fixture_record):
    """A mirror with the fixture as its Jena file; yields the zip's path (rewrite it at will)."""
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "mirror"))
    return write_zip(tmp_path / "mirror" / "jena_climate" / JENA_CLIMATE.name, csv_text())


@pytest.fixture
def unreachable(monkeypatch, closed_port_url):
    monkeypatch.setattr(
        jena_module,
        "JENA_CLIMATE",
        type(JENA_CLIMATE)(**{**vars(JENA_CLIMATE), "url": closed_port_url}),
    )


def test_raw_file_through_a_mirror_is_the_file_as_it_is(mirror):
    raw = load_jena_climate(raw=True)
    assert list(raw.columns) == list(COLUMNS[1:]) and len(raw) == 10
    assert raw.index.name == "Date Time" and isinstance(raw.index, pd.DatetimeIndex)
    assert set(raw.dtypes) == {np.dtype(np.float32)}
    assert raw.index[0] == pd.Timestamp("2009-01-01 00:10:00")
    np.testing.assert_allclose(
        raw.iloc[0],
        [
            996.52,
            -8.02,
            265.40,
            -8.90,
            93.30,
            3.33,
            3.11,
            0.22,
            1.94,
            3.12,
            1307.75,
            1.03,
            1.75,
            152.30,
        ],
        rtol=1e-6,
    )
    assert (raw["wv (m/s)"] == -9999.0).sum() == 1 and raw.index.duplicated().sum() == 1
    assert standins_in_use() == {}


def test_fault_report_counts_every_fault(mirror):
    faults = describe_faults(load_jena_climate(raw=True))
    assert faults.rows == 10
    assert faults.first == pd.Timestamp("2009-01-01 00:10")
    assert faults.last == pd.Timestamp("2009-01-01 01:40")
    assert faults.wind_sentinels == {"wv (m/s)": 1, "max. wv (m/s)": 2}
    assert faults.duplicated_timestamps == 1 and faults.missing_steps == 1
    summary = faults.summary()
    assert "10 rows" in summary and "2 in 'max. wv (m/s)'" in summary


def test_cleaning_keeps_the_first_duplicate_fills_the_grid_and_the_sentinels(mirror):
    table = load_jena_climate()
    expected_index = pd.date_range("2009-01-01 00:10", "2009-01-01 01:40", freq="10min")
    pd.testing.assert_index_equal(table.index, expected_index, check_names=False)
    assert table.index.name == "Date Time" and set(table.dtypes) == {np.dtype(np.float32)}
    assert not table.isna().any().any() and (table[["wv (m/s)", "max. wv (m/s)"]] >= 0).all().all()
    t = table["T (degC)"]
    assert t["2009-01-01 00:40"] == pytest.approx(-8.6)  # the first of the two, not -5.0
    assert t["2009-01-01 01:00"] == pytest.approx(-9.0)  # halfway between 00:50 and 01:10
    assert table.loc["2009-01-01 00:30", "wv (m/s)"] == pytest.approx(1.4)  # (1.2 + 1.6) / 2
    assert table.loc["2009-01-01 01:20", "max. wv (m/s)"] == pytest.approx(1.55)  # (2.0+1.1)/2
    assert describe_faults(table).wind_sentinels == {"wv (m/s)": 0, "max. wv (m/s)": 0}
    assert (describe_faults(table).duplicated_timestamps, describe_faults(table).missing_steps) == (
        0,
        0,
    )


def test_cleaning_sorts_and_fills_a_sentinel_at_the_edge():
    rows = [line("00:30:00", t=3.0), line("00:10:00", t=1.0, wv=-9999.0), line("00:20:00", t=2.0)]
    raw = parse_jena_csv(lambda: io.BytesIO(csv_text(rows).encode()), "fixture")
    table = clean_jena(raw)
    assert table["T (degC)"].tolist() == [1.0, 2.0, 3.0]
    assert table["wv (m/s)"].iloc[0] == pytest.approx(1.0)  # the nearest reading


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (HEADER.replace(',"wd (deg)"', ""), r"missing columns \['wd \(deg\)'\], unexpected"),
        (HEADER.replace("T (degC)", "T (C)"), r"missing columns \['T \(degC\)'\].*\['T \(C\)'\]"),
        (HEADER + ',"extra"', r"unexpected columns \['extra'\]"),
        (HEADER.replace('"p (mbar)","T (degC)"', '"T (degC)","p (mbar)"'), "wrong order"),
    ],
)
def test_a_wrong_header_names_what_is_wrong(mirror, header, message):
    write_zip(mirror, csv_text(header=header))
    with pytest.raises(DataIntegrityError, match=message):
        load_jena_climate()
    with pytest.raises(DataIntegrityError, match=message):
        validate_jena_zip(mirror)


def test_a_bad_timestamp_names_its_row(mirror):
    rows = list(ROWS_WITH_FAULTS)
    rows[2] = rows[2].replace("01.01.2009 00:30:00", "2009-01-01 00:30:00")
    write_zip(mirror, csv_text(rows))
    with pytest.raises(DataIntegrityError, match=r"data row 3 \(line 4\).*'2009-01-01 00:30:00'"):
        load_jena_climate()


def test_an_impossible_date_is_a_bad_timestamp(mirror):
    write_zip(mirror, csv_text([FIRST_ROW.replace("01.01.2009", "32.01.2009")]))
    with pytest.raises(DataIntegrityError, match="data row 1"):
        validate_jena_zip(mirror)
    with pytest.raises(DataIntegrityError, match="data row 1.*%d.%m.%Y"):
        load_jena_climate()


def test_a_value_that_is_not_a_number_names_its_row_and_column(mirror):
    rows = list(ROWS_WITH_FAULTS)
    rows[4] = rows[4].replace(",996.50,", ",n/a,")
    write_zip(mirror, csv_text(rows))
    with pytest.raises(DataIntegrityError, match=r"data row 5 .*'n/a' in 'p \(mbar\)'"):
        load_jena_climate()


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (FIRST_ROW.rsplit(",", 1)[0], "no value for 'wd \\(deg\\)'"),
        (FIRST_ROW + ",7.0", r"data row 4 \(line 5\) has 16 fields, not 15"),
    ],
)
def test_a_short_or_long_row_is_an_error(mirror, row, message):
    write_zip(mirror, csv_text([*ROWS_WITH_FAULTS[:3], row]))
    with pytest.raises(DataIntegrityError, match=message):
        load_jena_climate()


def test_a_corrupt_zip_is_an_error_that_says_to_replace_it(mirror):
    mirror.write_bytes(mirror.read_bytes()[:200])
    with pytest.raises(DataIntegrityError, match="not a readable zip.*data mirror.*replace it"):
        load_jena_climate()


def test_a_damaged_member_is_an_error_too(mirror):
    data = bytearray(mirror.read_bytes())
    data[60:80] = bytes(20)  # inside the compressed CSV: a CRC or inflate error
    mirror.write_bytes(bytes(data))
    with pytest.raises(DataIntegrityError, match="not a readable zip"):
        load_jena_climate()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ({"a.csv": csv_text(), "b.csv": csv_text()}, "exactly one CSV"),
        ({"readme.txt": "hello"}, "exactly one CSV"),
        ({"jena_climate_2009_2016.csv": HEADER + "\n"}, "no data rows"),
    ],
)
def test_the_validator_wants_one_csv_with_data(tmp_path, content, message):
    path = write_zip(tmp_path / "x.zip", content)
    with pytest.raises(DataIntegrityError, match=message):
        validate_jena_zip(path)


def test_the_validator_accepts_the_real_format_and_a_macos_zip(tmp_path, fixture_record):
    validate_jena_zip(write_zip(tmp_path / "plain.zip", csv_text()))
    macos = {"jena_climate_2009_2016.csv": csv_text(), "__MACOSX/._jena_climate_2009_2016.csv": ""}
    validate_jena_zip(write_zip(tmp_path / "macos.zip", macos))


def served_remote(base):
    return type(JENA_CLIMATE)(**{**vars(JENA_CLIMATE), "url": f"{base}/{JENA_CLIMATE.name}"})


@pytest.mark.parametrize(
    "payload",
    [b"<html>Service unavailable</html>", "zip of the wrong header"],
)
def test_a_bad_download_is_refused_and_nothing_is_kept(file_server, payload):
    folder, base = file_server
    target = folder / JENA_CLIMATE.name
    if isinstance(payload, bytes):
        target.write_bytes(payload)
    else:
        write_zip(target, csv_text(header=HEADER.replace("rh (%)", "RH")))
    with pytest.raises(DataIntegrityError):
        locate(served_remote(base), validate=validate_jena_zip)
    assert list((cache_dir() / "jena_climate").iterdir()) == []


def test_make_data_validates_the_jena_download(file_server, monkeypatch, capsys, fixture_record):
    folder, base = file_server
    monkeypatch.setattr(make_data, "files_of", lambda name: (served_remote(base),))
    (folder / JENA_CLIMATE.name).write_bytes(b"<html>not a zip</html>")
    assert make_data.main(["jena_climate"]) == 1
    assert "not a readable zip" in capsys.readouterr().out
    assert not (cache_dir() / JENA_CLIMATE.relative_path).exists()

    write_zip(folder / JENA_CLIMATE.name, csv_text())
    assert make_data.main(["jena_climate"]) == 0
    assert len(load_jena_climate(raw=True)) == 10  # the kept download loads


def test_full_profile_never_falls_back(unreachable):
    with pytest.raises(DataUnavailableError, match="jena_climate_2009_2016.csv.zip"):
        load_jena_climate(profile=Profile("full"))
    assert standins_in_use() == {}


def test_smoke_profile_falls_back_to_a_small_standin_and_says_so(unreachable, capsys):
    raw = load_jena_climate(raw=True, profile=Profile("smoke"))
    assert "GENERATED STAND-IN" in capsys.readouterr().out
    assert "jena_climate" in standins_in_use()
    faults = describe_faults(raw)
    assert faults.first == pd.Timestamp("2009-01-01 00:10")
    assert faults.last - faults.first == pd.Timedelta(days=SMOKE_STANDIN_DAYS, minutes=-10)
    assert faults.duplicated_timestamps > 0 and faults.missing_steps > 0
    assert min(faults.wind_sentinels.values()) > 0
    table = load_jena_climate(profile=Profile("smoke"))
    assert len(table) == SMOKE_STANDIN_DAYS * 144 and table.index.is_monotonic_increasing
    assert (table["wv (m/s)"] >= 0).all()


def test_a_marked_standin_is_announced_in_the_full_profile(tmp_path, monkeypatch, capsys):
    write_jena_standin(tmp_path / "mirror", rows=2000, seed=3)
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "mirror"))
    table = load_jena_climate(profile=Profile("full"))
    assert len(table) > 2000 - 10
    assert "GENERATED STAND-IN" in capsys.readouterr().out
    assert "jena_climate" in standins_in_use()
    monkeypatch.setattr(results, "_current_notebook", "06_dropout")
    assert results.record("val MAE", 2.5, unit="°C", data=("jena_climate",)) is None


def test_the_standin_file_has_the_real_format(tmp_path):
    path = write_jena_standin(tmp_path, rows=3000, seed=1)
    assert path == tmp_path / "jena_climate" / "jena_climate_2009_2016.csv.zip"
    validate_jena_zip(path)
    with zipfile.ZipFile(path) as archive:
        assert archive.namelist() == ["jena_climate_2009_2016.csv"]
        lines = archive.read("jena_climate_2009_2016.csv").decode("ascii").splitlines()
    assert lines[0] == HEADER and len(lines) == 3001
    assert lines[1].startswith("01.01.2009 00:10:00,")
    number = r"-?\d+\.\d\d"
    row = re.compile(rf"\d\d\.\d\d\.\d{{4}} \d\d:\d\d:00(,{number}){{14}}")
    assert all(row.fullmatch(text) for text in lines[1:])
    assert not any(",-0.00" in text for text in lines)
    marker = (path.parent / MARKER_NAME).read_text()
    assert "GENERATED STAND-IN" in marker and "seed 1" in marker and "jena_standin" in marker
    with zipfile.ZipFile(path) as archive:
        faults = describe_faults(parse_jena_csv(lambda: archive.open(CSV), "the stand-in"))
    assert faults.rows == 3000 and faults.duplicated_timestamps >= 3 and faults.missing_steps >= 4
    assert faults.wind_sentinels["wv (m/s)"] >= 2 and faults.wind_sentinels["max. wv (m/s)"] >= 1


def test_the_full_size_plan_spans_the_real_record():
    steps, duplicates, missing = _plan(None, ROWS)
    assert steps == REAL_STEPS and steps - missing + duplicates == ROWS
    assert pd.Timestamp("2009-01-01 00:10") + pd.Timedelta(minutes=10) * (steps - 1) == (
        pd.Timestamp("2017-01-01 00:00")
    )
    with pytest.raises(ValueError, match="at least"):
        _plan(None, 50)


def test_the_standin_never_overwrites_a_real_file(tmp_path):
    write_zip(tmp_path / "jena_climate" / JENA_CLIMATE.name, csv_text())
    with pytest.raises(FileExistsError, match="not marked as generated"):
        write_jena_standin(tmp_path, rows=500)


def test_the_command_line_says_what_it_wrote_and_how_to_use_it(tmp_path, capsys):
    assert main([str(tmp_path / "offline"), "--rows", "600", "--seed", "2"]) == 0
    out = capsys.readouterr().out
    assert "GENERATED STAND-IN" in out and f"COURSE_DATA_DIR={tmp_path / 'offline'} make run" in out
    assert (tmp_path / "offline" / "jena_climate" / MARKER_NAME).is_file()


def test_the_smoke_standin_goes_through_the_file_parser():
    text = standin_csv(days=2, seed=5)
    raw = parse_jena_csv(lambda: io.BytesIO(text), "generated")
    table = standin_table(days=2, seed=5).set_index("Date Time")
    np.testing.assert_allclose(raw.to_numpy(), table.to_numpy(), atol=0.006)
    assert (raw.index == table.index).all()


@pytest.fixture(scope="module")
def raw_year():
    """One year of the stand-in as generated (about 52,000 rows)."""
    return standin_table(days=365, seed=0).set_index("Date Time")


@pytest.fixture(scope="module")
def year(raw_year):
    return clean_jena(raw_year)


def test_the_standin_is_physically_consistent(raw_year):
    year = raw_year[(raw_year[["wv (m/s)", "max. wv (m/s)"]] != -9999.0).all(axis=1)]
    t, p, rh = year["T (degC)"], year["p (mbar)"], year["rh (%)"]
    vp_max, vp_act = year["VPmax (mbar)"], year["VPact (mbar)"]
    assert rh.between(0, 100).all() and (year["Tdew (degC)"] <= t + 0.02).all()
    assert (year["VPdef (mbar)"] >= 0).all()
    np.testing.assert_allclose(vp_max, saturation_vapour_pressure(t), atol=0.03)
    np.testing.assert_allclose(vp_act, rh / 100 * vp_max, atol=0.03)
    np.testing.assert_allclose(year["VPdef (mbar)"], vp_max - vp_act, atol=0.02)
    np.testing.assert_allclose(year["Tdew (degC)"], dew_point(vp_act), atol=0.1)
    np.testing.assert_allclose(year["Tpot (K)"], (t + 273.15) * (1000 / p) ** 0.286, atol=0.05)
    np.testing.assert_allclose(year["sh (g/kg)"], 622 * vp_act / (p - 0.378 * vp_act), atol=0.02)
    np.testing.assert_allclose(year["H2OC (mmol/mol)"], 1000 * vp_act / p, atol=0.02)
    moist_air = 100_000 * ((p - vp_act) / 287.05 + vp_act / 461.5) / (t + 273.15)
    np.testing.assert_allclose(year["rho (g/m**3)"], moist_air, atol=0.05)
    wv, max_wv, wd = year["wv (m/s)"], year["max. wv (m/s)"], year["wd (deg)"]
    assert (wv >= 0).all() and (max_wv >= wv).all() and wd.between(0, 360, inclusive="left").all()


def test_the_standin_has_jena_like_cycles_and_weather(year):
    t = year["T (degC)"]
    monthly = t.groupby(t.index.month).mean()
    assert monthly[1] < 3 and monthly[7] > 15  # cold winters, warm summers
    daily = t.resample("D")
    swing = (daily.max() - daily.min()).groupby(lambda day: day.month).mean()
    assert 7 < swing[7] < 14 and swing[1] < swing[7]  # a bigger daily swing in summer
    hourly = t.groupby(t.index.hour).mean()
    assert hourly.idxmax() in (13, 14, 15, 16) and hourly.idxmin() in (3, 4, 5, 6, 7)
    change = (t.shift(-144) - t).dropna()
    assert 1.8 < change.abs().mean() < 3.5  # "the same as 24 h ago" is decent, but not perfect
    assert year["p (mbar)"].between(930, 1040).all()
    assert 60 < year["rh (%)"].mean() < 90


@pytest.mark.skipif(
    real_mirror() is None or not (real_mirror() / JENA_CLIMATE.relative_path).is_file(),
    reason="no Jena climate file in the offline data mirror",
)
def test_the_offline_mirror_loads(monkeypatch):
    monkeypatch.setenv("COURSE_DATA_DIR", str(real_mirror()))
    raw = load_jena_climate(raw=True)
    assert len(raw) == ROWS and raw.index[0] == pd.Timestamp("2009-01-01 00:10")
    assert raw.iloc[0]["T (degC)"] == pytest.approx(-8.02)
    table = load_jena_climate()
    assert table.index.is_unique and (table["wv (m/s)"] >= 0).all()


def test_the_smoke_standin_fills_whole_batches_of_the_lectures_windows():
    """Its length is chosen so that a smoke run compiles each model for one batch shape: the
    lecture's windows (a window every 24 rows) fill whole training batches of 128, and the
    validation and test windows one batch each."""
    from course_utils.timeseries import CLASSIC, chronological_split, window_indices

    rows = SMOKE_STANDIN_DAYS * 144  # its cleaned length (test above)
    splits = chronological_split(rows, (0.5, 0.25, 0.25))
    train, validation, test = (
        len(window_indices(rows, rows=split, stride=24, **CLASSIC)) for split in splits
    )
    assert train % 128 == 0 and validation <= 128 and test <= 128, (train, validation, test)
