"""Dates: weekdays against the article's date, the article's date from its dateline, and no
silent default."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.cli import main
from accord.news.clean import clean
from accord.news.dates import full_date, resolve_dates
from accord.news.ingest import ingest
from accord.scenario.errors import InputError
from conftest import shared

FRIDAY = dt.date(2021, 9, 10)


def values(sentence, day=FRIDAY):
    return [d.value for d in resolve_dates(sentence, day)]


@pytest.mark.parametrize("sentence, expected", [
    ("The two sides signed the agreement on Tuesday.", "2021-09-07"),
    ("Guevara was freed on Wednesday after weeks in detention.", "2021-09-08"),
    ("The delegations met on Friday in Mexico City.", "2021-09-10"),  # the article's own day
    ("On Sunday, the opposition said it would return.", "2021-09-05"),
    ("The talks will resume on Monday.", "2021-09-13"),
    ("The next round, set for Saturday, will deal with the economy.", "2021-09-11"),
    ("The minister resigned last Friday.", "2021-09-03"),
    ("They will meet again next Wednesday.", "2021-09-15"),
])
def test_weekdays_resolve_against_the_article_date(sentence, expected):
    assert values(sentence) == [expected]


def test_a_weekday_written_with_its_date_is_that_date():
    assert values("Guaido spoke in Caracas on Thursday Aug. 12, 2021.") == ["2021-08-12"]


def test_a_past_weekday_in_a_sentence_that_also_speaks_of_the_future():
    # The clause of "Tuesday" is past; "will" belongs to another clause.
    assert values("The memorandum, signed on Tuesday, will guide the next round.") == ["2021-09-07"]


def test_weekday_event_dates_reach_the_proposed_update():
    from accord.scenario.catalog import load

    text = "Talks\n\nThe Venezuelan government released Freddy Guevara on Wednesday."
    result = ingest(text, FRIDAY, load().scenario)
    (release,) = [e for e in result.update.events if e["type"] == "release_prisoner"]
    assert release["date"] == "2021-09-08"


@pytest.mark.parametrize("paragraph, date", [
    ("MEXICO CITY, Sept. 6, 2021 (Reuters) - The talks resumed.", dt.date(2021, 9, 6)),
    ("CARACAS, Venezuela, Aug. 27, 2021 (AP) — The talks resumed.", dt.date(2021, 8, 27)),
    ("OSLO, 13 August 2021 – The talks resumed.", dt.date(2021, 8, 13)),
    ("BOGOTA – The talks resumed.", None),
    ("WASHINGTON, Aug. 27 – The talks resumed.", None),  # no year: not a date
])
def test_the_dateline_gives_the_article_date(paragraph, date):
    article = clean(f"Headline\n\n{paragraph}")
    assert article.date == date
    assert article.paragraphs == ["The talks resumed."]


def test_a_date_line_under_the_headline_gives_the_date_and_is_dropped():
    article = clean("Headline\n\nPublished September 6, 2021\n\nCARACAS — The talks resumed.")
    assert article.date == dt.date(2021, 9, 6) and article.dateline == "CARACAS"
    assert article.paragraphs == ["The talks resumed."]


def test_without_date_or_dated_dateline_ingest_refuses_naming_date():
    with pytest.raises(InputError) as raised:
        ingest("Headline\n\nBOGOTA – The talks resumed on Tuesday.", None, None, "a.txt")
    message = str(raised.value)
    assert "--date" in message and "YYYY-MM-DD" in message and "\n" not in message


def test_the_cli_never_uses_today(tmp_path, capsys):
    article = shared("seed", "venezuela-talks-mexico-2021.txt")
    assert main(["ingest", str(article), "-s", "venezuela-2021"]) == 2
    assert "--date" in capsys.readouterr().err
    dated = tmp_path / "dated.txt"
    dated.write_text("Talks resume\n\nMEXICO CITY, Sept. 6, 2021 (AP) — The government and the "
                     "opposition signed two agreements on Monday.\n", encoding="utf-8")
    assert main(["ingest", str(dated), "-s", "venezuela-2021", "-f", "json"]) == 0
    out = capsys.readouterr().out
    assert '"date": "2021-09-06"' in out and '"date_from": "dateline"' in out
    assert '"2021-09-06"' in out  # "on Monday" is the dateline's Monday


def test_an_explicit_date_wins_over_the_dateline():
    result = ingest("H\n\nOSLO, 13 August 2021 – Talks.", dt.date(2021, 8, 14), None)
    assert result.date == dt.date(2021, 8, 14) and result.date_from == "--date"


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=200), st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31)))
def test_any_sentence_and_date_resolve_without_error(sentence, day):
    for d in resolve_dates(sentence, day):
        assert d.precision in {"day", "month", "week", "range"}


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=200))
def test_any_dateline_is_read_without_error(text):
    clean(text)
    full_date(text)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                        "Sunday"]), st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31)))
def test_a_past_weekday_is_within_the_week_before_the_article(day_name, base):
    (value,) = values(f"The parties met on {day_name}.", base)
    day = dt.date.fromisoformat(value)
    assert 0 <= (base - day).days < 7 and day.strftime("%A") == day_name
