"""Dates in news text: expressions resolved against the article's date, and the article's own date.

A weekday ("signed on Tuesday", "freed on Wednesday") is the most recent such day on or before the
article's date, unless its clause speaks of the future ("will meet on Friday", "set for Friday"):
then it is the first such day on or after. "last Tuesday" is the one before the article's week
day, "next Tuesday" the one after. A weekday written with its date ("Thursday Aug. 12, 2021") is
that date. A month without a year after a scheduled event ("the elections in November") is the
nearest such month. The article's date comes from a dated dateline ("CARACAS, Aug. 27, 2021
(AP) –") or a date line under the headline; an undated article needs ``--date``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

MONTHS = "|".join(calendar.month_name[1:]) + "|" + "|".join(
    m + r"\.?" for m in calendar.month_abbr[1:]) + r"|Sept\.?"
WEEKDAYS = "|".join(calendar.day_name)
DATE_EXPRESSIONS = re.compile(
    rf"\b(?:(?:{MONTHS})\s+\d{{1,2}}(?:,\s*\d{{4}})?|\d{{1,2}}\s+(?:{MONTHS})(?:\s+\d{{4}})?|"
    rf"in\s+(?:{MONTHS})(?:\s+\d{{4}})?|earlier this month|later this month|this month|"
    rf"last month|next month|this week|last week|next week|next few weeks|today|yesterday|"
    rf"tomorrow)\b", re.IGNORECASE)
WEEKDAY = re.compile(rf"\b(?:(last|next|this)\s+)?({WEEKDAYS})\b")
FULL_DATE = re.compile(
    rf"\b(?:(?:{MONTHS})\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+(?:{MONTHS})\s+\d{{4}}|"
    rf"\d{{4}}-\d{{2}}-\d{{2}})\b", re.IGNORECASE)
_MONTH = rf"(?:{MONTHS})"
CALENDAR = re.compile(
    rf"(?P<m1>{_MONTH})\s+(?P<d1>\d{{1,2}})(?:,?\s*(?P<y1>\d{{4}}))?|"
    rf"(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTH})(?:\s+(?P<y2>\d{{4}}))?|"
    rf"in\s+(?P<m3>{_MONTH})(?:\s+(?P<y3>\d{{4}}))?", re.IGNORECASE)
ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
MONTH_NUMBER = {name[:3].lower(): n for n, name in enumerate(calendar.month_name) if n}
FUTURE = re.compile(r"\b(will|hoping|hope|next|set for|scheduled|upcoming|plans?|would)\b", re.I)
FUTURE_CLAUSE = re.compile(r"\b(will|shall|'ll|due|scheduled|set for|set to|expected to|is to|"
                           r"are to|plans? to|going to|upcoming|next)\b", re.I)
# An event that is scheduled ("the regional elections in November") is dated to the nearest such
# month, whatever the tense of the verb that mentions it ("demanded guarantees for ...").
SCHEDULED = re.compile(r"\b(elections?|vote|referendum|polls|round|summit|talks|meeting|"
                       r"deadline|inauguration)\b[^.;]{0,12}$", re.I)
CLAUSE_END = re.compile(r"[,;:()–—]")


@dataclass
class DateMention:
    """A date expression and what it resolves to (ISO date, month ``YYYY-MM`` or week)."""

    text: str
    value: str
    precision: str


def resolve_dates(sentence: str, article_date: dt.date) -> list[DateMention]:
    """Every date expression in ``sentence``, resolved against the article's date."""
    future = bool(FUTURE.search(sentence))
    found, taken = [], []
    for m in DATE_EXPRESSIONS.finditer(sentence):
        scheduled = bool(SCHEDULED.search(sentence[max(0, m.start() - 30):m.start()]))
        found.append(_resolve(m.group(0), article_date, True if future else None if scheduled
                              else False))
        taken.append((m.start(), m.end()))
    for m in WEEKDAY.finditer(sentence):
        dated = any(m.end() <= s <= m.end() + 3 for s, _ in taken)  # "Thursday Aug. 12"
        if not dated and not any(s <= m.start() < e for s, e in taken):
            found.append(weekday(m, sentence, article_date))
    return [d for d in found if d is not None]


def weekday(m: re.Match, sentence: str, base: dt.date) -> DateMention:
    """A weekday resolved against the article's date, by its qualifier or its clause's tense."""
    qualifier, name = (m.group(1) or "").lower(), m.group(2)
    day = list(calendar.day_name).index(name)
    back = (base.weekday() - day) % 7
    ahead = (day - base.weekday()) % 7
    if qualifier == "last":
        value = base - dt.timedelta(days=back or 7)
    elif qualifier == "next":
        value = base + dt.timedelta(days=ahead or 7)
    elif _future_clause(sentence, m.start(), m.end()):
        value = base + dt.timedelta(days=ahead)
    else:
        value = base - dt.timedelta(days=back)
    return DateMention(m.group(0), value.isoformat(), "day")


def _future_clause(sentence: str, start: int, end: int) -> bool:
    before = CLAUSE_END.split(sentence[:start])[-1]
    after = CLAUSE_END.split(sentence[end:])[0]
    return bool(FUTURE_CLAUSE.search(before) or FUTURE_CLAUSE.search(after))


def _resolve(text: str, base: dt.date, future: bool | None) -> DateMention | None:
    low = text.lower()
    month = lambda d: d.strftime("%Y-%m")  # noqa: E731
    week_start = base - dt.timedelta(days=base.weekday())
    relative = {
        "earlier this month": (month(base), "month"), "later this month": (month(base), "month"),
        "this month": (month(base), "month"), "today": (base.isoformat(), "day"),
        "yesterday": ((base - dt.timedelta(days=1)).isoformat(), "day"),
        "tomorrow": ((base + dt.timedelta(days=1)).isoformat(), "day"),
        "last month": (month(base.replace(day=1) - dt.timedelta(days=1)), "month"),
        "next month": (month((base.replace(day=28) + dt.timedelta(days=4)).replace(day=1)), "month"),
        "this week": (f"{week_start.isoformat()}/{(week_start + dt.timedelta(days=6)).isoformat()}",
                      "week"),
        "last week": (f"{(week_start - dt.timedelta(days=7)).isoformat()}/"
                      f"{(week_start - dt.timedelta(days=1)).isoformat()}", "week"),
        "next week": (f"{(week_start + dt.timedelta(days=7)).isoformat()}/"
                      f"{(week_start + dt.timedelta(days=13)).isoformat()}", "week"),
        "next few weeks": (f"{base.isoformat()}/{(base + dt.timedelta(days=28)).isoformat()}",
                           "range"),
    }
    if low in relative:
        return DateMention(text, *relative[low])
    m = CALENDAR.fullmatch(text.strip())
    if m is None:
        return None
    month = MONTH_NUMBER[(m.group("m1") or m.group("m2") or m.group("m3"))[:3].lower()]
    year = m.group("y1") or m.group("y2") or m.group("y3")
    day = m.group("d1") or m.group("d2")
    if day is None:  # "in May": a month
        y = int(year) if year else _nearest_year(base, month, 1, future)
        return DateMention(text, f"{y:04d}-{month:02d}", "month") if y else None
    y = int(year) if year else _nearest_year(base, month, int(day), future)
    value = _date(y, month, int(day)) if y else None
    return DateMention(text, value.isoformat(), "day") if value else None


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:  # "February 31", year 0
        return None


def _nearest_year(base: dt.date, month: int, day: int, future: bool | None) -> int | None:
    """The year that puts month and day nearest the article's date: after it (``future``),
    before it (``False``) or either way (``None``)."""
    options = [d for y in (base.year - 1, base.year, base.year + 1)
               if (d := _date(y, month, day)) is not None]
    if future is None:
        return min(options, key=lambda d: abs((d - base).days)).year if options else None
    if future:
        options = [d for d in options if (d.year, d.month) >= (base.year, base.month)]
        return min(options).year if options else None
    options = [d for d in options if (d.year, d.month) <= (base.year, base.month)]
    return max(options).year if options else None


def full_date(text: str) -> dt.date | None:
    """The first complete date (day, month and year) written in ``text``, if any."""
    for m in FULL_DATE.finditer(text):
        iso = ISO.fullmatch(m.group(0))
        if iso:
            value = _date(*map(int, iso.groups()))
        else:
            found = _resolve(m.group(0), dt.date(2000, 1, 1), False)
            value = dt.date.fromisoformat(found.value) if found else None
        if value is not None and 1900 <= value.year <= 2200:
            return value
    return None
