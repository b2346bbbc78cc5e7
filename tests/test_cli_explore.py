"""The explorer commands through the CLI, against the shipped log: which events come back."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from cnblock import export

BYD = [  # by earliest known day, then precision, then id
    "byd-founded-as-battery-maker",
    "it-firms-taste-blockchain-2017-2018",  # 2017/2018
    "byd-carbon-bank-not-commercialised",  # 2018-05/.. (as of 2020)
    "vechain-byd-carbon-bank-poc",
    "byd-blockchain-carbon-credits",
    "byd-first-developer-conference",
    "wang-chuanfu-intelligence-by-2035",
    "amo-labs-carmomile-byd",
    "amo-labs-data-exchange-pilot",
    "byd-largest-ev-maker",  # states known only as of 2020
    "byd-meituan-slow-adopters",
]


def events(run, *args: str) -> list[str]:
    result = run("timeline", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return [e["id"] for e in json.loads(result.stdout)]


@pytest.mark.parametrize("name", ["BYD", "byd", "비야디", "比亚迪"])
def test_company_by_any_name(run, name):
    assert events(run, "--company", name) == BYD


def test_company_in_chinese_and_korean_for_meituan(run):
    assert (
        events(run, "--company", "美团点评")
        == events(run, "--company", "메이퇀뎬핑")
        == events(run, "-c", "meituan")
    )
    assert "meituan-digital-yuan-retail-test" in events(run, "--company", "美团")


def test_person_filter(run):
    assert events(run, "--person", "王兴") == [
        "wang-xing-invests-in-bitcoin",
        "wang-xing-praises-libra",
        "wang-xing-meets-buterin",
        "meituan-no-official-blockchain-moves",
    ]
    assert events(run, "--person", "주페이장") == events(run, "--person", "Zhu Peijiang")


def test_year_and_range(run):
    assert len(events(run, "--year", "2018")) == 29
    assert events(run, "--year", "2013..2015") == ["wang-xing-invests-in-bitcoin"]
    assert events(run, "-y", "1986", "-y", "1995") == [
        "programme-863-launched",
        "byd-founded-as-battery-maker",
    ]


def test_since_and_until(run):
    assert events(run, "--since", "2019-10", "--until", "2019-11") == [
        "wang-xing-invests-in-bitcoin",  # 2013/.., as of 2020: still known true then
        "byd-carbon-bank-not-commercialised",  # 2018-05/.., as of 2020
        "wang-xing-praises-libra",  # 2019, at year precision, overlaps
        "foodie-continent-speculation",  # same month: by id
        "wang-xing-meets-buterin",
        "amo-labs-carmomile-byd",
    ]


def test_tech_by_alias(run):
    assert (
        events(run, "--tech", "DCEP")
        == events(run, "--tech", "디지털 위안")
        == ["meituan-digital-yuan-retail-test"]
    )


def test_grep_in_every_language(run):
    assert events(run, "--grep", "吃货") == ["foodie-continent-speculation"]
    assert events(run, "--grep", "CARBON-BANK") == [
        "byd-carbon-bank-not-commercialised",  # 2018-05/..: same first day, then by id
        "vechain-byd-carbon-bank-poc",
    ]


def test_source_filter(run):
    assert len(events(run, "--source", "money-today-2018")) == 20
    assert len(events(run, "--source", "coindesk-korea-2020")) == 29


def test_filters_combine(run):
    assert events(run, "--company", "Meituan", "--year", "2018") == [
        "it-firms-taste-blockchain-2017-2018",  # 2017/2018 overlaps 2018
        "wang-huiwen-blockchain-rift",
        "meituan-first-finance-abs",
    ]
    assert events(
        run,
        "--company",
        "BYD",
        "--company",
        "Meituan",
        "--tech",
        "carbon credits",
        "--since",
        "2018-06",
    ) == [
        "byd-carbon-bank-not-commercialised",  # 2018-05/..: known true until 2020
        "byd-blockchain-carbon-credits",
    ]


def test_the_2017_2018_boom_is_found_by_either_year(run):
    boom = ["crypto-investment-boom-2017-2018", "it-firms-taste-blockchain-2017-2018"]
    for year in ("2017", "2018"):
        found = events(run, "--year", year)
        assert [e for e in found if e in boom] == boom, year
    assert not set(boom) & set(events(run, "--year", "2016"))


def test_a_blockchain_trial_is_found_by_its_technology(run):
    assert "vechain-byd-carbon-bank-poc" in events(run, "--tech", "blockchain", "--company", "BYD")


def test_states_are_listed_with_their_as_of_dates(run):
    records = json.loads(run("timeline", "--kind", "state", "--format", "json").stdout)
    assert len(records) >= 10
    assert all(r["kind"] == "state" and r["as_of"] for r in records)
    wide = run("timeline", "--kind", "state", env={"COLUMNS": "200", "NO_COLOR": "1"}).stdout
    for record in records:
        shown = f"as of {record['as_of']}"
        row = next(line for line in wide.splitlines() if record["title"][:25] in line)
        assert shown in row, row


def test_reverse_and_limit(run):
    assert events(run, "--company", "BYD", "--reverse", "--limit", "2") == BYD[::-1][:2]


def test_unknown_company_is_a_usage_error_with_a_suggestion(run):
    result = run("timeline", "--company", "BYDD")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "cnblock: unknown company 'BYDD'; did you mean 'BYD'?\n"


def test_nothing_matching_is_said_on_stderr_and_exits_0(run):
    result = run("timeline", "--company", "BYD", "--year", "2016")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "no events match\n")
    as_json = run("timeline", "--company", "BYD", "--year", "2016", "--format", "json")
    assert as_json.stdout == "[]\n"


def test_timeline_table_shows_dates_at_their_precision(run):
    out = run("timeline", "--company", "BYD").stdout
    assert re.search(r"^1995 +Wang Chuanfu founds", out, re.M)
    assert "1995-01" not in out
    assert re.search(r"^2018-09 +BYD holds its first developer", out, re.M)
    assert re.search(r"^2017/2018 +Most of the hesitant", out, re.M)
    assert re.search(r"^2018-05/\.\. \(as of 2020\) +\[state\] No commercial launch", out, re.M)
    assert re.search(r"^as of 2020 +\[state\] BYD is described", out, re.M)
    assert "CoinDesk Korea l.16" in out


def test_timeline_long_adds_summary_and_date_note(run):
    out = run("timeline", "--company", "BYD", "--year", "2020", "--long").stdout
    assert "29 July 2020 or later" in " ".join(out.split())


def test_event_json_carries_the_contract_fields(run):
    (record,) = json.loads(run("timeline", "--grep", "吃货", "--format", "json").stdout)
    assert record["date"] == "2019-10"
    assert record["date_precision"] == "month"
    assert (record["date_start"], record["date_end"]) == ("2019-10", "2019-10")
    assert record["date_note"].startswith('"At the time" refers to')
    assert {
        "id": "meituan-dianping",
        "name": "Meituan Dianping",
        "kind": "company",
        "names": {"ko": "메이퇀뎬핑", "zh": "美团点评"},
        "printed": {"ko": "coindesk-korea-2020", "zh": "coindesk-korea-2020"},
    } in record["entities"]
    assert record["technologies"] == [{"id": "blockchain", "name": "Blockchain"}]
    assert record["sources"] == [
        {
            "source": "coindesk-korea-2020",
            "publisher": "CoinDesk Korea",
            "line": 43,
            "span": [101, 222],
            "digest": "a470b8eb590a",
        }
    ]
    assert record["kind"] == "speculation"
    # The guess is the netizens', who are not an entity: attributed to no one, not "source".
    assert record["according_to"] is None
    (hearsay,) = json.loads(run("timeline", "--year", "2013", "--format", "json").stdout)
    assert (hearsay["id"], hearsay["according_to"]) == ("wang-xing-invests-in-bitcoin", "source")
    assert list(record)[:8] == [
        "id",
        "kind",
        "date",
        "date_precision",
        "date_start",
        "date_end",
        "as_of",
        "according_to",
    ]


def test_csv_has_a_header_and_a_row_an_event(run):
    lines = run("timeline", "--company", "BYD", "--format", "csv").stdout.splitlines()
    assert lines[0] == (
        "id,kind,date,date_precision,as_of,according_to,title,companies,people,companies_ko,"
        "companies_zh,people_ko,people_zh,technologies,sources,place,date_note,summary"
    )
    assert lines[1].startswith(
        "byd-founded-as-battery-maker,event,1995,year,,,"
        "Wang Chuanfu founds the battery maker from which BYD grew,"
        "BYD,Wang Chuanfu,비야디,比亚迪,왕촨푸,王传福,,"
    )
    assert len(lines) == 1 + len(BYD)


def test_years(run):
    rows = json.loads(run("years", "--format", "json").stdout)
    assert [(r["year"], r["events"]) for r in rows] == [
        (1986, 1),
        (1995, 1),
        (2013, 1),  # wang-xing-invests-in-bitcoin, 2013/.. as of 2020, counts in 2013-2020
        (2014, 1),
        (2015, 1),
        (2016, 4),
        (2017, 4),  # the 2017/2018 rows count in both years
        (2018, 29),
        (2019, 6),
        (2020, 12),
    ]
    table = run("years").stdout
    assert "2018      29  ██████████████████████████████  " in table


def test_years_by_company(run):
    rows = json.loads(
        run("years", "--by", "company", "--company", "BYD", "--top", "1", "--format", "json").stdout
    )
    assert rows == [
        {"year": 1995, "BYD": 1},
        {"year": 2017, "BYD": 1},
        {"year": 2018, "BYD": 6},
        {"year": 2019, "BYD": 2},
        {"year": 2020, "BYD": 4},
    ]


def test_show_an_event_in_full(run):
    out = run("show", "amo-labs-data-exchange-pilot").stdout
    for text in [
        "AMO Labs says it has opened a pilot exchange",
        "According to AMO Labs",
        "2020 (known to the year)",
        "ko 아모랩스",
        "ko 비야디 · zh 比亚迪",
        "CoinDesk Korea, 2020, line 24",
        "idxno=71722",
    ]:
        assert text in " ".join(out.split()), out


def test_show_an_unknown_event_suggests(run):
    result = run("show", "byd-first-developer-conferense")
    assert result.exit_code == 2
    assert (
        result.stderr
        == "cnblock: no event 'byd-first-developer-conferense'; did you mean 'byd-first-developer-conference'?\n"
    )


def test_companies_people_tech_and_sources(run):
    companies = json.loads(run("companies", "--kind", "university", "--format", "json").stdout)
    assert [c["id"] for c in companies] == [
        "peking-university",
        "tsinghua-university",
        "bupt",
        "beihang-university",
    ]
    assert companies[0]["names"] == {"ko": "베이징대", "zh": "北京大学"}
    assert companies[0]["events"] == 1
    people = json.loads(run("people", "--company", "BYD", "--format", "json").stdout)
    assert [(p["id"], p["affiliations"]) for p in people] == [("wang-chuanfu", ["byd"])]
    tech = json.loads(run("tech", "--format", "json").stdout)
    assert next(t for t in tech if t["id"] == "blockchain")["events"] == 37
    sources = json.loads(run("sources", "--format", "json").stdout)
    assert [(s["id"], s["events"], s["published"]) for s in sources] == [
        ("coindesk-korea-2020", 29, "2020"),
        ("money-today-2018", 20, "2018-03-28"),
    ]
    assert "ko 베이징대 · zh 北京大学" in " ".join(
        run("companies", "--kind", "university").stdout.split()
    )


def test_companies_refuses_an_unknown_kind(run):
    result = run("companies", "--kind", "person")
    assert result.exit_code == 2
    assert "'person' is not a kind of organisation" in result.stderr


def test_no_arguments_show_the_overview(run):
    result = run()
    assert result.exit_code == 0
    assert "Usage: cnblock" in result.stdout
    panel = result.stdout.split("Commands")[1]
    listed = [
        line.split()[1]
        for line in panel.splitlines()
        if line.startswith("│ ") and not line.startswith("│  ")
    ]
    assert listed == [
        "timeline",
        "years",
        "chart",
        "show",
        "companies",
        "people",
        "tech",
        "sources",
        "export",
        "validate",
        "check",
        "add",
        "source",
    ], result.stdout


@pytest.mark.parametrize(
    "command",
    [
        "timeline",
        "years",
        "chart",
        "show",
        "companies",
        "people",
        "tech",
        "sources",
        "export",
        "validate",
        "check",
        "add",
    ],
)
def test_every_command_has_a_summary_and_an_example(run, command):
    out = run(command, "--help").stdout
    assert "Example: cnblock" in out or "Example: CNBLOCK_SEEDS" in out, out
    assert "Usage: cnblock " + command in out


@pytest.mark.parametrize("command", ["add", "show"])
def test_source_subcommands_have_a_summary_and_an_example(run, command):
    out = run("source", command, "--help").stdout
    assert "Example: cnblock source " + command in out or "cnblock source show" in out, out
    assert "Usage: cnblock source " + command in out


def test_completion_offers_names_in_every_script(shipped):
    from cnblock import query
    from cnblock.commands.common import matching_names

    companies = query.organisations(shipped)
    assert ("Meituan Dianping", "") in matching_names(companies, "mei")
    assert matching_names(companies, "비야") == [("비야디", "BYD")]
    assert matching_names(companies, "比亚") == [("比亚迪", "BYD")]
    assert matching_names(companies, "penta") == [("Penta Security", "")]  # not the id too
    assert matching_names(companies, "penta-") == [("penta-security", "Penta Security")]
    assert matching_names(shipped.technologies.values(), "dig") == [("Digital yuan", "")]
    people = query.people(shipped)
    assert [n for n, _ in matching_names(people, "王")] == ["王传福", "王兴", "王慧文"]
    assert matching_names(people, "wang x") == [("Wang Xing", "")]


def test_table_output_has_no_escape_codes_when_not_a_terminal(run):
    for args in (["timeline", "--company", "BYD"], ["years"]):
        result = run(*args)
        assert result.exit_code == 0, result.output
        assert "BYD" in result.stdout or args[0] == "years", result.stdout
        assert "2018" in result.stdout, result.stdout
        assert "\x1b" not in result.stdout, result.stdout


def test_python_dash_m_and_a_closed_pipe(tmp_path):
    proc = subprocess.run(
        f"'{sys.executable}' -m cnblock timeline --format csv | head -1",
        shell=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)},
    )
    assert proc.stdout == ",".join(export.EVENT_COLUMNS) + "\n"
    assert proc.stderr == ""


@pytest.mark.skipif(
    not (Path(sys.executable).parent / "cnblock").exists(),
    reason="cnblock is not installed beside this Python",
)
@pytest.mark.parametrize(
    ("command", "word"),
    [
        (["timeline"], "Shenzhen"),
        (["years"], "██"),
        (["show", "byd-first-developer-conference"], "2035"),
        (["companies"], "Alibaba"),
        (["people"], "Buterin"),
        (["tech"], "Blockchain"),
        (["sources"], "Money"),
    ],
)
def test_the_installed_command_works_from_any_folder(tmp_path, command, word):
    """After `pip install .` the shipped log comes with the package, whatever the folder."""
    script = str(Path(sys.executable).parent / "cnblock")
    env = {k: v for k, v in os.environ.items() if k != "CNBLOCK_DATA"}
    as_json = subprocess.run(
        [script, *command, "--format", "json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    assert as_json.returncode == 0, as_json.stderr
    assert json.loads(as_json.stdout), as_json.stdout
    table = subprocess.run(
        [script, *command], capture_output=True, text=True, cwd=tmp_path, env=env
    )
    assert table.returncode == 0, table.stderr
    assert table.stderr == "", table.stderr
    assert word in table.stdout, table.stdout


def test_hostile_text_from_a_data_file_is_shown_literally(run, tmp_path):
    """Markup, bidi overrides and zero-width characters load (a name may need the latter) and
    are shown literally; control characters are refused at load (see the next test)."""
    hostile = tmp_path / "hostile.yaml"
    hostile.write_text(
        "schema: 1\n"
        "events:\n"
        "  - id: hostile\n"
        "    date: '2021'\n"
        '    title: "[bold red]not styled[/] \\u202eevil \\u200bzw \\u2066isolate"\n'
        '    summary: "[link=http://evil]x[/link] 比亚迪 비야디 ' + "long " * 60 + '"\n'
        "    entities: [byd]\n"
        "    sources: [{source: coindesk-korea-2020, line: 14}]\n",
        "utf-8",
    )
    result = run(
        "--data",
        str(loader_default()),
        "--data",
        str(hostile),
        "timeline",
        "--year",
        "2021",
        "--long",
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "\x1b" not in out
    assert "\u202e" not in out
    assert "\u200b" not in out
    assert "\u2066" not in out
    flat = "".join(out.split())
    for shown in [
        "[boldred]notstyled[/]",
        "\\u202eevil",
        "\\u200bzw",
        "\\u2066isolate",
        "[link=http://evil]x[/link]",
        "比亚迪비야디",
    ]:
        assert shown in flat, shown
    assert all(len(line) <= 160 for line in out.splitlines())


def test_control_characters_in_a_data_file_are_refused_where_they_stand(run, tmp_path):
    hostile = tmp_path / "hostile.yaml"
    hostile.write_text(
        "schema: 1\n"
        "events:\n"
        "  - id: hostile\n"
        "    date: '2021'\n"
        '    title: "\\e]2;pwned\\a \\e[31mred"\n'
        '    summary: "bell\\a cr\\r nel\\N ls\\L"\n'
        "    entities: [byd]\n"
        "    sources: [{source: coindesk-korea-2020, line: 14}]\n",
        "utf-8",
    )
    result = run("--data", str(hostile), "timeline")
    assert result.exit_code == 1, result.output
    assert "\x1b" not in result.output
    assert "\x07" not in result.output
    assert f"{hostile}:5:12: error: 'title' holds the control character U+001B" in result.output
    assert f"{hostile}:6:14: error: 'summary' holds the control character U+0007" in result.output
    assert "cnblock: 2 problems in the data" in result.output


def loader_default() -> Path:
    from cnblock import loader

    return loader.default_data_file()


def test_show_takes_several_ids_in_any_case(run):
    out = run("show", "BYD-Largest-EV-Maker", "amo-labs-carmomile-byd").stdout
    first = re.search(r"^ID +byd-largest-ev-maker$", out, re.M).start()
    second = re.search(r"^ID +amo-labs-carmomile-byd$", out, re.M).start()
    assert first < second, out
    assert "\n\nAMO Labs launches Carmomile" in out, out
    found = json.loads(
        run("show", "byd-largest-ev-maker", "AMO-LABS-CARMOMILE-BYD", "-f", "json").stdout
    )
    assert [e["id"] for e in found] == ["byd-largest-ev-maker", "amo-labs-carmomile-byd"]
    one = json.loads(run("show", "BYD-LARGEST-EV-MAKER", "-f", "json").stdout)
    assert one["id"] == "byd-largest-ev-maker"


def test_show_suggests_by_the_start_of_an_id_and_by_title_words(run):
    result = run("show", "byd-foundd")
    assert result.stderr == (
        "cnblock: no event 'byd-foundd'; did you mean 'byd-founded-as-battery-maker'?\n"
    )
    assert result.exit_code == 2
    # words of the title, not of the id: "Carmomile" is in the title only
    result = run("show", "amo-launches-carmomile")
    assert "did you mean 'amo-labs-carmomile-byd'?" in result.stderr, result.stderr


def test_the_timeline_shows_each_event_id_under_its_title(run):
    out = run("timeline", "--company", "BYD", env={"COLUMNS": "80", "NO_COLOR": "1"}).stdout
    lines = out.splitlines()
    title = next(i for i, line in enumerate(lines) if "BYD holds its first" in line)
    column = lines[title].index("BYD holds its first")
    under = " " * column + "byd-first-developer-conference"
    assert under in lines[title + 1 : title + 4], out
