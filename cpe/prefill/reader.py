"""Read the fields of Add Transcript from a certificate's text (pure; no I/O).

A field is filled only when the certificate states it plainly: a wrong value is worse
than an empty one, so anything ambiguous (two different completion dates, a day/month
order the language cannot decide, an unknown delivery method) is left out."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from cpe.prefill.dates import dates_in, has_date_shape

MINUTES_PER_CREDIT = 50
SEP = r"\s*[:：]\s*"

TITLE_LABELS = (
    r"course\s+title",
    r"program(?:me)?\s+title",
    r"program(?:me)?\s+name",
    r"course\s+name",
    r"session\s+title",
    r"title\s+of\s+(?:course|program|programme|session)",
    r"course",
    r"program(?:me)?",
    r"title",
    r"event",
    r"conference",
    r"课程名称",
    r"課程名稱",
    r"课程",
    r"課程",
    r"培训项目",
    r"培訓項目",
    r"活动名称",
    r"活動名稱",
)
PROVIDER_LABELS = (
    r"sponsor(?:ed)?\s+by",
    r"sponsor\s+name",
    r"sponsor",
    r"provider",
    r"course\s+provider",
    r"presented\s+by",
    r"issued\s+by",
    r"organi[sz]er",
    r"organi[sz]ed\s+by",
    r"主办单位",
    r"主辦單位",
    r"主办方",
    r"主辦方",
    r"培训机构",
    r"培訓機構",
    r"课程提供者",
    r"課程提供者",
)
DATE_LABELS = (
    r"date\s+of\s+completion",
    r"completion\s+date",
    r"date\s+completed",
    r"completed\s+on",
    r"date\s+attended",
    r"date\s+of\s+(?:attendance|event|program|course)",
    r"event\s+date",
    r"完成日期",
    r"结业日期",
    r"結業日期",
)
# A bare "Date:" may be the day the certificate was signed: read only without a label above.
PLAIN_DATE_LABELS = (r"date", r"日期")
CREDIT_LABELS = (
    r"cpe\s+credits?(?:\s+earned)?",
    r"cpe\s+hours?(?:\s+earned)?",
    r"cpe\s+credit\s+hours?",
    r"credits?\s+earned",
    r"recommended\s+cpe\s+credits?",
    r"number\s+of\s+cpe\s+credits",
    r"cpe",
    r"学分",
    r"學分",
    r"cpe\s*学分",
    r"cpe\s*學分",
    r"继续教育学分",
    r"繼續教育學分",
)
DELIVERY_LABELS = (
    r"delivery\s+method",
    r"delivery\s+format",
    r"format",
    r"授课方式",
    r"授課方式",
    r"教学方式",
    r"教學方式",
)
FIELD_LABELS = (
    r"field\s+of\s+study",
    r"field\s+of\s+study\s*/\s*credits",
    r"知识领域",
    r"知識領域",
)

DELIVERY = (
    (r"qas\s+self[-\s]?study|self[-\s]?study|自学|自學", "self_study"),
    (r"group\s+internet[-\s]based|live\s+webinar|virtual\s+live|网络直播|網路直播", "short_course"),
    (r"group\s+live|in[-\s]person|classroom|集体面授|集體面授|现场|現場", "short_course"),
)
ETHICS = re.compile(r"ethic|职业道德|職業道德|道德", re.IGNORECASE)
SENTENCE_TITLE = re.compile(
    r"(?:successfully\s+completed|has\s+completed|for\s+completing|attended|participated\s+in)"
    r"(?:\s+the\s+(?:course|program|programme|seminar|webinar))?\s*[:\n]?\s*"
    r"[\"“「](?P<t>[^\"”」\n]{3,200})[\"”」]",
    re.IGNORECASE,
)
ORGANISED_BY = re.compile(
    r"\b(?:organi[sz]ed|hosted|presented|sponsored|offered)\s+by\s+(?P<p>[^,.;\n]{3,200})",
    re.IGNORECASE,
)
ATTENDED_ON = re.compile(
    r"\b(?:attended|completed|participated\s+in)\b[^.]{0,300}?\bon\s+(?P<d>[^;\n]{6,30})",
    re.IGNORECASE,
)
IMA = re.compile(r"Institute\s+of\s+Management\s+Accountants|美国管理会计师协会|美國管理會計師協會")


@dataclass(frozen=True)
class Prefill:
    """What a certificate states: ``fields`` named as ``POST .../activities/`` takes them,
    ``found`` the words each was read from."""

    fields: dict[str, Any] = field(default_factory=dict)
    found: dict[str, str] = field(default_factory=dict)


def _labelled(lines: list[str], labels: tuple[str, ...]) -> list[tuple[str, str]]:
    """(value, line) for each line that starts with one of ``labels`` then a colon; a label
    alone on its line (a table's first column) takes the next line as its value."""
    alt = "(?:" + "|".join(labels) + ")"
    pattern = re.compile(r"^\s*" + alt + SEP + "(.*)$", re.IGNORECASE)
    alone = re.compile(r"^\s*" + alt + r"\s*[:：]?\s*$", re.IGNORECASE)
    out: list[tuple[str, str]] = []
    for index, line in enumerate(lines):
        match = pattern.match(line)
        value = match.group(1).strip() if match else ""
        if (match or alone.match(line)) and not value and index + 1 < len(lines):
            value = lines[index + 1].strip()
            line = f"{line.strip()} {value}"
        if value:
            out.append((value, line.strip()))
    return out


def _one(values: list[tuple[str, str]]) -> tuple[str, str] | None:
    """The value when every labelled line agrees, else None."""
    distinct = {value for value, _line in values}
    return values[0] if len(distinct) == 1 else None


def _title(lines: list[str], text: str) -> tuple[str, str] | None:
    found = _one(_labelled(lines, TITLE_LABELS))
    if found is not None:
        return found[0].strip(' "“”「」'), found[1]
    match = SENTENCE_TITLE.search(text)
    if match is not None:
        return match.group("t").strip(), match.group(0).strip()
    return None


def _provider(lines: list[str]) -> tuple[str, str] | None:
    found = _one(_labelled(lines, PROVIDER_LABELS))
    if found is not None:
        return found
    match = ORGANISED_BY.search(" ".join(lines))
    if match is not None:
        return match.group("p").strip(), match.group(0).strip()
    for line in lines:
        match = IMA.search(line)
        if match is not None:
            return "Institute of Management Accountants (IMA)", line.strip()
    return None


def _completed_on(lines: list[str], language_hint: str) -> tuple[dt.date, str] | None:
    """The labelled completion date; without a label, the only date the certificate holds."""
    labelled = _labelled(lines, DATE_LABELS) or _labelled(lines, PLAIN_DATE_LABELS)
    if labelled:
        candidates = [
            (date, line) for value, line in labelled for date, _w in dates_in(value, language_hint)
        ]
        undecided = any(has_date_shape(v) and not dates_in(v, language_hint) for v, _l in labelled)
        if undecided or len({date for date, _line in candidates}) != 1:
            return None
        return candidates[0]
    sentence = ATTENDED_ON.search(" ".join(lines))
    if sentence is not None:
        on = dates_in(sentence.group("d"), language_hint)
        # the date right after "on" (what follows it is another sentence)
        first = on[0] if on and sentence.group("d").startswith(on[0][1]) else None
        return (first[0], sentence.group(0)) if first else None
    every = dates_in("\n".join(lines), language_hint)
    if len({date for date, _words in every}) == 1 and not _undecided_dates(lines, language_hint):
        return every[0]
    return None


def _undecided_dates(lines: list[str], language_hint: str) -> bool:
    return any(has_date_shape(line) and not dates_in(line, language_hint) for line in lines)


def _credits(lines: list[str], text: str) -> tuple[Decimal, str] | None:
    found = _one(_labelled(lines, CREDIT_LABELS))
    words = found[0] if found else ""
    line = found[1] if found else ""
    if not found:
        match = re.search(
            r"(?P<n>\d+(?:\.\d+)?)\s*(?:CPE\s+credits?|CPE\s+hours?|个?学分|個?學分)",
            text,
            re.IGNORECASE,
        )
        if match is None:
            return None
        words, line = match.group("n"), match.group(0)
    number = re.match(r"\s*(\d+(?:\.\d+)?)", words)
    if number is None:
        return None
    try:
        value = Decimal(number.group(1))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None
    return (value, line) if 0 < value <= 200 else None


def _activity_type(lines: list[str], text: str) -> tuple[str, str] | None:
    labelled = _labelled(lines, DELIVERY_LABELS)
    sources = labelled or [(text, "")]
    kinds: set[str] = set()
    words = ""
    for value, line in sources:
        for pattern, kind in DELIVERY:
            match = re.search(pattern, value, re.IGNORECASE)
            if match is not None:
                kinds.add(kind)
                words = line or match.group(0)
                break
    return (kinds.pop(), words) if len(kinds) == 1 else None


def read_certificate(text: str, language_hint: str) -> Prefill:
    """The Add Transcript fields ``text`` (a certificate's text layer) states plainly."""
    lines = [line for line in text.splitlines() if line.strip()]
    fields: dict[str, Any] = {}
    found: dict[str, str] = {}

    def put(name: str, value: Any, words: str) -> None:
        fields[name] = value
        found[name] = words

    for name, reading in (("title", _title(lines, text)), ("provider", _provider(lines))):
        if reading is not None and 0 < len(reading[0]) <= 200:
            put(name, reading[0], reading[1])
    completed = _completed_on(lines, language_hint)
    if completed is not None:
        put("completed_on", completed[0].isoformat(), completed[1])
    kind = _activity_type(lines, text)
    if kind is not None:
        put("activity_type", kind[0], kind[1])
    credits = _credits(lines, text)
    if credits is not None:
        if fields.get("activity_type") == "self_study":
            put("recommended_hours", str(credits[0]), credits[1])
        else:
            put("minutes", int(credits[0] * MINUTES_PER_CREDIT), credits[1])
    study = _one(_labelled(lines, FIELD_LABELS))
    if study is not None:
        put("ethics", bool(ETHICS.search(study[0])), study[1])
    return Prefill(fields=fields, found=found)
