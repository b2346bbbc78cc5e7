"""Hand-written adversarial cases for the quick reader (cnblock/fastread.py): YAML's subtleties
in every field of an event, citation forms, block scalars (mid-file and at the end, with and
without a final newline), and structure (indentation, comments, markers, records that run into
each other, schema 1 with events first, keys longer than libyaml allows). Written for a
reviewer's differential read of the quick reader against yamlnodes; each case is a log whose
two readings must agree (tests/test_fastread.py)."""

from __future__ import annotations

HEAD = (
    "# a log\nschema: 2\n\nsources:\n  - id: s1\n    publisher: P\n    published: 2018\n"
    "    language: en\n\nentities:\n  - id: e1\n    kind: person\n    name: E\n"
)
BASE = {
    "id": "id: ev1",
    "date": "date: 2018-03",
    "title": "title: T",
    "summary": "summary: S",
    "sources": "sources: [{source: s1, line: 1}]",
}


def event(form: str, head: str = HEAD, tail: str = "") -> str:
    """An ordinary log with one event whose field `form` (one or more lines, 4-space indent
    for continuation already included) replaces the base field of the same key."""
    key = form.split(":", 1)[0].strip()
    lines = [v for k, v in BASE.items() if k != key]
    lines.insert(2, form)
    ev = "  - " + "\n    ".join(lines) + "\n"
    other = "  - id: ev2\n    date: 2019\n    title: U\n    summary: V\n    sources: [{source: s1, line: 2}]\n"
    return head + "\nevents:\n" + ev + other + tail


def cases() -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    values = [
        "a: b",
        "a # b",
        "a#b",
        "a #",
        "#a",
        "a\t",
        "\ta",
        "a :b",
        "a:b",
        "a:",
        ":a",
        "-a",
        "- a",
        "?a",
        "? a",
        "[a",
        "a]",
        "{a",
        "a}",
        "!a",
        "&a a",
        "*a",
        "|",
        ">",
        "%a",
        "@a",
        "`a`",
        "a'b",
        'a"b',
        "it's",
        "a  b",
        "a ,b",
        "a, b",
        "...",
        "---",
        "--- a",
        "=a",
        "<<",
        "~",
        "null",
        "Null",
        "NULL",
        "",
        "0x1A",
        "1_000",
        "+5",
        "1e3",
        "yes",
        "no",
        "on",
        "off",
        '"a\\nb"',
        '"a\\tb"',
        '"\\x41"',
        '"\\u00e9"',
        '"a\\"b"',
        '"a\\\\b"',
        '""',
        "''",
        "'a''b'",
        "'a'",
        '"a"',
        '"a" ',
        "'a' # c",
        '"a" # c',
        '"a # b"',
        "'a: b'",
        '"  a  "',
        "'  a  '",
        "비야디",
        "比亚迪 x",
        "😀",
        "e\u0301",
        "a\u00a0",
        "\u00a0a",
        "a\u3000",
        "\u3000",
        "a\u200b",
        "\u200b",
        "x" * 5000,
        "a \u00a0# b",
        "a\u00a0#b",
        "[]",
        "[ ]",
        "[ a ]",
        "[a,]",
        "[a, ]",
        "[a,b]",
        "[a, [b]]",
        "[a, {b: c}]",
        "[{a: b}]",
        "{}",
        "{ }",
        "{a: b}",
        "{a: b,}",
        "{'a': b}",
        '{"a": b}',
        "{a: 'b'}",
        "{a: b, a: c}",
        "{a: b, A: c}",
        "[a, a]",
        "[null]",
        "[~]",
        "[Null]",
        "[e1, s1]",
        "[e-1]",
        "[E1]",
        "[e1 x]",
        "[a.b]",
        "[1_0]",
        "[비야디]",
        "[e\u0301]",
        "[_a]",
        "[a_]",
        "[a-]",
        "[a.]",
        "[a b]",
        "[a  b]",
        "[ä]",
        "[ǅ]",
        "[²]",
        "[①]",
        "[ⅷ]",
        "[e1, e2, e1]",
        "&x [a]",
        "!!str a",
        "!t a",
        "a&b",
        "a*b",
        "a!b",
        "a|b",
        "a>b",
        "a%b",
        "a@b",
        "a`b",
        "a?b",
        "a[b",
        "a{b",
        "a}b",
        "a,b",
        "@",
        "a -",
        "a -b",
        "a ?",
        "a :",
    ]
    keys = [
        "title",
        "place",
        "summary",
        "date",
        "id",
        "entities",
        "technologies",
        "according_to",
        "kind",
        "as_of",
        "date_note",
        "colour",
        "Title",
    ]
    out += [(f"{key}: {v!r}", event(f"{key}: {v}")) for key in keys for v in values]
    cites = [
        "{source: s1, line: 01}",
        "{source: s1, line: 0x1A}",
        "{source: s1, line: 1_000}",
        "{source: s1, line: +5}",
        "{source: s1, line: 0}",
        "{source: s1, line: null}",
        "{source: null, line: 1}",
        "{source: S1, line: 1}",
        "{line: 1, source: s1}",
        "{source: s1, line: 1, source: s1}",
        "{source: s1, line: 1, x: y}",
        "{source: s2, line: 1}",
        "{source: s1, line: 1234567890}",
        "{source: s1, line: ١٢}",
        "{source: s1, line: ²}",
        "{source: s1, line: 1}, {source: s1, line: 1}",
        "{source: s1,line: 1}",
        "{source: s1, line: 1} ",
        "{ source: s1, line: 1 }",
        "{source: s1, line: 1},{source: s1, line: 2}",
        "{source: 's1', line: 1}",
        "{source: s1, line: '1'}",
        "{source: s1, line: 1}, s1",
        "s1",
        "{source: e1, line: 1}",
        "{source: s1-, line: 1}",
        "{source: s1, line: 1.0}",
    ]
    out += [(f"sources: [{c}]", event(f"sources: [{c}]")) for c in cites]
    blocks = [
        "summary: >-\n      a\n      b",
        "summary: >-\n      a\n\n      b",
        "summary: >-\n      a\n        b\n      c",
        "summary: >-\n      a\n\n",
        "summary: >-\n      a\n\n\n    # c",
        "summary: >-\n      a\n     # c",
        "summary: >-\n      a\n      # c",
        "summary: >-\n      a\n# c",
        "summary: >-\n      a\n\n# c\n      b",
        "summary: >-\n     a\n     b",
        "summary: >-\n          a\n          b",
        "summary: >-\n      a\n    b",
        "summary: >-\n      a\n   b",
        "summary: >-\n      a\n  b",
        "summary: >-\n      - a\n      - b",
        "summary: >-\n      a: b\n      c # d",
        "summary: >-\n      ---\n      ...",
        "summary: >\n      a",
        "summary: >+\n      a\n",
        "summary: |\n      a\n      b",
        "summary: |-\n      a",
        "summary: >2\n      a",
        "summary: >-2\n       a",
        "summary: >1\n      a",
        "summary: >-\n      a\n      \n      b",
        "summary: >- # c\n      a",
        "summary: >-\n      a\n\n    title2: x",
        "summary: >-\n      \"a\"\n      'b'",
        "summary: >-\n      a  b\n      c",
        "summary: >-\n      비야디\n      比亚迪",
        "summary: >-\n\n      a",
        "summary: a\n      b",
        "summary: a\n     b",
        "summary: a\n    b",
        'summary: "a\n      b"',
        'summary: "a\n    b"',
        'summary: "a\n  b"',
        "summary: 'a\n  b'",
        'summary: "a\\\n      b"',
        'summary: "a\n\n      b"',
        "summary: [a,\n      b]",
        "summary: {a: b,\n      c: d}",
        "summary: >-\n      a\n    # c\n      b",
    ]
    for b in blocks:
        out.append((b, event(b)))
        # at the end of the file, without a final newline
        out.append(
            (
                b + " <EOF>",
                HEAD + "\nevents:\n  - id: ev1\n    date: 2018\n    title: T\n"
                "    sources: [{source: s1, line: 1}]\n    " + b,
            )
        )
        out.append(
            (
                b + " <EOF\\n>",
                HEAD + "\nevents:\n  - id: ev1\n    date: 2018\n    title: T\n"
                "    sources: [{source: s1, line: 1}]\n    " + b + "\n",
            )
        )
    return out


def structural() -> list[tuple[str, str]]:
    base = event("title: T")
    out = [("base", base), ("base no final newline", base.rstrip("\n"))]
    out.append(("crlf", base.replace("\n", "\r\n")))
    out.append(("bom", "\ufeff" + base))
    out.append(("doc markers", "---\n" + base + "...\n"))
    out.append(("%YAML", "%YAML 1.1\n---\n" + base))
    out.append(
        (
            "indent 3",
            base.replace("\n  - id: ev1\n    ", "\n   - id: ev1\n     ").replace(
                "\n    ", "\n     "
            ),
        )
    )
    out.append(("indent 4 items", base.replace("\n  - ", "\n    - ").replace("\n    ", "\n      ")))
    out.append(("events col 0", base.replace("\n  - ", "\n- ").replace("\n    ", "\n  ")))
    out.append(
        (
            "events-first schema 1",
            (
                "schema: 1\nevents:\n  - id: ev1\n    date: 2017/2018\n"
                "    title: T\n    summary: S\n    sources: [{source: s1, line: 1}]\n"
                "sources:\n  - id: s1\n    publisher: P\n    published: 2018\n    language: en\n"
            ),
        )
    )
    s1 = (
        "schema: 1\nevents:\n  - id: ev1\n    date: 2018\n    title: T\n    summary: S\n"
        "    sources: [{source: s1, line: 1}]\n"
    )
    out.append(("schema 1 events only", s1))
    extra = (
        "kind: state\n    as_of: 2018",
        "place: X",
        "according_to: source",
        "date_note: >-\n      n",
        "kind: plan",
        "as_of: 2018",
    )
    out += [
        (f"schema1 events-first {key}", s1.replace("    title: T\n", f"    title: T\n    {key}\n"))
        for key in extra
    ]
    out.append(("schema 3", s1.replace("schema: 1", "schema: 3")))
    out.append(
        (
            "events first schema 2 dup id",
            "schema: 2\nevents:\n  - id: ev1\n    date: 2018\n    title: T\n    summary: S\n    sources: [{source: s1, line: 1}]\n  - id: ev1\n    date: 2018\n    title: T\n    summary: S\n    sources: [{source: s1, line: 1}]\n",
        )
    )
    out.append(
        (
            "comment between keys",
            base.replace("    title: T\n", "    title: T\n    # c\n# c0\n  # c2\n      # c6\n"),
        )
    )
    out.append(("blank between keys", base.replace("    title: T\n", "    title: T\n\n\n")))
    out.append(
        (
            "keys reordered",
            base.replace("  - id: ev1\n    date: 2018-03\n", "  - date: 2018-03\n    id: ev1\n"),
        )
    )
    out.append(("dup key", base.replace("    title: T\n", "    title: T\n    title: U\n")))
    out.append(("dup key case", base.replace("    title: T\n", "    title: T\n    Title: U\n")))
    out.append(("dup section", base + "events:\n  - id: ev3\n"))
    out.append(("unknown top", base + "foo: 1\n"))
    out.append(("key:value", base.replace("title: T", "title:T")))
    out.append(("quoted key", base.replace("title: T", "'title': T")))
    out.append(("dq key", base.replace("title: T", '"title": T')))
    out.append(("key w space", base.replace("title: T", "ti tle: T")))
    out.append(("long line", base.replace("title: T", "title: " + "word " * 3000 + "end")))
    out.append(
        (
            "korean before problem",
            base.replace("title: T", "title: 비야디 比亚迪 😀 e\u0301").replace(
                "date: 2018-03", "date: 2018-13"
            ),
        )
    )
    out.append(
        (
            "korean in cite list",
            base.replace(
                "sources: [{source: s1, line: 1}]",
                "sources: [{source: s1, line: 1}]\n    entities: [비야디, e1]",
            ),
        )
    )
    out.append(
        (
            "emoji then bad cite",
            base.replace("title: T", "title: 😀😀").replace(
                "sources: [{source: s1, line: 1}]", "sources: [{source: S1, line: 1}]"
            ),
        )
    )
    out.append(("item dash alone", base.replace("  - id: ev2\n", "  -\n    id: ev2\n")))
    out.append(("item comment", base.replace("  - id: ev2\n", "  - # c\n    id: ev2\n")))
    out.append(("empty section", "schema: 2\nsources:\nevents:\n  - id: e\n"))
    out.append(("no sections", "schema: 2\n"))
    out.append(("schema only no nl", "schema: 2"))
    out.append(("schema quoted", base.replace("schema: 2", "schema: '2'")))
    out.append(("schema comment", base.replace("schema: 2", "schema: 2 # c")))
    out.append(("section comment", base.replace("events:", "events: # c")))
    out.append(("section comment line", base.replace("events:\n", "events:\n  # c\n# d\n")))
    out.append(("trailing comment file", base + "# end\n"))
    out.append(("trailing blank", base + "\n\n"))
    out.append(("trailing spaces line", base + "   \n"))
    out.append(
        (
            "anchor in record",
            base.replace("title: T", "title: &a T").replace("title: U", "title: *a"),
        )
    )
    out.append(("multi-record dq", base.replace("    title: U\n", '    title: "U\n  - id: x"\n')))
    out.append(
        ("multi-record flow", base.replace("    title: U\n", "    title: [U,\n  - id: x]\n"))
    )
    out.append(("multi-record sq", base.replace("    title: U\n", "    title: 'U\n  - id: x'\n")))
    out.append(("multi-record dq col0", base.replace("    title: U\n", '    title: "U\nfoo: x"\n')))
    out.append(
        (
            "multi-record flow unusual both",
            base.replace("    title: U\n", "    title: [U,\n  - id: x ]\n"),
        )
    )
    out.append(
        (
            "dq spanning to usual record",
            base.replace("    title: T\n", '    title: "T\n  - id: ev9\n    title: x"\n'),
        )
    )
    out.append(
        (
            "dq spanning, ends with quote usual",
            base.replace("    title: T\n", '    title: "T\n  - id: ev9"\n    note: x\n'),
        )
    )
    out.append(
        (
            "flow spanning to next record",
            base.replace("    title: T\n", "    title: [T\n  - id: ev9]\n"),
        )
    )
    out.append(("sq spanning", base.replace("    title: T\n", "    title: 'T\n  - id: ev9'\n")))
    # finding 2: libyaml refuses a simple key of more than 1024 characters
    out.append(("key of 1025 chars", "schema: 2\nevents:\n  - id: e\n    " + "a" * 1025 + ": x\n"))
    out.append(("key of 1024 chars", "schema: 2\nevents:\n  - id: e\n    " + "a" * 1024 + ": x\n"))
    out.append(
        (
            "flow key of 1025 chars",
            "schema: 2\nentities:\n  - id: e\n    names: {" + "a" * 1025 + ": x}\n",
        )
    )
    out.append(
        (
            "cite key of 1025 chars",
            base.replace("{source: s1, line: 1}", "{source: s1, " + "b" * 1025 + ": 1}"),
        )
    )
    # finding 1, two files: see compare_files; one file:
    out.append(
        (
            "schema 1 events first, interval",
            "schema: 1\nevents:\n  - id: e\n    date: 2017/2018\n    title: T\n    summary: S\n    sources: [{source: s, line: 1}]\nsources:\n  - id: s\n    publisher: P\n    published: 2018\n    language: en\n",
        )
    )
    return out


def every_case() -> list[tuple[str, str]]:
    """(label, log text) of every case."""
    return structural() + cases()
