"""Building an :class:`~wirecheck.analyze.actordata.ActorTable` from the actor files.

Reading, merging (user files override or ``merge: true`` extend packaged entries), validating and
indexing. Every problem is a :class:`~wirecheck.errors.SettingsError` naming the file and entry.
Private: use :func:`wirecheck.analyze.actordata.load_actors`.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pycountry
import yaml

from wirecheck.analyze.actordata import (
    _LEADING_THE,
    HINT,
    SECTIONS,
    Actor,
    ActorTable,
    Candidate,
    Phrase,
    Role,
    SectorPhrase,
    compose,
    is_acronym,
    normalize,
    strip_diacritics,
)
from wirecheck.errors import SettingsError

_KEYS: dict[str, frozenset[str]] = {
    "countries": frozenset({"name", "names", "adjectives", "capital", "metonyms", "merge", "note"}),
    "sectors": frozenset({"label", "phrases", "merge", "note"}),
    "offices": frozenset({"sector", "rank", "phrases", "merge", "note"}),
    "organisations": frozenset(
        {"id", "name", "code", "country", "sector", "aliases", "parent", "merge", "note"}
    ),
    "groups": frozenset(
        {"id", "name", "code", "country", "sector", "aliases", "periods", "merge", "note"}
    ),
    "people": frozenset({"id", "name", "aliases", "country", "sector", "roles", "merge", "note"}),
    "ambiguous": frozenset({"phrase", "candidates", "note"}),
}
_ROLE_KEYS = frozenset({"office", "of", "title", "sector", "from", "to", "acting", "note"})
_PERIOD_KEYS = frozenset({"from", "to", "sector"})
_METONYM_KEYS = frozenset({"phrase", "sector"})
_CANDIDATE_KEYS = frozenset({"actor", "sector"})
# CAMEO 1.1b3 table 3.2 generic international codes and table 3.3 region codes: an organisation
# code may start with one of these instead of a country.
_INTERNATIONAL = frozenset(
    {
        "IGO",
        "IMG",
        "INT",
        "MNC",
        "NGM",
        "NGO",
        "UIS",
        "AFR",
        "ASA",
        "BLK",
        "CRB",
        "CAU",
        "CFR",
        "CAS",
        "CEU",
        "EIN",
        "EAF",
        "EEU",
        "EUR",
        "LAM",
        "MEA",
        "MDT",
        "NAF",
        "NMR",
        "PGS",
        "SCN",
        "SAM",
        "SAS",
        "SEA",
        "SAF",
        "WAF",
        "WST",
    }
)
_CODE_RE = re.compile(r"^[A-Z]{3}(?:[A-Z0-9]{3}){0,5}$")
_ID_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def build_table(packaged: Sequence[Path], extra: Sequence[Path]) -> ActorTable:
    """Read the packaged files, then the user files in order, and build the validated table."""
    merged = _Merged()
    for path in packaged:
        merged.add(path, _read(path), user=False)
    for path in extra:
        merged.add(path, _read(path), user=True)
    return _Builder(merged).build()


def _fail(source: str, where: str, problem: str) -> SettingsError:
    return SettingsError(f"{source}: {where}: {problem}", hint=HINT)


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe loader (libyaml when present: 5x faster) that leaves dates as text for _date()."""


# Dates stay strings so a bad one is reported with its file and entry, not as a YAML crash.
_Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda ld, node: ld.construct_scalar(node))


def _read(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(str(path), "file", f"cannot read actor file ({exc})") from exc
    try:
        doc = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise _fail(str(path), "file", f"not valid YAML ({exc})") from exc
    if doc is None:
        return {}
    if not isinstance(doc, dict):
        raise _fail(str(path), "file", "the top level must be a mapping of sections")
    unknown = set(doc) - SECTIONS
    if unknown:
        raise _fail(
            str(path), "file", f"unknown section(s) {sorted(unknown)}; allowed: {sorted(SECTIONS)}"
        )
    return doc


class _Merged:
    """Raw entries per section, keyed by id, remembering which file each came from."""

    def __init__(self) -> None:
        self.entries: dict[str, dict[str, tuple[dict[str, Any], str]]] = defaultdict(dict)
        self.curated_until: date | None = None

    def add(self, path: Path, doc: Mapping[str, Any], *, user: bool) -> None:
        src = str(path)
        if "curated_until" in doc:
            self.curated_until = _date(doc["curated_until"], src, "curated_until")
        for section in sorted(SECTIONS - {"curated_until"}):
            body = doc.get(section)
            if body is None:
                continue
            seen: set[str] = set()
            for key, entry in _entries(section, body, src):
                where = f"{section} entry '{key}'"
                unknown = set(entry) - _KEYS[section]
                if unknown:
                    raise _fail(
                        src,
                        where,
                        f"unknown key(s) {sorted(unknown)}; allowed: {sorted(_KEYS[section])}",
                    )
                if key in seen:
                    raise _fail(src, where, "duplicate id in this file")
                seen.add(key)
                previous = self.entries[section].get(key)
                if previous is not None and not user:
                    raise _fail(src, where, f"duplicate id, already defined in {previous[1]}")
                if previous is not None and entry.get("merge"):
                    entry = _merge(previous[0], entry)
                self.entries[section][key] = (entry, src)


def _entries(section: str, body: Any, src: str) -> Iterator[tuple[str, dict[str, Any]]]:
    keyed = section in {"countries", "sectors", "offices"}
    if keyed:
        if not isinstance(body, dict):
            raise _fail(src, section, "must be a mapping from code to entry")
        for key, entry in body.items():
            entry = {} if entry is None else entry
            if not isinstance(entry, dict):
                raise _fail(src, f"{section} entry '{key}'", "must be a mapping")
            yield str(key), entry
        return
    if not isinstance(body, list):
        raise _fail(src, section, "must be a list of entries")
    id_key = "phrase" if section == "ambiguous" else "id"
    for n, entry in enumerate(body, 1):
        if not isinstance(entry, dict) or not isinstance(entry.get(id_key), str):
            raise _fail(src, f"{section} entry #{n}", f"must be a mapping with a string '{id_key}'")
        key = normalize(entry[id_key]) if section == "ambiguous" else entry[id_key]
        yield key, entry


def _merge(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(old)
    for key, value in new.items():
        if isinstance(value, list) and isinstance(out.get(key), list):
            out[key] = [*out[key], *value]
        elif key != "merge":
            out[key] = value
    return out


def _date(value: Any, src: str, where: str) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise _fail(src, where, f"{value!r} is not an ISO date (YYYY-MM-DD)")


def _strings(value: Any, src: str, where: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
        return list(value)
    raise _fail(src, where, f"expected a string or a list of strings, got {value!r}")


class _Builder:
    """Turns merged raw entries into actors, roles and phrase indexes, validating as it goes."""

    def __init__(self, merged: _Merged) -> None:
        self.m = merged
        self.actors: dict[str, Actor] = {}
        self.index: dict[str, list[Candidate]] = defaultdict(list)
        self.exact: dict[str, list[Candidate]] = defaultdict(list)
        self.phrases: dict[tuple[str, str], bool] = {}
        self.sectors: dict[str, str] = {}
        self.offices: dict[str, tuple[str, int]] = {}

    def build(self) -> ActorTable:
        self._sectors()
        self._countries()
        self._organisations()
        self._groups()
        roles = self._people()
        self._ambiguous()
        sector_phrases = self._sector_phrases()
        phrases = tuple(Phrase(text, label, cs) for (text, label), cs in self.phrases.items())
        return ActorTable(
            actors=self.actors,
            roles=roles,
            sectors=self.sectors,
            offices=self.offices,
            sector_phrases=sector_phrases,
            index={k: tuple(v) for k, v in self.index.items()},
            exact_index={k: tuple(v) for k, v in self.exact.items()},
            phrases=phrases,
            curated_until=self.m.curated_until,
        )

    # -- helpers

    def _entries(self, section: str) -> list[tuple[str, dict[str, Any], str]]:
        return [(k, e, s) for k, (e, s) in self.m.entries[section].items()]

    def _add_phrase(self, text: str, cand: Candidate, label: str = "ACTOR") -> None:
        # A leading "=" marks a name that is also a common word ("=Gallant", "=Diet"): it is
        # matched with its capitals, like an acronym, so "a gallant effort" names nobody.
        exact = text.startswith("=")
        text = " ".join(text.lstrip("=").split())
        if not normalize(text):
            return
        acronym = exact or is_acronym(text)
        if acronym:
            self.exact[normalize(text, keep_case=True)].append(cand)
        else:
            self.index[normalize(text)].append(cand)
        self._surface(text, label, acronym)

    def _surface(self, text: str, label: str, case_sensitive: bool) -> None:
        bare = _LEADING_THE.sub("", text)
        for form in {bare, strip_diacritics(bare)}:
            self.phrases.setdefault((form, label), case_sensitive)

    def _sector(self, value: Any, src: str, where: str) -> str:
        if not isinstance(value, str) or value not in self.sectors:
            raise _fail(src, where, f"unknown sector code {value!r}; known: {sorted(self.sectors)}")
        return value

    def _ref(self, value: Any, src: str, where: str, kinds: tuple[str, ...]) -> str:
        actor = self.actors.get(value) if isinstance(value, str) else None
        if actor is None or actor.kind not in kinds:
            raise _fail(src, where, f"refers to unknown {' or '.join(kinds)} {value!r}")
        return actor.id

    def _check_code(self, code: Any, src: str, where: str) -> str:
        if not isinstance(code, str) or not _CODE_RE.match(code):
            raise _fail(
                src,
                where,
                f"bad code {code!r}: expected groups of three capitals "
                "(CAMEO style, e.g. IGOWSTNAT)",
            )
        head = code[:3]
        country = self.actors.get(head)
        if head not in _INTERNATIONAL and (country is None or country.kind != "country"):
            raise _fail(
                src,
                where,
                f"bad code {code!r}: {head} is neither a country nor a "
                "CAMEO international/region code",
            )
        return code

    def _add_actor(self, actor: Actor) -> None:
        if actor.id in self.actors:
            other = self.actors[actor.id]
            raise _fail(
                actor.source,
                f"{actor.kind} '{actor.id}'",
                f"id already used by {other.kind} '{other.id}' in {other.source}",
            )
        self.actors[actor.id] = actor
        self._add_phrase(actor.name, Candidate(actor.id, actor.kind, "name", None, False))
        for alias in actor.aliases:
            self._add_phrase(alias, Candidate(actor.id, actor.kind, "alias", None, False))

    # -- sections

    def _sectors(self) -> None:
        raw = self._entries("sectors")
        for key, entry, src in raw:
            if not re.match(r"^[A-Z]{3}$", key):
                raise _fail(src, f"sectors entry '{key}'", "a sector code is three capitals")
            self.sectors[key] = str(entry.get("label", key))
        for key, entry, src in self._entries("offices"):
            where = f"offices entry '{key}'"
            if not _ID_RE.match(key):
                raise _fail(src, where, "an office name is a lowercase identifier")
            rank = entry.get("rank", 5)
            if not isinstance(rank, int):
                raise _fail(src, where, "rank must be an integer")
            self.offices[key] = (self._sector(entry.get("sector"), src, where), rank)

    def _sector_phrases(self) -> dict[str, SectorPhrase]:
        out: dict[str, SectorPhrase] = {}
        for section, label in (("sectors", "SECTOR"), ("offices", "OFFICE")):
            for key, entry, src in self._entries(section):
                where = f"{section} entry '{key}'"
                sector = key if section == "sectors" else self.offices[key][0]
                office = None if section == "sectors" else key
                for phrase in _strings(entry.get("phrases"), src, f"{where} phrases"):
                    norm = normalize(phrase)
                    prior = out.get(norm)
                    if prior is not None and (prior.sector, prior.office) != (sector, office):
                        raise _fail(
                            src,
                            where,
                            f"phrase {phrase!r} already means {prior.office or prior.sector}",
                        )
                    out[norm] = SectorPhrase(phrase, sector, office)
                    self._surface(phrase, label, False)
        return out

    def _countries(self) -> None:
        raw = {k: (e, s) for k, e, s in self._entries("countries")}
        for pc in pycountry.countries:
            entry, src = raw.pop(pc.alpha_3, ({}, "pycountry"))
            common = getattr(pc, "common_name", None)
            name = str(entry.get("name") or common or pc.name)
            names = [
                n
                for n in (pc.name, common, getattr(pc, "official_name", None))
                if n and "," not in n and n != name
            ]
            self._country(pc.alpha_3, name, names, entry, src)
        for code, (entry, src) in raw.items():
            where = f"countries entry '{code}'"
            if not re.match(r"^[A-Z]{3}$", code):
                raise _fail(src, where, "bad country code: expected ISO 3166 alpha-3 capitals")
            if not isinstance(entry.get("name"), str):
                raise _fail(
                    src,
                    where,
                    "not an ISO 3166 country known to pycountry; give "
                    "it a 'name' to add it (e.g. XKX Kosovo)",
                )
            self._country(code, entry["name"], [], entry, src)

    def _country(
        self, code: str, name: str, names: list[str], entry: dict[str, Any], src: str
    ) -> None:
        where = f"countries entry '{code}'"
        aliases = [*names, *_strings(entry.get("names"), src, f"{where} names")]
        self._add_actor(Actor(code, "country", name, code, code, None, tuple(aliases), None, src))
        for adj in _strings(entry.get("adjectives"), src, f"{where} adjectives"):
            self._add_phrase(adj, Candidate(code, "country", "adjective", None, False))
        for cap in _strings(entry.get("capital"), src, f"{where} capital"):
            # PLOVER GSR convention: a capital that acts (subject/object) is the government.
            self._add_phrase(cap, Candidate(code, "country", "capital", "GOV", False))
        for n, met in enumerate(entry.get("metonyms") or [], 1):
            mwhere = f"{where} metonym #{n}"
            if isinstance(met, str):
                met = {"phrase": met}
            if not isinstance(met, dict) or not isinstance(met.get("phrase"), str):
                raise _fail(src, mwhere, "a metonym is a phrase or {phrase, sector}")
            if set(met) - _METONYM_KEYS:
                raise _fail(src, mwhere, f"unknown key(s) {sorted(set(met) - _METONYM_KEYS)}")
            sector = self._sector(met.get("sector", "GOV"), src, mwhere)
            self._add_phrase(met["phrase"], Candidate(code, "country", "metonym", sector, False))

    def _organisations(self) -> None:
        pending = self._entries("organisations")
        for key, entry, src in pending:
            where = f"organisations entry '{key}'"
            if not _ID_RE.match(key) or not isinstance(entry.get("name"), str):
                raise _fail(src, where, "needs an identifier id and a string name")
            country = entry.get("country")
            if country is not None:
                country = self._ref(country, src, f"{where} country", ("country",))
            sector = entry.get("sector")
            if sector is not None:
                sector = self._sector(sector, src, where)
            if "code" in entry:
                code = self._check_code(entry["code"], src, where)
            elif country is not None and sector is not None:
                code = country + sector
            else:
                raise _fail(src, where, "give a 'code', or a 'country' and a 'sector'")
            aliases = _strings(entry.get("aliases"), src, f"{where} aliases")
            self._add_actor(
                Actor(
                    key,
                    "organisation",
                    entry["name"],
                    code,
                    country,
                    sector,
                    tuple(aliases),
                    None,
                    src,
                )
            )
        for key, entry, src in pending:  # parents may come later in the file
            if entry.get("parent") is not None:
                parent = self._ref(
                    entry["parent"], src, f"organisations entry '{key}' parent", ("organisation",)
                )
                self.actors[key] = dataclasses.replace(self.actors[key], parent=parent)

    def _groups(self) -> None:
        for key, entry, src in self._entries("groups"):
            where = f"groups entry '{key}'"
            if not _ID_RE.match(key) or not isinstance(entry.get("name"), str):
                raise _fail(src, where, "needs an identifier id and a string name")
            country = entry.get("country")
            if country is not None:
                country = self._ref(country, src, f"{where} country", ("country",))
            sector = self._sector(entry.get("sector"), src, where)
            code = self._check_code(entry.get("code"), src, where)
            periods = []
            for n, per in enumerate(entry.get("periods") or [], 1):
                pwhere = f"{where} period #{n}"
                if not isinstance(per, dict) or set(per) - _PERIOD_KEYS:
                    raise _fail(src, pwhere, f"a period has keys {sorted(_PERIOD_KEYS)}")
                start = _date(per["from"], src, pwhere) if per.get("from") else None
                end = _date(per["to"], src, pwhere) if per.get("to") else None
                periods.append((start, end, self._sector(per.get("sector"), src, pwhere)))
            aliases = _strings(entry.get("aliases"), src, f"{where} aliases")
            self._add_actor(
                Actor(
                    key,
                    "group",
                    entry["name"],
                    code,
                    country,
                    sector,
                    tuple(aliases),
                    None,
                    src,
                    tuple(periods),
                )
            )

    def _people(self) -> dict[str, tuple[Role, ...]]:
        roles: dict[str, tuple[Role, ...]] = {}
        for key, entry, src in self._entries("people"):
            where = f"people entry '{key}'"
            if not _ID_RE.match(key) or not isinstance(entry.get("name"), str):
                raise _fail(src, where, "needs an identifier id and a string name")
            country = self._ref(entry.get("country"), src, f"{where} country", ("country",))
            sector = entry.get("sector")
            if sector is not None:
                sector = self._sector(sector, src, where)
            aliases = _strings(entry.get("aliases"), src, f"{where} aliases")
            self._add_actor(
                Actor(
                    key,
                    "person",
                    entry["name"],
                    country,
                    country,
                    sector,
                    tuple(aliases),
                    None,
                    src,
                )
            )
            raw_roles = entry.get("roles") or []
            if not isinstance(raw_roles, list):
                raise _fail(src, where, "roles must be a list")
            roles[key] = tuple(
                self._role(key, country, r, src, f"{where} role #{n}")
                for n, r in enumerate(raw_roles, 1)
            )
        self._check_overlaps(roles)
        return roles

    def _role(self, person: str, country: str, raw: Any, src: str, where: str) -> Role:
        if not isinstance(raw, dict):
            raise _fail(src, where, "a role is a mapping")
        if set(raw) - _ROLE_KEYS:
            raise _fail(
                src,
                where,
                f"unknown key(s) {sorted(set(raw) - _ROLE_KEYS)}; allowed: {sorted(_ROLE_KEYS)}",
            )
        office = raw.get("office")
        if office not in self.offices:
            raise _fail(src, where, f"unknown office {office!r}; known: {sorted(self.offices)}")
        of = self._ref(
            raw.get("of", country), src, f"{where} of", ("country", "organisation", "group")
        )
        sector = self._sector(raw.get("sector", self.offices[office][0]), src, where)
        if "from" not in raw:
            raise _fail(src, where, "a role needs a 'from' date")
        start = _date(raw["from"], src, where)
        end = _date(raw["to"], src, where) if raw.get("to") is not None else None
        if end is not None and end <= start:
            raise _fail(src, where, f"'to' {end} is not after 'from' {start}")
        title = str(raw.get("title") or office.replace("_", " "))
        return Role(
            person,
            office,
            of,
            title,
            sector,
            compose(self.actors[of].code, sector),
            start,
            end,
            bool(raw.get("acting", False)),
            self.offices[office][1],
            src,
        )

    def _check_overlaps(self, roles: Mapping[str, tuple[Role, ...]]) -> None:
        by_office: dict[tuple[str, str], list[Role]] = defaultdict(list)
        for person_roles in roles.values():
            for role in person_roles:
                by_office[(role.office, role.of)].append(role)
        for (office, of), held in by_office.items():
            held.sort(key=lambda r: r.start)
            for a, b in itertools.pairwise(held):
                if a.end is None or a.end > b.start:
                    raise _fail(
                        b.source,
                        f"people entry '{b.person_id}'",
                        f"{office} of {of} from {b.start} overlaps '{a.person_id}' "
                        f"({a.start} to {a.end or 'now'}, {a.source})",
                    )

    def _ambiguous(self) -> None:
        for _key, entry, src in self._entries("ambiguous"):
            where = f"ambiguous entry '{entry['phrase']}'"
            cands = entry.get("candidates")
            if not isinstance(cands, list) or len(cands) < 2:
                raise _fail(src, where, "list at least two candidates")
            for n, cand in enumerate(cands, 1):
                cwhere = f"{where} candidate #{n}"
                if not isinstance(cand, dict) or set(cand) - _CANDIDATE_KEYS:
                    raise _fail(src, cwhere, f"a candidate has keys {sorted(_CANDIDATE_KEYS)}")
                actor_id = self._ref(
                    cand.get("actor"), src, cwhere, ("country", "organisation", "group", "person")
                )
                sector = cand.get("sector")
                if sector is not None:
                    sector = self._sector(sector, src, cwhere)
                kind = self.actors[actor_id].kind
                self._add_phrase(
                    entry["phrase"], Candidate(actor_id, kind, "ambiguous", sector, True)
                )
