"""Council of the EU voting weights under the treaty in force on a given date, for DEU III.

- Amsterdam (to 30 April 2004): the weighted votes of Art. 205(2) TEC, EU-15, 87 in all.
- Accession, 1 May to 31 October 2004: Art. 26 of the 2003 Act of Accession, EU-25, 124 in all.
- Nice (1 November 2004 to 31 October 2014): Art. 3 of the Protocol on the enlargement of the
  EU, as amended by the Acts of Accession of 2003, 2005 and 2012 (Bulgaria and Romania from
  1 January 2007, Croatia from 1 July 2013); 352 votes with 28 members.
- Lisbon (from 1 November 2014): the double majority of Art. 16(4) TEU and Art. 238(3) TFEU,
  55% of the members representing 65% of the population. A weighted mean needs one number per
  state, and the rule counts two: each state's weight is the mean of its share of the members and
  its share of the population (Eurostat's population on 1 January 2014, in thousands, the figures
  the Council used for 2015, Council Decision 2014/937/EU). The transitional period to 31 March
  2017, in which a member could ask for a vote under the Nice weights, is not modelled.

The Commission and the Parliament each get the largest state's weight (agenda-setter and
co-legislator). DEU III codes a few states on proposals made before they joined (they voted on
the final act): such a state gets the weight of the first regime under which it voted, rescaled
by the ratio of the largest weights of the two regimes.
"""

from __future__ import annotations

import datetime as dt
import re

from accord.scenario.errors import InputError

AMSTERDAM = {"de": 10, "fr": 10, "it": 10, "uk": 10, "es": 8, "be": 5, "el": 5, "nl": 5, "pt": 5,
             "at": 4, "se": 4, "dk": 3, "ie": 3, "fi": 3, "lu": 2}
ACCESSION_2004 = AMSTERDAM | {"pl": 8, "cz": 5, "hu": 5, "lt": 3, "sk": 3, "cy": 2, "ee": 2,
                              "lv": 2, "si": 2, "mt": 2}
NICE = {
    "de": 29, "fr": 29, "it": 29, "uk": 29, "es": 27, "pl": 27, "ro": 14, "nl": 13, "be": 12,
    "cz": 12, "el": 12, "hu": 12, "pt": 12, "at": 10, "bu": 10, "se": 10, "dk": 7, "ie": 7,
    "lt": 7, "sk": 7, "fi": 7, "cr": 7, "cy": 4, "ee": 4, "lv": 4, "lu": 4, "si": 4, "mt": 3,
}
POPULATION_2014 = {
    "de": 80780.0, "fr": 65856.6, "uk": 64308.3, "it": 60782.7, "es": 46507.8, "pl": 38495.7,
    "ro": 19947.3, "nl": 16829.3, "be": 11203.9, "el": 10992.6, "cz": 10512.4, "pt": 10427.3,
    "hu": 9879.0, "se": 9644.9, "at": 8507.8, "bu": 7245.7, "dk": 5627.2, "fi": 5451.3,
    "sk": 5415.9, "ie": 4604.0, "cr": 4246.8, "lt": 2943.5, "si": 2061.1, "lv": 2001.5,
    "ee": 1315.8, "cy": 858.0, "lu": 549.7, "mt": 425.4,
}
JOINED = {"pl": dt.date(2004, 5, 1), "cz": dt.date(2004, 5, 1), "hu": dt.date(2004, 5, 1),
          "lt": dt.date(2004, 5, 1), "sk": dt.date(2004, 5, 1), "cy": dt.date(2004, 5, 1),
          "ee": dt.date(2004, 5, 1), "lv": dt.date(2004, 5, 1), "si": dt.date(2004, 5, 1),
          "mt": dt.date(2004, 5, 1), "bu": dt.date(2007, 1, 1), "ro": dt.date(2007, 1, 1),
          "cr": dt.date(2013, 7, 1)}
INSTITUTIONS = ("com", "ep")


def regime(date: dt.date) -> str:
    """The name of the voting rule in force on ``date``."""
    if date < dt.date(2004, 5, 1):
        return "amsterdam"
    if date < dt.date(2004, 11, 1):
        return "accession_2004"
    if date < dt.date(2014, 11, 1):
        return "nice"
    return "lisbon"


def votes(date: dt.date) -> dict[str, float]:
    """Every member state's weight on ``date`` (states not yet members are absent)."""
    rule = regime(date)
    if rule == "amsterdam":
        return dict(AMSTERDAM)
    if rule == "accession_2004":
        return dict(ACCESSION_2004)
    members = [s for s in NICE if JOINED.get(s, dt.date.min) <= date]
    if rule == "nice":
        return {s: float(NICE[s]) for s in members}
    total = sum(POPULATION_2014[s] for s in members)
    return {s: (1 / len(members) + POPULATION_2014[s] / total) / 2 for s in members}


def capabilities(date: dt.date, actors: list[str]) -> dict[str, float]:
    """The weight of each DEU III actor (states and the two institutions) on ``date``."""
    now = votes(date)
    largest = max(now.values())
    out = {}
    for actor in actors:
        if actor in INSTITUTIONS:
            out[actor] = largest
        elif actor in now:
            out[actor] = float(now[actor])
        else:  # coded before it joined: the weight it first voted with, rescaled
            first = votes(JOINED[actor])
            out[actor] = first[actor] * largest / max(first.values())
    return out


def proposal_date(text: str, where: str) -> dt.date:
    """A DEU III ``intro`` date: ``dd-mm-yy``, ``dd-mm-yyyy``, or the spreadsheet-mangled
    ``20dd-mm-yy`` of the shipped copy (the day read as a year: ``2014-07-04`` is 14 July 2004)."""
    if re.fullmatch(r"\d{4}-\d\d-\d\d", text):
        century_day, month, year = text.split("-")
        day = int(century_day) % 100
    elif re.fullmatch(r"\d\d-\d\d-\d{2}(\d{2})?", text):
        day, month, year = (int(v) for v in text.split("-"))
    else:
        raise InputError("unreadable proposal date", where, None, "intro", text,
                         "dd-mm-yy or dd-mm-yyyy")
    year = int(year)
    if year < 100:
        year += 1900 if year > 50 else 2000
    try:
        return dt.date(year, int(month), int(day))
    except ValueError:
        raise InputError("impossible proposal date", where, None, "intro", text,
                         "a real calendar date") from None
