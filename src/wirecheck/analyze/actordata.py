"""The curated actor file: countries, organisations, armed groups and people with dated roles.

The data lives in ``analyze/data/*.yaml`` (format documented in ``analyze/data/README.md``); users
add or override entries with their own YAML files passed as ``extra``. Everything is validated at
load time and every problem is raised as :class:`~wirecheck.errors.SettingsError` naming the file
and the entry, because a silently wrong actor file codes every article wrongly.

Codes follow CAMEO 1.1b3 (chapter 3) as used by Phoenix/PLOVER: ISO 3166 alpha-3 country plus a
three-letter sector (``GBRMIL``); international organisations ``IGO`` + region + id (``IGOWSTNAT``).
Caching the table is the caller's job; loading takes about 0.1 s (see tests).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

HINT = "see src/wirecheck/analyze/data/README.md for the actor file format"

SECTIONS = frozenset(
    {
        "curated_until",
        "countries",
        "sectors",
        "offices",
        "organisations",
        "groups",
        "people",
        "ambiguous",
    }
)
_ACRONYM_RE = re.compile(r"^[A-Z0-9]{2,5}$")


# ---------------------------------------------------------------------------- normalisation

_PUNCT = str.maketrans(
    {
        "’": "'",
        "‘": "'",
        "ʼ": "'",
        "`": "'",
        "´": "'",
        "–": "-",
        "—": "-",
        "‐": "-",
        "‑": "-",
        "ı": "i",
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ð": "d",
        "þ": "th",
        "ß": "ss",
    }
)
_INITIAL_DOT = re.compile(r"\b([A-Za-z])\.")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"'s?$")


def strip_diacritics(text: str) -> str:
    """``Erdoğan`` -> ``Erdogan``; letters that do not decompose (ø, ł, ı) are mapped by hand."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_PUNCT))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalize(text: str, *, keep_case: bool = False) -> str:
    """The lookup key of a phrase: no diacritics, no leading "the", no possessive, one space.

    "the U.K.'s" and "UK" give the same key; hyphens count as spaces so "al-Qaeda" is "al Qaeda".
    """
    s = strip_diacritics(text)
    s = _INITIAL_DOT.sub(r"\1", s).replace("-", " ")
    s = " ".join(s.split())
    s = _POSSESSIVE.sub("", _LEADING_THE.sub("", s)).strip()
    return s if keep_case else s.casefold()


def is_acronym(text: str) -> bool:
    """Short all-capital forms (WHO, US, IS) are matched case-sensitively: "who" is not the WHO."""
    return bool(_ACRONYM_RE.match(normalize(text, keep_case=True).replace(" ", "")))


# ---------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Actor:
    """One country, organisation, armed group or person."""

    id: str
    kind: str  # country | organisation | group | person
    name: str
    code: str  # CAMEO-style base code: GBR, IGOWSTNAT, PSEREBHMS; a person's country code
    country: str | None  # home country (alpha-3), None for international actors
    sector: str | None  # default sector, None for a country as a whole
    aliases: tuple[str, ...]
    parent: str | None
    source: str
    periods: tuple[tuple[date | None, date | None, str], ...] = ()  # groups: dated sector changes


@dataclass(frozen=True)
class Role:
    """An office held by a person over [start, end): ``end`` is the first day out of office."""

    person_id: str
    office: str
    of: str  # actor id of the country or organisation whose office it is
    title: str
    sector: str
    code: str  # e.g. GBRMIL for the British defence secretary
    start: date
    end: date | None
    acting: bool
    rank: int
    source: str

    def active(self, when: date) -> bool:
        return self.start <= when and (self.end is None or when < self.end)


@dataclass(frozen=True)
class Candidate:
    """One actor a surface phrase may name; ``ambiguous`` when the phrase names several."""

    actor_id: str
    kind: str
    via: str  # name | alias | adjective | capital | metonym | ambiguous
    sector: str | None  # sector the phrase itself implies (Pentagon -> MIL)
    ambiguous: bool


@dataclass(frozen=True)
class SectorPhrase:
    """A phrase that names a sector ("troops" -> MIL) or an office ("defence secretary")."""

    phrase: str
    sector: str
    office: str | None


@dataclass(frozen=True)
class Phrase:
    """A surface form for a spaCy PhraseMatcher: match on ORTH if case_sensitive, else LOWER."""

    text: str
    label: str  # ACTOR | SECTOR | OFFICE
    case_sensitive: bool


class ActorTable:
    """The loaded, validated actor data. Build it with :func:`load_actors`."""

    def __init__(
        self,
        actors: Mapping[str, Actor],
        roles: Mapping[str, tuple[Role, ...]],
        sectors: Mapping[str, str],
        offices: Mapping[str, tuple[str, int]],
        sector_phrases: Mapping[str, SectorPhrase],
        index: Mapping[str, tuple[Candidate, ...]],
        exact_index: Mapping[str, tuple[Candidate, ...]],
        phrases: tuple[Phrase, ...],
        curated_until: date | None,
    ) -> None:
        self.actors = actors
        self.sectors = sectors  # code -> label
        self.offices = offices  # office -> (sector, rank)
        self.curated_until = curated_until  # roles after this date are not checked
        self._roles = roles
        self._sector_phrases = sector_phrases
        self._index = index
        self._exact = exact_index
        self._phrases = phrases
        holders: dict[tuple[str, str], list[Role]] = defaultdict(list)
        for person_roles in roles.values():
            for role in person_roles:
                holders[(role.office, role.of)].append(role)
        self._holders = {k: tuple(sorted(v, key=lambda r: r.start)) for k, v in holders.items()}

    def __len__(self) -> int:
        return len(self.actors)

    def get(self, actor_id: str) -> Actor | None:
        return self.actors.get(actor_id)

    def of_kind(self, kind: str) -> tuple[Actor, ...]:
        return tuple(a for a in self.actors.values() if a.kind == kind)

    def countries(self) -> Mapping[str, Actor]:
        return {a.id: a for a in self.actors.values() if a.kind == "country"}

    def country(self, code: str) -> Actor | None:
        actor = self.actors.get(code.upper())
        return actor if actor is not None and actor.kind == "country" else None

    def lookup(self, phrase: str) -> tuple[Candidate, ...]:
        """Candidate actors for a surface phrase, case- and diacritic-insensitive (acronyms exact)."""
        found = self._exact.get(normalize(phrase, keep_case=True), ()) + self._index.get(
            normalize(phrase), ()
        )
        seen: set[tuple[str, str | None]] = set()
        out: list[Candidate] = []
        for cand in found:  # one candidate per (actor, sector): a name and an alias are one
            key = (cand.actor_id, cand.sector)
            if key not in seen:
                seen.add(key)
                out.append(cand)
        if len({c.actor_id for c in out}) > 1:
            out = [Candidate(c.actor_id, c.kind, c.via, c.sector, True) for c in out]
        return tuple(out)

    def sector_phrase(self, phrase: str) -> SectorPhrase | None:
        return self._sector_phrases.get(normalize(phrase))

    def sector_phrases(self) -> Mapping[str, SectorPhrase]:
        """Normalised phrase -> sector (and office where the phrase names one)."""
        return self._sector_phrases

    def roles_of(self, person_id: str) -> tuple[Role, ...]:
        return self._roles.get(person_id, ())

    def roles_at(self, person_id: str, when: date) -> tuple[Role, ...]:
        return tuple(r for r in self.roles_of(person_id) if r.active(when))

    def role_at(self, person_id: str, when: date) -> Role | None:
        """The person's main office on that date (head of state before minister), None if none."""
        active = self.roles_at(person_id, when)
        return min(active, key=lambda r: (r.rank, r.start)) if active else None

    def holder_at(self, office: str, of: str, when: date) -> Role | None:
        """Who held ``office`` of ``of`` on that date ("the British defence secretary" in 2021)."""
        for role in self._holders.get((office, of), ()):
            if role.active(when):
                return role
        return None

    def code_at(self, actor_id: str, when: date | None = None, sector: str | None = None) -> str:
        """The CAMEO-style code of an actor on a date, with an optional sector composed in.

        A person in office gets the office's code; one whose offices all ended gets country+ELI
        (CAMEO 3.2.4: former officials are elites); a group gets its sector at that date.
        """
        actor = self.actors[actor_id]
        code = actor.code
        if actor.kind == "person" and when is not None:
            role = self.role_at(actor_id, when)
            if role is not None:
                return role.code if sector is None else compose(role.code, sector)
            if any(r.end is not None and r.end <= when for r in self.roles_of(actor_id)):
                code = compose(actor.code, "ELI")
            elif actor.sector:
                code = compose(actor.code, actor.sector)
        elif actor.kind == "person" and actor.sector:
            code = compose(actor.code, actor.sector)
        elif actor.kind == "group" and when is not None and actor.sector:
            for start, end, period_sector in actor.periods:
                if (start is None or start <= when) and (end is None or when < end):
                    if code[3:6] == actor.sector:
                        code = code[:3] + period_sector + code[6:]
                    break
        return code if sector is None else compose(code, sector)

    def all_phrases(self) -> tuple[Phrase, ...]:
        """Every surface form (actors, sectors, offices) for building a PhraseMatcher."""
        return self._phrases


def compose(code: str, sector: str) -> str:
    """``compose("GBR", "MIL") == "GBRMIL"``; a sector already in the code is not repeated."""
    triples = {code[i : i + 3] for i in range(3, len(code), 3)}
    return code if sector in triples else code + sector


# ---------------------------------------------------------------------------- loading


def packaged_files() -> list[Path]:
    data = resources.files("wirecheck.analyze").joinpath("data")
    return sorted(Path(str(p)) for p in data.iterdir() if p.name.endswith(".yaml"))


def load_actors(extra: Sequence[Path] = ()) -> ActorTable:
    """Load the packaged actor files, then each user file in order (later entries override)."""
    # Imported here: the builder module needs this module's records, so a top-level import
    # would be circular.
    from wirecheck.analyze._actorbuild import build_table

    return build_table([*packaged_files()], [Path(p) for p in extra])
