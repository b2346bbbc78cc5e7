"""Finding the dates a line states, in Korean, Chinese and English."""

from __future__ import annotations

import pytest

from cnblock.datelines import mentions


def stated(line: str) -> list[str]:
    return [line[m.start : m.end] for m in mentions(line)]


@pytest.mark.parametrize(
    ("line", "dates"),
    [
        ("비야디는 2018년 9월 개발자 대회를 열었다", ["2018년", "9월"]),
        ("지난해 출범했고 올해 확대한다", ["지난해", "올해"]),
        ("지난달 시작됐다", ["지난달"]),
        ("당시 참석자는 많았다", ["당시"]),
        ("投资 2000억 원과 3000명", []),
        ("比亚迪去年在2019年11月宣布", ["去年", "2019年", "11月"]),
        ("今年三月", ["今年", "三月"]),
        ("BYD said last July that in March 2021 it would", ["last July", "March", "2021"]),
        ("Three years ago, at the time, earlier this year", ["at the time", "earlier this year"]),
        ("Reported 2 years ago", ["2 years ago"]),
        ("May 5 and the May Fourth Movement; you may go", ["May"]),
        ("a 1234 part number, 20180 units", []),
        ("no date at all", []),
    ],
)
def test_dates_are_found(line, dates):
    assert stated(line) == dates


def test_overlapping_matches_are_kept_once_the_longest_first():
    found = mentions("지난 2016년 출범")
    assert [(m.start, m.end, m.kind) for m in found] == [(0, 8, "relative")]
