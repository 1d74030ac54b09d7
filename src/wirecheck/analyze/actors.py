"""Actor mentions: find who an article names and resolve each to the actor file, at its date.

One left-to-right pass per sentence over three layers of spans: actor phrases (PhraseMatcher over
every name, alias, adjective, capital and metonym of :mod:`wirecheck.analyze.actordata`), sector
and office phrases ("defence ministry", "foreign minister"), and spaCy's PERSON/ORG entities for
actors the file does not know. Adjacent spans compose ("the British defence ministry" is GBR +
MIL), titles attach to names ("Defence Secretary John Healey"), and the article's earlier
mentions resolve surnames, role descriptions ("the British defence secretary"), counterparts and
"the two allies". The Doc needs tags, NER and sentence boundaries; no dependency parse, so the
actor-or-place decisions are small POS-window heuristics. What the text does not settle is left
unresolved (``id`` None) rather than guessed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import replace

import spacy
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from wirecheck.analyze._actorpeople import (
    _CAPITAL_LOCATIVE,
    _COUNTERPART,
    _ENTITY_LABELS,
    _LOCATIVE,
    _MOTION,
    _PAIR_NOUNS,
    _TITLE_SKIP,
    CONF,
    _Draft,
    _Hit,
    _People,
)
from wirecheck.analyze.actordata import ActorTable, Candidate, SectorPhrase, compose
from wirecheck.models import Mention


class ActorResolver:
    """Finds actor mentions in spaCy Docs. Build once per process; reuse for every document."""

    def __init__(self, table: ActorTable, nlp: spacy.language.Language) -> None:
        self.table = table
        self._orth = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        groups: dict[tuple[str, bool], list[str]] = defaultdict(list)
        for phrase in table.all_phrases():
            groups[(phrase.label, phrase.case_sensitive)].append(phrase.text)
        for (label, exact), texts in sorted(groups.items()):
            matcher = self._orth if exact else self._lower
            matcher.add(label, [nlp.make_doc(t) for t in texts])

    # ------------------------------------------------------------------ matching

    def _layers(self, doc: Doc) -> tuple[dict[int, _Hit], dict[int, tuple[int, SectorPhrase]]]:
        actor_spans: list[Span] = []
        sector_spans: list[Span] = []
        for matcher in (self._orth, self._lower):
            for match_id, start, end in matcher(doc):
                label = doc.vocab.strings[match_id]
                span = Span(doc, start, end, label=label)
                if label == "ACTOR":
                    # Names are proper nouns: "turkey", "chad", "french fries" name nobody.
                    if span.text[:1].isupper() or span.text[:1].isdigit():
                        actor_spans.append(span)
                else:
                    sector_spans.append(span)
        hits: dict[int, _Hit] = {}
        for span in spacy.util.filter_spans(actor_spans):
            cands = self.table.lookup(span.text)
            if cands:
                hits[span.start] = _Hit(span.end, cands)
        sectors: dict[int, tuple[int, SectorPhrase]] = {}
        taken = {i for s, h in hits.items() for i in range(s, h.end)}
        for span in spacy.util.filter_spans(sector_spans):
            sp = self.table.sector_phrase(span.text)
            if sp is not None and not taken.intersection(range(span.start, span.end)):
                sectors[span.start] = (span.end, sp)
        return hits, sectors

    # ------------------------------------------------------------------ public

    def find(self, doc: Doc, *, published: dt.date | None) -> list[Mention]:
        """Actor mentions of ``doc`` resolved at ``published`` (None: no dated roles)."""
        hits, sectors = self._layers(doc)
        state = _Article(self, doc, hits, sectors, published)
        for sent_no, sent in enumerate(doc.sents):
            state.sentence(sent_no, sent)
        return state.finish()


class _Article(_People):
    """The resolver's state for one document: its drafts so far, in text order."""

    def __init__(
        self,
        res: ActorResolver,
        doc: Doc,
        hits: dict[int, _Hit],
        sectors: dict[int, tuple[int, SectorPhrase]],
        published: dt.date | None,
    ) -> None:
        self.t = res.table
        self.doc = doc
        self.hits = hits
        self.sectors = sectors
        self.published = published
        self.drafts: list[tuple[int, _Draft]] = []  # (sentence, draft)
        self.sent_no = 0
        self.org_country: dict[int, str] = {}  # unknown organisation -> country it names
        covered = {i for s, h in hits.items() for i in range(s, h.end)}
        covered |= {i for s, (e, _) in sectors.items() for i in range(s, e)}
        self.ents: dict[int, Span] = {}
        for ent in doc.ents:
            if ent.label_ not in _ENTITY_LABELS:
                continue
            toks = set(range(ent.start, ent.end))
            if ent.label_ == "PERSON":
                # NER sometimes folds the title into the name: keep the part after it.
                start = ent.start
                while start < ent.end and start in covered:
                    start += 1
                if start < ent.end and not covered.intersection(range(start, ent.end)):
                    self.ents[start] = Span(doc, start, ent.end, label="PERSON")
            elif not covered.intersection(toks):
                start = ent.start + (doc[ent.start].lower_ == "the" and len(ent) > 1)
                self.ents[start] = Span(doc, start, ent.end, label=ent.label_)
            else:
                self._org_with_country(ent)

    def _org_with_country(self, ent: Span) -> None:
        """ "Hungarian Democratic Forum": an unknown organisation, not Hungary + anything."""
        inside = [s for s in self.hits if ent.start <= s < ent.end]
        if len(inside) != 1 or self.hits[inside[0]].end > ent.end:
            return
        hit = self.hits[inside[0]]
        if "country" not in hit.kinds or len(hit.cands) != 1:
            return
        rest = [
            i
            for i in range(ent.start, ent.end)
            if not inside[0] <= i < hit.end and self.doc[i].lower_ not in {"the", "'s"}
        ]
        sector_toks = {i for s, (e, _) in self.sectors.items() for i in range(s, e)}
        if rest and not set(rest) <= sector_toks:
            del self.hits[inside[0]]
            for i in rest:
                self.sectors.pop(i, None)
            self.ents[ent.start] = ent
            self.org_country[ent.start] = hit.cands[0].actor_id

    # ------------------------------------------------------------------ walk

    def sentence(self, sent_no: int, sent: Span) -> None:
        self.sent_no = sent_no
        i = sent.start
        while i < sent.end:
            draft = self._at(i, sent)
            if draft is None:
                i += 1
                continue
            for d in draft if isinstance(draft, list) else [draft]:
                self.drafts.append((sent_no, d))
            last = draft[-1] if isinstance(draft, list) else draft
            i = max(i + 1, last.end)

    def _at(self, i: int, sent: Span) -> _Draft | list[_Draft] | None:
        doc = self.doc
        if i in self.hits:
            hit = self.hits[i]
            if hit.kinds == {"person"}:
                return self._person(i, hit.end, hit.cands, None, None)
            return self._actor(i, hit, sent)
        if i in self.sectors:
            end, sp = self.sectors[i]
            k = i - 1  # "the Ruritanian defence minister": a determiner before the modifiers
            while k > sent.start and k > i - 3 and doc[k].pos_ in {"ADJ", "PROPN"}:
                k -= 1
            titled = doc[i].text[:1].isupper() or (k >= sent.start and doc[k].lower_ == "the")
            if sp.office is not None and titled:
                return self._office(i, end, sp, None)
            return None
        if i in self.ents:
            ent = self.ents[i]
            if ent.label_ == "PERSON":
                return self._person(i, ent.end, (), None, None)
            country = self.org_country.get(i)
            return _Draft(
                i,
                ent.end,
                "organisation",
                None,
                country,
                None,
                country,
                "unresolved",
                CONF["unresolved"],
            )
        return self._pair(i, sent)

    def _next(self, j: int, *, adjectives: bool = True) -> int:
        """Skip a possessive and up to two modifiers ("Russia's top", "the British senior")."""
        doc = self.doc
        if j < len(doc) and doc[j].text in _TITLE_SKIP:
            j += 1
        if adjectives:
            for _ in range(2):
                if (
                    j < len(doc)
                    and doc[j].pos_ == "ADJ"
                    and j not in self.sectors
                    and j not in self.hits
                ):
                    j += 1
        return j

    def _actor(self, i: int, hit: _Hit, sent: Span) -> _Draft | None:
        doc = self.doc
        cand = _pick(hit.cands)
        j = self._next(hit.end)
        base = self._base(i, hit, cand)
        if hit.kinds == {"country"}:
            titled = self._titled_person(hit.end, base)
            if titled is not None:
                return titled
        if j in self.sectors:
            end, sp = self.sectors[j]
            if sp.office is not None:
                return self._office(i, end, sp, base)
            base.end, base.sector = end, sp.sector
            base.code = compose(base.code, sp.sector) if base.code else None
            return base
        if j < len(doc) and doc[j].lower_ in _COUNTERPART and hit.kinds == {"country"}:
            return self._counterpart(i, j + 1, base)
        if hit.kinds != {"country"}:
            return base  # organisations and armed groups act wherever they are named
        prev = doc[i - 1].lower_ if i > sent.start else ""
        if prev == "the" and i - 1 > sent.start:
            prev = doc[i - 2].lower_
        nxt = doc[hit.end] if hit.end < len(doc) else None
        possessive = nxt is not None and nxt.text in _TITLE_SKIP
        if cand.via == "adjective":
            return self._adjective(base, hit, nxt)
        if cand.via == "capital":
            base.via = "metonym"
            base.conf = CONF["capital"]
            if prev in _CAPITAL_LOCATIVE or not (possessive or self._acts(hit.end, i)):
                return None
            return base
        if prev in {"of", "from"}:
            return self._sector_in(i, base)
        if prev in _LOCATIVE:
            # "troops in Estonia" may well be British troops: a location, not the sector's owner.
            return None
        if cand.via == "metonym" or possessive:
            return base
        if (
            prev == ","
            and i >= 2
            and doc[i - 2].ent_type_ in {"GPE", "LOC"}
            and not any(s <= i - 2 < h.end for s, h in self.hits.items())
        ):
            return None  # "Kramatorsk, Ukraine": a place's country
        if nxt is not None and nxt.pos_ == "NOUN" and j not in self.sectors:
            return None  # "the Ukraine war": a modifier, not an actor
        return base

    def _sector_in(self, i: int, base: _Draft) -> _Draft | None:
        """ "the army of Chad", "police from Guinea": that country's sector."""
        p = i - 2 if i >= 2 and self.doc[i - 1].lower_ == "the" else i - 1
        for start, (end, sp) in self.sectors.items():
            if end == p and sp.office is None:
                return replace(
                    base,
                    start=start,
                    sector=sp.sector,
                    code=compose(base.code, sp.sector) if base.code else None,
                )
        return None

    def _titled_person(self, k: int, base: _Draft) -> _Draft | None:
        """ "Palestinian leader Yasser Arafat": a country adjective, title words, then a name."""
        doc = self.doc
        sector = None
        for _ in range(5):
            if k in self.sectors:
                end, sp = self.sectors[k]
                if sp.office is not None:
                    return None  # "British Defence Secretary John Healey": _office's case
                sector, k = sp.sector, end
            elif k in self.hits or k in self.ents or k >= len(doc):
                break
            elif doc[k].pos_ in {"PROPN", "NOUN"}:
                k += 1
            else:
                return None
        if k == base.end:
            return None
        if k in self.hits and self.hits[k].kinds == {"person"}:
            person = self._person(k, self.hits[k].end, self.hits[k].cands, None, None)
            return replace(person, start=base.start)
        if k in self.ents and self.ents[k].label_ == "PERSON":
            person = self._person(k, self.ents[k].end, (), None, None)
            code = compose(base.code, sector) if base.code and sector else base.code
            if person.id is None and person.via != "coreference":
                person = replace(
                    person, country=base.country, code=code, via="title", conf=CONF["title"]
                )
            return replace(person, start=base.start)
        return None

    def _acts(self, j: int, i: int) -> bool:
        """Is a capital an actor: followed by a verb ("Moscow said") or the object of one?"""
        doc = self.doc
        k = j
        while k < len(doc) and (
            (doc[k].pos_ in {"ADV", "CCONJ", "PUNCT"} and doc[k].text != ".") or k in self.hits
        ):
            k = self.hits[k].end if k in self.hits else k + 1
        if k < len(doc) and doc[k].pos_ in {"VERB", "AUX"}:
            return True
        prev = doc[i - 1] if i > 0 else None
        return prev is not None and prev.pos_ == "VERB" and not prev.lower_.startswith(_MOTION)

    def _adjective(self, base: _Draft, hit: _Hit, nxt: object) -> _Draft | None:
        doc = self.doc
        tok = doc[base.start]
        if tok.tag_ in {"NNS", "NNPS"}:  # "Britons", "the Russians said"
            return base
        if (
            nxt is not None
            and doc[hit.end].lower_ in {"and", ",", "or"}
            and hit.end + 1 in self.hits
        ):
            base.adjective = True  # "Hungarian and Romanian officials": sector comes later
            base.conf = CONF["demonym_noun"]
            return base
        j = self._next(hit.end)
        if j < len(doc) and doc[j].pos_ == "NOUN":
            # "Palestinian youths", "a British militant": people or things of that country.
            base.end = j + 1
            base.conf = CONF["demonym_noun"]
            return base
        return None

    def _base(self, i: int, hit: _Hit, cand: Candidate) -> _Draft:
        actor = self.t.actors[cand.actor_id]
        ambiguous = len({c.actor_id for c in hit.cands}) > 1
        code = self.t.code_at(actor.id, self.published, cand.sector)
        via = "metonym" if cand.via in {"capital", "metonym"} else cand.via
        return _Draft(
            i,
            hit.end,
            actor.kind,
            actor.id,
            code,
            None,
            actor.country,
            via,
            CONF.get(cand.via, CONF["alias"]),
            hit.cands if ambiguous else (),
            cand.sector,
        )

    # ------------------------------------------------------------------ "the two allies"

    def _pair(self, i: int, sent: Span) -> list[_Draft] | None:
        doc = self.doc
        low = doc[i].lower_
        if low == "the" and i + 2 < sent.end and doc[i + 1].lower_ == "two":
            end = i + 3
        elif low == "both" and i + 1 < sent.end:
            end = i + 2
        else:
            return None
        if doc[end - 1].lower_ not in _PAIR_NOUNS:
            return None
        sent_no = self.sent_no
        countries: list[str] = []
        for s, d in reversed(self.drafts):
            if s < sent_no - 1:
                break
            if d.country and d.type in {"country", "person"} and d.country not in countries:
                countries.append(d.country)
        if len(countries) != 2:
            return [
                _Draft(i, end, "country", None, None, None, None, "coreference", CONF["unresolved"])
            ]
        return [
            _Draft(i, end, "country", c, c, None, c, "coreference", CONF["coreference"])
            for c in countries
        ]

    # ------------------------------------------------------------------ end of article

    def finish(self) -> list[Mention]:
        drafts = self.drafts
        for n, (_, d) in enumerate(drafts):
            if d.adjective:
                self._share_sector(n)
        known = {d.id for _, d in drafts if d.id is not None and not d.cands}
        known |= {p for k in list(known) if (a := self.t.get(k)) and (p := a.parent)}
        out: list[Mention] = []
        text: str = self.doc.text  # Doc.text is rebuilt from the tokens on every access
        for sent_no, d in drafts:
            if d.cands:
                d = self._disambiguate(d, known)
            start = self.doc[d.start].idx
            end = self.doc[d.end - 1].idx + len(self.doc[d.end - 1])
            out.append(
                Mention(
                    start,
                    end,
                    text[start:end],
                    d.type,
                    d.id,
                    d.code,
                    d.role,
                    d.country,
                    sentence=sent_no,
                    confidence=d.conf,
                    via=d.via,
                )
            )
        return _unknown_people_coreference(out)

    def _share_sector(self, n: int) -> None:
        """ "Hungarian and Romanian officials": the sector after the last adjective is everyone's."""
        d = self.drafts[n][1]
        for _, later in self.drafts[n + 1 : n + 4]:
            if later.type == "country" and not later.adjective:
                if later.sector is not None and later.start - d.end <= 1:
                    d.sector = later.sector
                    d.code = compose(d.code, later.sector) if d.code else None
                    d.conf = CONF["adjective"]
                return
            d = later

    def _disambiguate(self, d: _Draft, known: set[str]) -> _Draft:
        """Brussels: the EU if the article names the EU; a surname: the person named in full."""
        ids = list(dict.fromkeys(c.actor_id for c in d.cands))
        fit = [a for a in ids if a in known]
        if len(fit) != 1 and self.published is not None:
            when = self.published
            fit = [a for a in ids if self.t.actors[a].kind == "person" and self.t.role_at(a, when)]
        if len(fit) != 1:
            return replace(
                d, id=None, code=None, country=None, role=None, cands=(), conf=CONF["unresolved"]
            )
        cand = next(c for c in d.cands if c.actor_id == fit[0])
        actor = self.t.actors[fit[0]]
        code = self.t.code_at(actor.id, self.published, cand.sector)
        role = None
        if actor.kind == "person" and self.published is not None:
            r = self.t.role_at(actor.id, self.published)
            role = r.office if r else None
        return replace(
            d,
            type=actor.kind,
            id=actor.id,
            code=code,
            role=role,
            country=actor.country,
            cands=(),
            via="context",
            conf=CONF["context"],
        )


def _pick(cands: tuple[Candidate, ...]) -> Candidate:
    """The candidate whose phrase says most: one with a sector (Pentagon -> MIL) before a bare one."""
    return max(cands, key=lambda c: (c.sector is not None, c.via == "name"))


# Confidence of a surname resolved to an unlisted person the article introduced with a title.
UNKNOWN_PERSON_COREF_CONFIDENCE = 0.8


def _unknown_people_coreference(mentions: list[Mention]) -> list[Mention]:
    """Carry the office of a person the actor file does not list ("Lithuania's defence minister
    Ona Petrauskiene") to the later bare mentions of the surname ("Petrauskiene said")."""
    titled: dict[str, Mention] = {}
    out: list[Mention] = []
    for m in mentions:
        if m.type == "person" and m.id is None and m.code is not None:
            name = m.text.split()
            if name:
                titled[name[-1].lower()] = m
            out.append(m)
            continue
        words = m.text.removesuffix("’s").removesuffix("'s").split()
        key = words[-1].lower() if words else ""
        source = titled.get(key) if m.id is None and m.code is None else None
        if source is None:
            out.append(m)
            continue
        out.append(
            replace(
                m,
                type="person",
                code=source.code,
                role=source.role,
                country=source.country,
                confidence=UNKNOWN_PERSON_COREF_CONFIDENCE,
                via="coreference",
            )
        )
    return out
