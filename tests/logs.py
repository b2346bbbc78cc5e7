"""Small in-code logs for the query, render and export tests."""

from __future__ import annotations

from cnblock.model import (
    Citation,
    Entity,
    Event,
    EventLog,
    PartialDate,
    Source,
    Technology,
    parse_when,
)


def make_log(*events: Event) -> EventLog:
    """A log with a few entities, two technologies and one source, and the given events."""
    entities = [
        Entity("byd", "company", "BYD", {"ko": "비야디", "zh": "比亚迪"}),
        Entity("meituan", "company", "Meituan Dianping", {"zh": "美团点评"}, ("Meituan", "메이퇀")),
        Entity("wang-xing", "person", "Wang Xing", {"zh": "王兴"}, (), ("meituan",)),
        Entity("alliance", "organisation", "Zhongguancun Blockchain Industry Alliance"),
        Entity(
            "zhu",
            "person",
            "Zhu Peijiang",
            {"ko": "주페이장"},
            (),
            ("alliance",),
            printed={"ko": "press"},
        ),
    ]
    technologies = [
        Technology("blockchain", "Blockchain", ("区块链",)),
        Technology("digital-yuan", "Digital yuan", ("DCEP",)),
    ]
    source = Source(
        "press",
        "Test Press",
        PartialDate.parse("2020"),
        "en",
        title="A title",
        url="https://example.org/a",
    )
    return EventLog(
        {"press": source},
        {e.id: e for e in entities},
        {t.id: t for t in technologies},
        tuple(sorted(events, key=Event.sort_key)),
    )


def event(
    id: str,
    date: str | None,
    *entities: str,
    tech: tuple[str, ...] = (),
    title: str = "",
    summary: str = "",
    line: int = 1,
    **extra,
) -> Event:
    return Event(
        id,
        None if date is None else parse_when(date),
        title or f"Title of {id}",
        summary or f"Summary of {id}.",
        (Citation("press", line),),
        entities,
        tech,
        **extra,
    )


LOG = make_log(
    event("founding", "1995", "byd"),
    event("poc", "2018-05", "byd", tech=("blockchain",)),
    event(
        "post",
        "2018",
        "meituan",
        "wang-xing",
        tech=("blockchain",),
        summary="Wang writes about 区块链.",
    ),
    event("abs", "2018-11", "meituan", line=47),
    event("dcep", "2020-07", "meituan", tech=("digital-yuan",)),
    event("alliance", "2016", "alliance"),
)
