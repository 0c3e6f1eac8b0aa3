"""The official CNEMC real-time publications reproduce exactly (STANDARDS.md §7.3, data/SOURCES.md §2).

Oracle: the AQI and primary pollutant published by CNEMC in the same row. The archive's crawler swapped the
two ozone columns: ``o3_24h`` holds the latest 1-hour O3, which is what enters the real-time AQI.
"""

from __future__ import annotations

import polars as pl
import pytest

from ecoinspect.indicators.aqi import aqi_hourly
from ecoinspect.indicators.io import read_table

# published Chinese pollutant names -> our column names
PUBLISHED_NAMES = {
    "二氧化硫": "so2", "二氧化氮": "no2", "一氧化碳": "co", "臭氧1小时": "o3", "臭氧8小时": "o3",
    "颗粒物(PM10)": "pm10", "细颗粒物(PM2.5)": "pm2_5",
}  # fmt: skip
FILES = {
    "HJ633-2026": ("cnemc_realtime_2026-03-10T12_subset.csv", 65),
    "HJ633-2012": ("cnemc_realtime_2022-01-01T12_subset.csv", 39),
}


def published_primary(text: str | None) -> str:
    if text in (None, "", "NA", "—"):
        return ""
    return ",".join(PUBLISHED_NAMES[name] for name in text.split(","))


def computed(cnemc_dir, standard: str) -> pl.DataFrame:
    raw = read_table(cnemc_dir / FILES[standard][0])
    frame = raw.select(
        "stationcode", "positionname", "timepoint", "so2", "no2", "co", pl.col("o3_24h").alias("o3"), "pm10",
        "pm2_5", pl.col("aqi").alias("published_aqi"), pl.col("primarypollutant").alias("published_primary"),
    )  # fmt: skip
    return aqi_hourly(frame, standard=standard)


@pytest.mark.parametrize("standard", ["HJ633-2026", "HJ633-2012"])
def test_every_published_aqi_and_primary_pollutant_is_reproduced(cnemc_dir, standard):
    out = computed(cnemc_dir, standard)
    published = out.filter(~pl.col("published_aqi").fill_null("").is_in(["", "NA"]))
    assert published.height == FILES[standard][1]
    mismatches = [
        (row["stationcode"], row["positionname"], row["published_aqi"], row["aqi"], row["published_primary"],
         row["primary_pollutants"])
        for row in published.iter_rows(named=True)
        if int(row["published_aqi"]) != row["aqi"] or published_primary(row["published_primary"]) != row["primary_pollutants"]
    ]  # fmt: skip
    assert mismatches == []


@pytest.mark.parametrize(
    ("standard", "station", "aqi", "primary"),
    [
        ("HJ633-2026", "1001A", 96, "pm2_5"),  # 北京 万寿西宫 PM2.5 58 (the 2012 table would give 79)
        ("HJ633-2026", "1010A", 114, "pm2_5"),  # 北京 昌平镇 PM2.5 75
        ("HJ633-2026", "3614A", 202, "pm10"),  # 和田 PM10 351
        ("HJ633-2026", "1232A", 62, "pm10,pm2_5"),  # 杭州 城厢镇 tie
        ("HJ633-2026", "3299A", 21, ""),  # 白云竹料
        ("HJ633-2026", "3300A", 18, ""),  # 白云嘉禾 (CO not monitored: "/")
        ("HJ633-2026", "2205A", 39, ""),  # 阿拉善: O3 1-h 106 -> 34; the O3-8h 93 is not used
        ("HJ633-2012", "1345A", 72, "pm10"),  # 广州 广雅中学
        ("HJ633-2012", "1389A", 62, "pm10,pm2_5"),  # 东莞 tie
        ("HJ633-2012", "1496A", 329, "pm10"),  # 乌鲁木齐 米东 PM10 443
        ("HJ633-2012", "1015A", 203, "pm2_5"),  # 天津 勤俭道 PM2.5 153
    ],
)
def test_highlighted_stations(cnemc_dir, standard, station, aqi, primary):
    row = computed(cnemc_dir, standard).filter(pl.col("stationcode") == station).row(0, named=True)
    assert (row["aqi"], row["primary_pollutants"]) == (aqi, primary)


def test_2026_missing_data_rule_matches_the_withheld_rows(cnemc_dir):
    """HJ 633-2026 §5.3: with a pollutant missing, AQI is published only if > 100. CNEMC withheld (NA) these
    rows; each has a missing pollutant and a partial AQI <= 100."""
    out = computed(cnemc_dir, "HJ633-2026").filter(pl.col("stationcode").is_in(["2206A", "1751A", "1353A", "1354A", "3304A"]))
    assert out.height == 5
    assert out["publishable"].to_list() == [False] * 5
    assert (out["aqi"] <= 100).all()


def test_not_monitored_does_not_block_publication(cnemc_dir):
    out = computed(cnemc_dir, "HJ633-2026")
    no_so2_co = out.filter(pl.col("stationcode") == "1957A").row(0, named=True)  # SO2 and CO "/"
    assert no_so2_co["aqi"] == 129 and no_so2_co["publishable"] is True
    baiyun = out.filter(pl.col("stationcode") == "3300A").row(0, named=True)  # CO "/", published 18
    assert baiyun["publishable"] is True and baiyun["iaqi_co"] is None
