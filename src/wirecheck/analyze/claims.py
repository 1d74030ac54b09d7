"""Claims: the check-worthy factual assertions of an article, with who says so and how.

For every sentence of the analysed document (split further at paragraph breaks, which the
sentence splitter sometimes runs over) the extractor

1. drops what is not an assertion: questions, calls to action (a sentence opening with a bare
   verb: "Share this", "Do your own research"), verbless fragments ("Tanks. Warships."),
   agency and page furniture ("(Reporting by ...)", "did not respond to a request for comment");
2. scores the rest with the check-worthiness model (:mod:`wirecheck.analyze.checkworthy`, one
   batched call per article) and keeps a sentence when the model says so, or says so at a lower
   bar and the sentence carries a cue (a number, a date, a coded event, reported speech);
3. reads the attribution (:mod:`wirecheck.analyze._claimrules`): named, unnamed ("officials
   said", "sources say"), document ("according to a statement") or none (the article's own
   voice); resolves "she said" to the last named speaker; gives a sentence inside a quotation the
   speaker named where the quotation closes (or opens, or the previous quotation's speaker);
   Hearsay from an unnamed source about a named actor or place ("sources say Russia ...") is
   kept whatever the model says;
4. marks direct quotes (the claim's words are inside quotation marks), paraphrase (attributed,
   not quoted) or none, the hedges ("reportedly", "might", "sources say"), the actor codes named
   in the sentence and the events coded from it.

A claim's ``text`` (and ``start``/``end``) is the asserted content: a leading or trailing
attribution clause ("..., the ministry said.") and the dateline are cut off, so that claims of
different articles compare on what they assert.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span

from wirecheck.analyze._claimrules import (
    ACTOR_TYPES,
    Attribution,
    ClaimLexicon,
    find_attribution,
    quote_spans,
    quoted_share,
)
from wirecheck.analyze.checkworthy import CheckworthyModel, factual_cue
from wirecheck.models import Claim, DateMention, Event, Mention

__all__ = ["ClaimExtractor", "find_claims"]

#: A claim is a direct quote when at least this share of its letters is inside quotation marks
#: (a partly quoted paraphrase - 'called the drills a “provocation”' - is not).
DIRECT_SHARE = 0.6
_MIN_WORDS = 4
_NUMBER_ENTS = frozenset(("CARDINAL", "QUANTITY", "PERCENT", "MONEY"))
_DATE_ENTS = frozenset(("DATE", "TIME"))
# "VILNIUS, Oct 14 (BWS) - " / "PARIS (Continental Press Agency) - " / "PARIS: "
_DATELINE = re.compile(
    r"^[A-Z][A-Z .'’-]+(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?\s*(?:\([^)]{1,40}\))?\s*[-–—:]\s+"
)
_STRIP_HEAD = ' \t\n“”"‘’«»(—–-,;:'
_STRIP_TAIL = ' \t\n“”"‘’«»,;:—–-'


@dataclass(frozen=True)
class Unit:
    """One candidate claim: a sentence, or the part of one between paragraph breaks."""

    sentence: int
    start: int
    end: int
    text: str  # the string the model scores (the sentence's own text when the unit is whole)


class ClaimExtractor:
    """Build once per process (the check-worthiness model and the lexicon); safe to reuse.

    ``model`` None keeps every unit that passes the rule filters, with checkworthiness 0.5: for
    tests of the attribution rules, which must not move when the model is retrained.
    """

    def __init__(self, model: CheckworthyModel | None, lexicon: ClaimLexicon | None = None) -> None:
        self.model = model
        self.lexicon = lexicon or ClaimLexicon.load()

    # ------------------------------------------------------------------ candidates

    def units(self, doc: Doc) -> list[Unit]:
        """The candidate units of ``doc``: the sentences (split at paragraph breaks) that are
        not questions, calls to action, fragments or furniture."""
        text: str = doc.text
        out = []
        for i, sent in enumerate(doc.sents):
            pieces = _pieces(text, sent.start_char, sent.end_char)
            whole = len(pieces) == 1
            for a, b in pieces:
                if self._assertion(sent, a, b, text):
                    out.append(Unit(i, a, b, sent.text if whole else text[a:b]))
        return out

    def _assertion(self, sent: Span, start: int, end: int, text: str) -> bool:
        tokens = [t for t in sent if start <= t.idx < end and not t.is_space]
        words = [t for t in tokens if t.is_alpha or t.like_num]
        if len(words) < _MIN_WORDS or not any(
            t.tag_.startswith("VB") or t.tag_ == "MD" for t in tokens
        ):
            return False
        body = text[start:end].rstrip(_STRIP_TAIL + ".!")
        if text[start:end].rstrip(' \n”"’»)').endswith("?") or body.endswith("?"):
            return False
        first = next((t for t in tokens if not t.is_punct), None)
        if first is not None and first.tag_ in ("VB", "VBP"):
            # A statement opens with its subject; a bare verb is a call to action ("Share this
            # before it gets deleted", "Do your own research"); questions went above.
            return False
        if first is not None and first.lower_ in ("please", "let", "let's"):
            return False
        content = _DATELINE.sub("", text[start:end]) if start == 0 else text[start:end]
        return not self.lexicon.boilerplate.search(content)

    # ------------------------------------------------------------------ extraction

    def extract(
        self,
        doc: Doc,
        *,
        article_id: str,
        mentions: Sequence[Mention] = (),
        dates: Sequence[DateMention] = (),
        events: Sequence[Event] = (),
        units: Sequence[Unit] | None = None,
    ) -> list[Claim]:
        """The claims of ``doc`` (the reduced pipeline's doc of the article body)."""
        units = self.units(doc) if units is None else units
        if not units:
            return []
        text: str = doc.text
        sents = list(doc.sents)
        scores = self.model.predict([u.text for u in units]) if self.model is not None else None
        quotes = quote_spans(text)
        persons = frozenset(
            [m.text.split()[-1] for m in mentions if m.type == "person" and m.text.split()]
            + [e[-1].text for e in doc.ents if e.label_ == "PERSON"]
        )
        own = [
            find_attribution(
                sents[u.sentence], u.start, u.end, self.lexicon, mentions, quotes, persons
            )
            for u in units
        ]
        speakers = _Speakers(mentions, persons, [sent.start_char for sent in sents])
        out: list[Claim] = []
        for k, u in enumerate(units):
            att = speakers.resolve(own[k], u.start)
            if att.kind == "none":
                att = _from_quote(k, units, own, quotes, text, speakers) or att
            linked = [
                j
                for j, e in enumerate(events)
                if e.sentence == u.sentence and u.start <= e.trigger_start < u.end
            ]
            if att.kind == "none":
                att = _from_events(linked, events, u, mentions) or att
            speakers.update(k, att, u.start)
            ents = [e for e in doc.ents if u.start <= e.start_char < u.end]
            in_dates = [(d.start, d.end) for d in dates if u.start <= d.start < u.end]
            in_dates += [(e.start_char, e.end_char) for e in ents if e.label_ in _DATE_ENTS]
            start, end = _content(u, att, text)
            claim_text = text[start:end]
            # A number that is not part of a date ("on March 14, 2025" is a date, not a number).
            numbers = any(e.label_ in _NUMBER_ENTS for e in ents) or _has_number(
                text, start, end, in_dates
            )
            dated = bool(in_dates)
            cue = bool(linked) or numbers or dated or att.kind != "none" or factual_cue(claim_text)
            p = 0.5 if scores is None else scores[k]
            hedges = self._hedges(text[u.start : u.end])
            # Hearsay about a named actor or place ("many people are saying the exercise will
            # start on the border with Poland") is what a fact-checker wants to see, and the
            # model, trained on debates, has hardly met it: kept whatever the score.
            hearsay = att.kind == "unnamed" and bool(hedges) and _names_something(u, mentions)
            if self.model is not None and not (hearsay or self.model.is_checkworthy(p, cue=cue)):
                continue
            share = quoted_share(start, end, quotes, text)
            quote = (
                "direct"
                if share >= DIRECT_SHARE
                else ("paraphrase" if att.kind != "none" else "none")
            )
            kind = "event" if linked else "number" if numbers else ("date" if dated else "state")
            out.append(
                Claim(
                    id=f"{article_id}:{len(out)}",
                    sentence=u.sentence,
                    start=start,
                    end=end,
                    text=claim_text,
                    kind=kind,
                    checkworthiness=round(float(p), 4),
                    attribution=att.kind,
                    attributed_to=att.text if att.kind != "none" else None,
                    attributed_actor=att.actor if att.kind != "none" else None,
                    attributed_role=att.role if att.kind != "none" else None,
                    quote=quote,
                    hedges=hedges,
                    actors=_actors(u, mentions),
                    events=tuple(linked),
                )
            )
        return out

    def _hedges(self, text: str) -> tuple[str, ...]:
        # "May" the month is not "may" the modal.
        low = re.sub(r"(?<!^)(?<![.!?]\s)\bMay\b", "MONTH", text).lower()
        found: list[str] = []
        for m in self.lexicon.hedges.finditer(low):
            phrase = " ".join(m.group(0).split())
            if phrase not in found:
                found.append(phrase)
        return tuple(found)


def find_claims(
    doc: Doc,
    extractor: ClaimExtractor,
    *,
    article_id: str,
    mentions: Sequence[Mention] = (),
    dates: Sequence[DateMention] = (),
    events: Sequence[Event] = (),
    units: Sequence[Unit] | None = None,
) -> list[Claim]:
    """The claims of one analysed article (see :class:`ClaimExtractor`).

    ``doc`` is the analyze stage's doc of the article body (tags, entities, sentences);
    ``mentions``, ``dates`` and ``events`` are what the stage found in it, so claims link to
    them. ``units`` may pass :meth:`ClaimExtractor.units` when the caller already computed them.
    """
    return extractor.extract(
        doc, article_id=article_id, mentions=mentions, dates=dates, events=events, units=units
    )


# ---------------------------------------------------------------------------------- helpers


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``[start, end)`` split at line breaks, each piece trimmed of surrounding white space."""
    out = []
    pos = start
    for m in re.finditer(r"\n+", text[start:end]):
        out.append((pos, start + m.start()))
        pos = start + m.end()
    out.append((pos, end))
    trimmed = []
    for a, b in out:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            trimmed.append((a, b))
    return trimmed


def _content(u: Unit, att: Attribution, text: str) -> tuple[int, int]:
    """The claim's own words: the unit without a leading/trailing attribution or dateline."""
    start, end = u.start, u.end
    if att.content_start >= 0 and u.start <= att.content_start < att.content_end <= u.end:
        start, end = att.content_start, att.content_end
    if start == 0:
        m = _DATELINE.match(text[start:end])
        if m:
            start += m.end()
    while start < end and text[start] in _STRIP_HEAD:
        start += 1
    while end > start and text[end - 1] in _STRIP_TAIL:
        end -= 1
    return (start, end) if start < end else (u.start, u.end)


def _has_number(text: str, start: int, end: int, dates: Sequence[tuple[int, int]]) -> bool:
    return any(
        not any(a <= m.start() + start < b for a, b in dates)
        for m in re.finditer(r"\d", text[start:end])
    )


def _names_something(u: Unit, mentions: Sequence[Mention]) -> bool:
    return any(u.start <= m.start < u.end and (m.code or m.id) for m in mentions)


def _actors(u: Unit, mentions: Sequence[Mention]) -> tuple[str, ...]:
    codes: list[str] = []
    for m in mentions:
        if m.type in ACTOR_TYPES and m.code and u.start <= m.start < u.end and m.code not in codes:
            codes.append(m.code)
    return tuple(codes)


def _from_events(
    linked: Sequence[int], events: Sequence[Event], u: Unit, mentions: Sequence[Mention]
) -> Attribution | None:
    """The event coder's "X said that ..." reading ("Russia condemned ... and said its fleet
    would ..."), when it names an actor of this sentence."""
    for j in linked:
        code = events[j].attributed_to
        if not code:
            continue
        for m in mentions:
            if m.code == code and m.type in ACTOR_TYPES and u.start <= m.start < u.end:
                return Attribution(
                    "named",
                    m.text,
                    code,
                    m.role.replace("_", " ") if m.role else None,
                    person=m.type == "person",
                )
    return None


def _from_quote(
    k: int,
    units: Sequence[Unit],
    own: Sequence[Attribution],
    quotes: Sequence[tuple[int, int, bool]],
    text: str,
    speakers: _Speakers,
) -> Attribution | None:
    """A unit inside a quotation takes the speaker of the quotation: named where the marks close
    ('... safe,” she said.'), else where they open ('She said: “...'), else the speaker of the
    previous quotation of the paragraph (or of the last paragraph when its quote ran on)."""
    u = units[k]
    if quoted_share(u.start, u.end, quotes, text) < DIRECT_SHARE:
        return None
    span = next((q for q in quotes if q[0] < u.end and u.start < q[1]), None)
    if span is None:
        return None
    qs, qe, closed = span
    for j, v in enumerate(units):
        if j == k or own[j].kind == "none":
            continue
        if closed and v.start <= qe < v.end and own[j].clause_start >= qe:
            return _inherit(speakers.resolve(own[j], v.start))
        if v.start <= qs - 1 < v.end and 0 <= own[j].clause_end <= qs:
            return _inherit(speakers.resolve(own[j], v.start))
    para = _paragraph(text, u.start)
    for j in range(k - 1, -1, -1):
        v = units[j]
        p = _paragraph(text, v.start)
        if p < para - 1:
            break
        if p == para - 1 and not _runs_on(text, v.end, quotes):
            break
        prev = speakers.seen.get(j)
        if (
            prev is not None
            and prev.kind != "none"
            and quoted_share(v.start, v.end, quotes, text) > 0
        ):
            return _inherit(prev)
    return None


def _inherit(att: Attribution) -> Attribution:
    if att.kind == "none" or att.pronoun:
        return att
    return replace(att, content_start=-1, content_end=-1, clause_start=-1, clause_end=-1)


def _paragraph(text: str, pos: int) -> int:
    return text.count("\n\n", 0, pos)


def _runs_on(text: str, pos: int, quotes: Sequence[tuple[int, int, bool]]) -> bool:
    """Whether the paragraph around ``pos`` ends inside a quotation that was never closed."""
    end = text.find("\n\n", pos)
    end = len(text) if end < 0 else end
    return any(not closed and b == end for _, b, closed in quotes)


class _Speakers:
    """The named speakers so far, for "she said" and for quotations that run on."""

    def __init__(
        self, mentions: Sequence[Mention], persons: frozenset[str], sent_starts: Sequence[int]
    ) -> None:
        self.persons = persons
        self.people = sorted(
            (
                m
                for m in mentions
                if m.type == "person"
                or (m.type in ACTOR_TYPES and m.text.split() and m.text.split()[-1] in persons)
            ),
            key=lambda m: m.start,
        )
        self.starts = [m.start for m in self.people]
        self.sent_starts = list(sent_starts)
        self.last_person: Attribution | None = None
        self.last_person_at = -1
        self.last_body: Attribution | None = None
        self.roles: dict[str, str] = {}
        self.seen: dict[int, Attribution] = {}

    def resolve(self, att: Attribution, at: int) -> Attribution:
        """``att`` with a pronoun speaker replaced by its referent (``at``: the unit's start)."""
        if not att.pronoun:
            return self._with_role(att)
        word = (att.text or "").lower()
        ref = None
        if word in ("he", "she", "i"):
            # The last person who spoke, unless a person was named since as the subject of a
            # sentence ("Petrauskienė, who ..., rejected the accusation. “...,” she said.").
            ref, pos = self._subject_before(at)
            if self.last_person is not None and (ref is None or self.last_person_at >= pos):
                ref = self.last_person
        else:
            ref = self.last_body or self.last_person
        if ref is None:
            return replace(att, pronoun=False)
        return replace(
            ref,
            clause_start=att.clause_start,
            clause_end=att.clause_end,
            content_start=att.content_start,
            content_end=att.content_end,
            pronoun=False,
        )

    def _subject_before(self, pos: int) -> tuple[Attribution | None, int]:
        """The first person named in the last sentence that names one before ``pos``."""
        i = bisect.bisect_left(self.starts, pos) if pos >= 0 else 0
        if not i:
            return None, -1
        sentence = bisect.bisect_right(self.sent_starts, self.starts[i - 1])
        first = next(
            m for m in self.people[:i] if bisect.bisect_right(self.sent_starts, m.start) == sentence
        )
        role = first.role.replace("_", " ") if first.role else None
        return self._with_role(
            Attribution("named", first.text, first.code, role, person=True)
        ), first.start

    def _with_role(self, att: Attribution) -> Attribution:
        """A surname alone ("Voronova said") takes the role given with the full name before."""
        if att.kind != "named" or not att.person or att.role or not att.text:
            return att
        role = next((self.roles[w] for w in att.text.split() if w in self.roles), None)
        return replace(att, role=role) if role else att

    def update(self, index: int, att: Attribution, at: int) -> None:
        if att.kind == "named":
            if att.person:
                self.last_person, self.last_person_at = att, at
                for w in (att.text or "").split():
                    if att.role and w in self.persons:
                        self.roles.setdefault(w, att.role)
            else:
                self.last_body = att
        self.seen[index] = att
