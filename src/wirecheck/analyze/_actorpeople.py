"""People in the actor resolver: names with titles, roles at a date, coreference, counterparts.

Private to :mod:`wirecheck.analyze.actors` (split out to keep modules small): the rule constants,
the draft record, and the person-resolution half of the per-article state.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span

from wirecheck.analyze.actordata import ActorTable, Candidate, SectorPhrase, compose

# Confidence by rule: how often a mention found this way names the actor it is resolved to.
# Ordinal, set by hand from the gold sentences (tests/fixtures/analyze/actors_gold.yaml).
CONF = {
    "name": 0.95,
    "alias": 0.9,
    "adjective": 0.85,
    "metonym": 0.85,
    "capital": 0.75,
    "title": 0.8,
    "office": 0.75,
    "coreference": 0.85,
    "counterpart": 0.75,
    "context": 0.7,
    "demonym_noun": 0.6,
    "unresolved": 0.3,
}
# A place-like actor (country name, capital, metonym) after one of these is a location, not an
# actor: "troops in Ukraine", "talks at the White House".
_LOCATIVE = frozenset(
    {
        "in",
        "inside",
        "within",
        "across",
        "throughout",
        "near",
        "around",
        "at",
        "into",
        "outside",
        "over",
        "via",
        "through",
    }
)
# A capital needs positive evidence to be an actor; after these it is a destination or origin.
_CAPITAL_LOCATIVE = _LOCATIVE | {"to", "from", "toward", "towards", "of", "for"}
# Verbs of movement take a capital as destination ("visited Kyiv"), not as an actor. Matched on
# the word's start because the lemmatizer is off.
_MOTION = (
    "visit",
    "arriv",
    "flew",
    "fly",
    "flies",
    "travel",
    "return",
    "head",
    "went",
    "go",
    "came",
    "come",
    "land",
    "left",
    "leav",
    "reach",
    "tour",
    "move",
    "fled",
    "flee",
)
_COUNTERPART = frozenset({"counterpart", "counterparts"})
_PAIR_NOUNS = frozenset(
    {
        "allies",
        "countries",
        "nations",
        "governments",
        "neighbours",
        "neighbors",
        "states",
        "capitals",
        "sides",
    }
)
_TITLE_SKIP = frozenset({"'s", "’s", "'"})
_ENTITY_LABELS = frozenset({"PERSON", "ORG"})


@dataclass
class _Draft:
    """A mention under construction (token span, before char offsets)."""

    start: int
    end: int
    type: str
    id: str | None
    code: str | None
    role: str | None
    country: str | None
    via: str
    conf: float
    cands: tuple[Candidate, ...] = ()  # left ambiguous until the article is read
    sector: str | None = None
    adjective: bool = False  # a bare country adjective waiting for a coordinated sector


@dataclass(frozen=True)
class _Hit:
    end: int
    cands: tuple[Candidate, ...]

    @property
    def kinds(self) -> frozenset[str]:
        return frozenset(c.kind for c in self.cands)


class _People:
    """Person rules, mixed into the article state (which sets these attributes)."""

    t: ActorTable
    doc: Doc
    hits: dict[int, _Hit]
    sectors: dict[int, tuple[int, SectorPhrase]]
    ents: dict[int, Span]
    published: dt.date | None
    drafts: list[tuple[int, _Draft]]

    def _person(
        self,
        i: int,
        end: int,
        cands: tuple[Candidate, ...],
        office: SectorPhrase | None,
        of: _Draft | None,
    ) -> _Draft:
        name = self.doc[i:end].text
        persons = [c for c in cands if c.kind == "person"]
        if len({c.actor_id for c in persons}) > 1 and office is not None and self.published:
            # "Prime Minister Johnson": the title picks the namesake who held that office.
            fit = [
                c
                for c in persons
                if any(
                    r.office == office.office for r in self.t.roles_at(c.actor_id, self.published)
                )
            ]
            persons = fit or persons
        ids = list(dict.fromkeys(c.actor_id for c in persons))
        if not ids:
            earlier = self._earlier_person(name)
            if earlier is not None:
                return replace(
                    earlier, start=i, end=end, via="coreference", conf=CONF["coreference"]
                )
            country = of.country if of else None
            code = compose(of.code, office.sector) if of and of.code and office else None
            return _Draft(
                i,
                end,
                "person",
                None,
                code,
                office.office if office else None,
                country,
                "title" if office else "unresolved",
                CONF["title"] if office else CONF["unresolved"],
            )
        if len(ids) > 1:
            return _Draft(
                i, end, "person", None, None, None, None, "alias", CONF["alias"], tuple(persons)
            )
        return self._known_person(i, end, ids[0], persons[0].via, office)

    def _known_person(
        self, i: int, end: int, pid: str, via: str, office: SectorPhrase | None
    ) -> _Draft:
        actor = self.t.actors[pid]
        role_office: str | None = None
        if self.published is not None:
            role = self.t.role_at(pid, self.published)
            role_office = role.office if role else None
            code = self.t.code_at(pid, self.published)
        else:
            code = self.t.code_at(pid, None)
            if office is not None and office.office:
                # No date, but the text gives the title: trust it for role and sector.
                role_office = office.office
                code = compose(actor.code, office.sector)
        seen = any(d.id == pid for _, d in self.drafts)
        if seen and via != "name":
            via, conf = "coreference", CONF["coreference"]
        else:
            conf = CONF.get(via, CONF["alias"])
        return _Draft(i, end, "person", pid, code, role_office, actor.country, via, conf)

    def _earlier_person(self, name: str) -> _Draft | None:
        """An unknown person named in full earlier, now by surname: "Kowalski" after "Jan Kowalski"."""
        surname = name.split()[-1].casefold() if name.split() else ""
        found = [
            d
            for _, d in self.drafts
            if d.type == "person"
            and d.id is None
            and self.doc[d.end - 1].lower_ == surname
            and d.end - d.start > 1
        ]
        return found[-1] if found else None

    def _office(self, i: int, end: int, sp: SectorPhrase, of: _Draft | None) -> _Draft:
        """A title: with a name after it, the person; alone, a role description."""
        j = end
        if j in self.hits and "person" in self.hits[j].kinds:
            hit = self.hits[j]
            return replace(self._person(j, hit.end, hit.cands, sp, of), start=i)
        if j in self.ents and self.ents[j].label_ == "PERSON":
            return replace(self._person(j, self.ents[j].end, (), sp, of), start=i)
        assert sp.office is not None
        country = of.id if of is not None and of.type in {"country", "organisation"} else None
        # The same office named earlier in this article with its holder: that person.
        for _, d in reversed(self.drafts):
            if (
                d.type == "person"
                and d.role == sp.office
                and (country is None or d.country == country or self._office_of(d) == country)
            ):
                return replace(d, start=i, end=end, via="coreference", conf=CONF["coreference"])
        if country is not None and self.published is not None:
            role = self.t.holder_at(sp.office, country, self.published)
            if role is not None:
                person = self._known_person(i, end, role.person_id, "office", sp)
                return replace(person, via="office", conf=CONF["office"])
        if of is None:
            return _Draft(
                i, end, "person", None, None, sp.office, None, "unresolved", CONF["unresolved"]
            )
        code = compose(of.code, sp.sector) if of.code else None
        return _Draft(i, end, "person", None, code, sp.office, of.country, "office", CONF["title"])

    def _office_of(self, d: _Draft) -> str | None:
        if d.id is None or self.published is None or d.role is None:
            return None
        role = self.t.holder_at(d.role, d.country or "", self.published)
        return role.of if role is not None else None

    def _counterpart(self, i: int, end: int, of: _Draft) -> _Draft:
        """ "his French counterpart": France's holder of the office of the person just named."""
        start = i - 1 if i > 0 and self.doc[i - 1].pos_ == "PRON" else i
        for _, d in reversed(self.drafts):
            if d.type == "person" and d.role is not None and d.country != of.country:
                office = d.role
                sector = self.t.offices[office][0]
                code = compose(of.code, sector) if of.code else None
                if self.published is not None and of.id is not None:
                    role = self.t.holder_at(office, of.id, self.published)
                    if role is not None:
                        return _Draft(
                            start,
                            end,
                            "person",
                            role.person_id,
                            role.code,
                            office,
                            of.country,
                            "counterpart",
                            CONF["counterpart"],
                        )
                return _Draft(
                    start,
                    end,
                    "person",
                    None,
                    code,
                    office,
                    of.country,
                    "counterpart",
                    CONF["counterpart"],
                )
        return _Draft(
            start, end, "person", None, of.code, None, of.country, "counterpart", CONF["unresolved"]
        )
