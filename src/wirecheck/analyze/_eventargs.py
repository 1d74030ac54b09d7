"""Event arguments: who acts on whom in one parsed sentence, for the event extractor.

Private to :mod:`wirecheck.analyze.events` (split out to keep modules small). It holds the event
draft record and the argument half of the per-sentence state: the actor codes and text of a noun
phrase, source and target selection off the parse (subjects through control verbs, passives,
objects, nominal triggers), pronoun and possessive resolution, the split of a coordinated source
pair, the nearest-actor fallback target, events as subjects, and demands reported in speech.
Modality, attribution, the classifier's event and the final coding stay in ``events``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from wirecheck.analyze._eventrules import (
    ACTOR_ENTS,
    OBJ_PREPS,
    SUBJ,
    TriggerDictionary,
    child,
    conjuncts,
    core_span,
    dateline_end,
    governors,
    is_verb,
    path_to,
    phrase_span,
    prep_object,
)
from wirecheck.analyze.cameo import CameoCode
from wirecheck.models import Mention

ACTOR_TYPES = {"country", "organisation", "person", "group"}
#: Types the gold sets code in both directions when the actors act together with no target.
RECIPROCAL = {"CONSULT", "AGREE", "COOPERATE", "SUPPORT"}
_CLAUSES = {"relcl", "acl", "advcl", "ccomp", "appos"}
#: Categories whose target is often a place or a thing ("attacked an army camp"): a generic
#: object is kept rather than replaced by the nearest name (PLV train: full match 0.461 -> 0.466).
_PLACE_TARGETS = {"ASSAULT"}
_PRONOUNS = {"it", "they", "he", "she", "we", "its", "their", "his", "her", "our"}
#: Dependents that are part of their head's noun phrase.
_INSIDE_NP = {"compound", "amod", "poss", "det", "case", "flat", "nmod", "nummod"}


#: Reporting verbs: a sentence whose main verb is one of these reports an event, it is not one.
_REPORTING_FORMS = frozenset((
    "say", "says", "said", "saying", "tell", "tells", "told", "telling",
    "add", "adds", "added", "state", "states", "stated",
))  # fmt: skip


@dataclass
class _Arg:
    """One side of an event: actor codes and the text of the noun phrase."""

    codes: list[str]
    text: str | None
    parts: list[tuple[tuple[str, ...], str]]  # (codes, text) per conjunct: reciprocal events
    named: bool = False  # codes come from actor mentions, not generic nouns ("police")


@dataclass
class _Draft:
    code: CameoCode
    head: Token
    tokens: tuple[int, ...]
    source: _Arg
    target: _Arg
    negated: bool = False
    modality: str = "reported"
    attributed_to: str | None = None
    depth: int = 0
    confidence: float = 0.5
    governor: _Draft | None = None
    target_i: int = -1
    source_i: int = -1


class _Arguments:
    """The argument rules over one parsed candidate sentence; ``events._Sentence`` adds the rest."""

    def __init__(
        self,
        triggers: TriggerDictionary,
        sent: Span,
        parsed: Doc,
        mentions: Sequence[Mention],
    ) -> None:
        self.triggers = triggers
        self._src_tok: Token | None = None
        self.sent = sent
        self.parsed = parsed
        base = sent.start_char
        self.dateline = dateline_end(parsed)
        self.trigger_tokens: set[int] = set()
        self.mention_of: dict[int, Mention] = {}
        for m in mentions:
            if m.type not in ACTOR_TYPES or not (sent.start_char <= m.start < sent.end_char):
                continue
            for t in parsed:
                a = base + t.idx
                if a < m.end and m.start < a + len(t.text):
                    self.mention_of[t.i] = m

    def _codes(self, start: int, end: int) -> list[str]:
        codes: list[str] = []
        for i in range(start, end):
            m = self.mention_of.get(i)
            if m is not None and m.code and m.code not in codes:
                codes.append(m.code)
        if not codes:
            for i in range(start, end):
                g = self.triggers.generic.get(self.parsed[i].lower_)
                if g and self.parsed[i].tag_.startswith("NN"):
                    codes.append(g)
                    break
        return codes

    def arg(self, t: Token | None) -> _Arg:
        if t is None:
            return _Arg([], None, [])
        if t.lower_ in ("who", "which", "that") and t.head.dep_ == "relcl":
            t = t.head.head
        start, end = core_span(t)
        parts = []
        for c in conjuncts(t):
            s, e = core_span(c) if c.i != t.i else (c.left_edge.i, c.i + 1)
            codes = self._codes(max(s, start), min(e, end) if c.i == t.i else e)
            if codes:
                parts.append((tuple(codes), self.parsed[s:e].text))
        lo, hi = phrase_span(t)
        if t.i >= self.dateline:
            lo = max(lo, self.dateline)  # "KABUL - A Taliban attack": the dateline is no actor
        text = self.parsed[lo:hi].text
        codes = self._codes(start, end)
        named = any(i in self.mention_of for i in range(start, end))
        if not named:
            # "four navies, from Arnor and Gondor": the actors are in a modifier of the head.
            inner = [x.i for x in t.subtree if not any(a.dep_ in _CLAUSES for a in path_to(x, t))]
            more = self._codes(min(inner), max(inner) + 1) if inner else []
            if any(i in self.mention_of for i in inner):
                codes, named = [c for c in more if c not in self.triggers.generic.values()], True
        return _Arg(codes, text, parts, named)

    def resolve_pronoun(self, t: Token | None) -> Token | None:
        """ "Arnor denied that it attacked": a pronoun subject is the subject of a clause above;
        so is a possessive one ("Arnor continued its attacks")."""
        if t is None or t.tag_ not in ("PRP", "PRP$") or t.lower_ not in _PRONOUNS:
            return t
        for g, _ in governors(t.head):
            s = self._subj(g)
            if s is not None and s.tag_ not in ("PRP", "PRP$") and s.i != t.i:
                return s
        return t

    def _subj(self, h: Token) -> Token | None:
        """The subject of ``h``, never a dateline ("KABUL (Pajhwok): Ghani has held ...")."""
        for c in h.children:
            if c.dep_ in SUBJ and c.i >= self.dateline:
                return c
        return None

    def _subject(self, h: Token) -> tuple[Token | None, Token | None]:
        """(source, passive target) tokens of verb ``h``, inherited through control verbs."""
        subj = self._subj(h)
        passive = child(h, "nsubjpass")
        if passive is not None:
            return prep_object(h, ("by",)), passive
        if subj is not None:
            return subj, None
        if h.dep_ in ("xcomp", "conj", "advcl") and h.head.i != h.i:
            g = h.head
            if h.dep_ == "xcomp":
                obj = child(g, "dobj")
                if obj is not None and g.lower_ not in ("plan", "plans", "planned"):
                    return obj, None
            return self._subject(g)[0], None
        if h.dep_ == "relcl":
            return h.head, None
        if h.dep_ == "pcomp" and h.head.lower_ in ("of", "for"):
            # "accused Japan of massing troops": the accused is the one who acts.
            owner = h.head.head
            if is_verb(owner):
                return child(owner, "dobj"), None
            return owner, None
        if h.dep_ in ("acl",):
            return None, h.head
        return None, None

    def _object(self, h: Token) -> Token | None:
        obj = child(h, "dobj", "dative")
        if obj is not None:
            if not self._has_actor(obj):
                inner = prep_object(obj, (*OBJ_PREPS, "of"))
                if inner is not None and self._has_actor(inner):
                    return inner
                alt = prep_object(h, OBJ_PREPS)
                if alt is not None and self._has_actor(alt):
                    return alt
            return obj
        return prep_object(h, OBJ_PREPS)

    def _named(self, t: Token, *, wide: bool = False) -> bool:
        """A named actor is in ``t``'s noun phrase (not a generic noun: "troops", "company")."""
        s, e = phrase_span(t) if wide else core_span(t)
        return any(
            i in self.mention_of or self.parsed[i].ent_type_ in ACTOR_ENTS for i in range(s, e)
        )

    def _has_actor(self, t: Token, *, wide: bool = False) -> bool:
        s, e = phrase_span(t) if wide else core_span(t)
        return bool(self._codes(s, e)) or any(x.ent_type_ in ACTOR_ENTS for x in self.parsed[s:e])

    def _fallback_target(self, d: _Draft) -> None:
        """No actor among the target's words: the gold sets code the nearest other actor
        named in the sentence (after the trigger first), not the thing acted on."""
        if d.target.text:
            t = self.parsed[d.target_i]
            if d.code.label in _PLACE_TARGETS:
                return
            # "a military base in Lamu county" is the target; "a ceasefire in Somalia" (a trigger
            # word) or "its troops from Iraq" (a generic actor) give way to the name.
            abstract = t.i in self.trigger_tokens or t.lower_ in self.triggers.generic
            if not abstract and self._named(t, wide=True):
                return
        src = set(range(*core_span(self._src_tok))) if self._src_tok is not None else set()
        cands: list[Token] = []
        for t in self.parsed:
            if not (t.i in self.mention_of or t.ent_type_ in ACTOR_ENTS) or t.i in src:
                continue
            # A name inside a noun phrase stands for the phrase ("Saudi Arabia's King Salman",
            # "The New York Times"): climb to the phrase's head.
            while t.dep_ in _INSIDE_NP and t.head.i != t.i and t.head.tag_.startswith("NN"):
                t = t.head
            if t.dep_ in ("nsubj", "nsubjpass") and t.head.lower_ in _REPORTING_FORMS:
                continue  # "..., the foreign ministry said": who reports it, not who is acted on
            if t.i not in src and t.i not in d.tokens and t not in cands:
                cands.append(t)
        if not cands:
            return
        after = [t for t in cands if t.i > d.head.i]
        d.target = self.arg((after or cands)[0])

    def _split_pair(self, d: _Draft, src: Token | None, tgt: Token | None) -> bool:
        """ "Syria and Israel have fired across the line": with no actor acted on, the gold sets
        code a pair of coordinated sources as the first acting on the second. Joint categories
        (RECIPROCAL) are coded both ways later, from the source's parts."""
        if src is None or len(conjuncts(src)) != 2 or len(d.source.parts) != 2:
            return False
        if tgt is not None and self._has_actor(tgt, wide=True):
            return False
        if d.code.label in RECIPROCAL:
            d.target = _Arg([], None, [])
            return True
        (a, at), (b, bt) = d.source.parts
        d.source = _Arg(list(a), at, [(a, at)], d.source.named)
        d.target = _Arg(list(b), bt, [(b, bt)], d.source.named)
        return True

    def _nominal(self, h: Token, label: str) -> tuple[Token | None, Token | None]:
        src = child(h, "poss") or prep_object(h, ("by",))
        if src is None:
            for c in h.children:
                if c.dep_ in ("compound", "amod", "nmod") and c.i in self.mention_of:
                    src = c
                    break
                if c.dep_ == "acl" and src is None:
                    src = prep_object(c, ("by",))  # "the manoeuvres held by Russia"
        tgt = prep_object(h, ("against", "on", "with", "toward", "towards", "into", "between"))
        of = prep_object(h, ("of",))
        if of is not None and self._has_actor(of):
            # "a massing of Russian tanks" (the of-phrase acts) / "the expulsion of two diplomats".
            if label in ("MOBILIZE", "YIELD", "PROTEST", "ASSAULT") and src is None:
                src = of
            elif tgt is None:
                tgt = of
        if src is None and h.dep_ in ("dobj", "pobj") and is_verb(h.head):
            src = self._subject(h.head)[0]
            if tgt is None:
                tgt = prep_object(h.head, ("with", "against"))
        return src, tgt

    def _demand(self, d: _Draft) -> None:
        """ "Arnor said Gondor must withdraw": the speaker demands, of the clause's subject (PLV
        train: 9 of 9 such REQUEST sentences code it so)."""
        h = d.head
        if not any(c.dep_ == "aux" and c.lower_ in ("must", "should") for c in h.children):
            return
        if h.dep_ != "ccomp" or not self.triggers.cue("speech", h.head.lower_):
            return
        speaker, subject = self._subj(h.head), child(h, "nsubj", "nsubjpass")
        if speaker is None or subject is None or subject.tag_ in ("PRP", "PRP$"):
            return
        d.source, d.target = self.arg(speaker), self.arg(subject)
        d.attributed_to = None

    def _event_subjects(self, drafts: Sequence[_Draft]) -> None:
        """ "A Taliban attack on the compound killed 20 troops": when a verb's subject is an event
        of the same category with a named actor and a target of its own, that event's actors are
        the verb's (not so for an actor noun that is also a trigger: "fighters")."""
        heads = {d.head.i: d for d in drafts}
        for d in drafts:
            n = heads.get(d.source_i)
            if (
                n is None
                or n is d
                or n.code.label != d.code.label
                or not n.source.named
                or not n.target.text
                or n.head.lower_ in self.triggers.generic
            ):
                continue
            d.source = n.source
            d.target, d.target_i = n.target, n.target_i
