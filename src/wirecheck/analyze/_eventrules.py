"""Rules under the event extractor: the trigger dictionary and the dependency-parse helpers.

The dictionary is ``data/triggers.yaml`` (syntax in its header). Parse helpers work on one parsed
sentence (a spaCy Doc) and spaCy's English dependency labels (ClearNLP style: nsubj, dobj, xcomp,
ccomp, agent, pobj, poss, neg, aux ...).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from spacy.tokens import Doc, Token

from wirecheck.analyze.cameo import CameoTable
from wirecheck.errors import SettingsError

# Not in data/ itself: every *.yaml there is read as an actor file.
TRIGGER_FILE = Path(__file__).parent / "data" / "events" / "triggers.yaml"
_MAX_GAP = 3
_GAP_STOP = {",", ";", ":", "(", ")", "—", "–"}


@dataclass(frozen=True)
class _Element:
    words: frozenset[str]
    stems: tuple[str, ...]

    def matches(self, word: str) -> bool:
        return word in self.words or any(word.startswith(s) for s in self.stems)


@dataclass(frozen=True)
class Pattern:
    code: str
    text: str
    elements: tuple[_Element | None, ...]  # None is a gap
    head: int  # index of the head among the non-gap elements

    @property
    def size(self) -> int:
        return sum(e is not None for e in self.elements)


@dataclass(frozen=True)
class TriggerMatch:
    """A pattern matched on tokens ``tokens`` (the non-gap ones); ``head`` is one of them."""

    code: str
    pattern: str
    tokens: tuple[int, ...]
    head: int
    size: int


def _element(spec: str) -> _Element:
    words: set[str] = set()
    stems: list[str] = []
    for alt in spec.split("|"):
        if alt.endswith("*") and len(alt) > 1:
            stems.append(alt[:-1])
        else:
            words.add(alt)
    return _Element(frozenset(words), tuple(stems))


def compile_pattern(code: str, text: str) -> Pattern:
    elements: list[_Element | None] = []
    head = 0
    n = 0
    for part in text.lower().split():
        if part == "*":
            elements.append(None)
            continue
        if part.startswith("^"):
            head, part = n, part[1:]
        elements.append(_element(part))
        n += 1
    if n == 0 or elements[0] is None or elements[-1] is None:
        raise SettingsError(f"triggers.yaml: bad pattern {text!r} for {code}")
    return Pattern(code, text, tuple(elements), head)


class TriggerDictionary:
    """All trigger patterns plus the cue lists and generic actor nouns of ``triggers.yaml``."""

    def __init__(self, data: dict[str, Any], codes: CameoTable) -> None:
        self.patterns: list[Pattern] = []
        for code, texts in (data.get("codes") or {}).items():
            code = str(code)
            if code not in codes or not codes.get(code).plover:
                raise SettingsError(f"triggers.yaml: {code} is not a CAMEO code with a PLOVER type")
            self.patterns += [compile_pattern(code, str(t)) for t in texts]
        cues = data.get("cues") or {}
        self.cues: dict[str, tuple[str, ...]] = {k: tuple(map(str, v)) for k, v in cues.items()}
        self.generic: dict[str, str] = {
            str(k): str(v) for k, v in (data.get("generic_actors") or {}).items()
        }
        # First-element index: exact words, and stems checked by prefix.
        # Stems are bucketed by their first three letters so a word is only tested against the
        # stems that can match it (testing all of them was a tenth of the analyze stage's time).
        self._by_word: dict[str, list[Pattern]] = {}
        self._by_stem: dict[str, list[tuple[str, Pattern]]] = {}
        self._short_stems: list[tuple[str, Pattern]] = []
        for p in self.patterns:
            first = p.elements[0]
            assert first is not None
            for w in first.words:
                self._by_word.setdefault(w, []).append(p)
            for stem in first.stems:
                if len(stem) >= 3:
                    self._by_stem.setdefault(stem[:3], []).append((stem, p))
                else:
                    self._short_stems.append((stem, p))

    @classmethod
    def load(cls, codes: CameoTable, path: Path | None = None) -> TriggerDictionary:
        file = path or TRIGGER_FILE
        try:
            data = yaml.safe_load(file.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise SettingsError(f"cannot read the trigger dictionary {file}: {exc}") from exc
        if not isinstance(data, dict):
            raise SettingsError(f"{file}: expected a mapping")
        return cls(data, codes)

    def cue(self, kind: str, word: str) -> bool:
        return any(word.startswith(s) for s in self.cues.get(kind, ()))

    def find(self, words: Sequence[str]) -> list[TriggerMatch]:
        """Every pattern match over lower-cased ``words`` (overlaps included)."""
        out: list[TriggerMatch] = []
        for i, w in enumerate(words):
            cands = list(self._by_word.get(w, ()))
            stems = self._by_stem.get(w[:3], ())
            cands += [p for s, p in stems if w.startswith(s)]
            cands += [p for s, p in self._short_stems if w.startswith(s)]
            for p in cands:
                got = _match(p.elements, words, i)
                if got is not None:
                    out.append(TriggerMatch(p.code, p.text, got, got[p.head], p.size))
        return out


def _match(
    elements: Sequence[_Element | None], words: Sequence[str], i: int
) -> tuple[int, ...] | None:
    """Token indices of the non-gap elements matched from ``i`` (gaps match lazily)."""
    el = elements[0]
    if el is None:
        for k in range(0, _MAX_GAP + 1):
            if i + k > len(words):
                return None
            if k and words[i + k - 1] in _GAP_STOP:
                return None
            got = _match(elements[1:], words, i + k)
            if got is not None:
                return got
        return None
    if i >= len(words) or not el.matches(words[i]):
        return None
    if len(elements) == 1:
        return (i,)
    rest = _match(elements[1:], words, i + 1)
    return None if rest is None else (i, *rest)


def select(matches: Iterable[TriggerMatch]) -> list[TriggerMatch]:
    """Non-overlapping matches: more words first, then the more specific code."""
    taken: set[int] = set()
    out: list[TriggerMatch] = []
    for m in sorted(matches, key=lambda m: (-m.size, -len(m.code), m.tokens[0])):
        if taken.isdisjoint(m.tokens):
            taken.update(m.tokens)
            out.append(m)
    return sorted(out, key=lambda m: m.tokens[0])


# ------------------------------------------------------------------------------ parse helpers

_NOT_ACTORS = {"DATE", "TIME", "CARDINAL", "PERCENT", "MONEY", "QUANTITY", "ORDINAL"}
SUBJ = {"nsubj", "csubj", "expl"}
OBJ_PREPS = (
    "against",
    "on",
    "with",
    "to",
    "at",
    "toward",
    "towards",
    "into",
    "over",
    "for",
    "from",
)
_CUT = {"relcl", "acl", "advcl", "punct", "appos", "prep", "parataxis", "advmod", "dep"}
_DETS = {"the", "a", "an", "its", "their", "his", "her"}


def is_verb(t: Token) -> bool:
    return t.pos_ in ("VERB", "AUX") or t.tag_.startswith("VB")


def child(t: Token, *deps: str) -> Token | None:
    for c in t.children:
        if c.dep_ in deps:
            return c
    return None


def prep_object(t: Token, preps: Sequence[str]) -> Token | None:
    """The object of ``t``'s first preposition in ``preps`` (in that order of preference)."""
    found = {c.lower_: c for c in t.children if c.dep_ in ("prep", "agent", "dative")}
    for p in preps:
        prep = found.get(p)
        if prep is not None:
            obj = child(prep, "pobj")
            if obj is not None and obj.ent_type_ not in _NOT_ACTORS:
                return obj
    return None


def conjuncts(t: Token) -> list[Token]:
    """``t`` and the words coordinated with it ("Arnor and Gondor")."""
    out = [t]
    for c in t.children:
        if c.dep_ == "conj":
            out += conjuncts(c)
    return out


def core_span(t: Token) -> tuple[int, int]:
    """Token range [start, end) of the noun phrase headed by ``t``: its left modifiers, the head,
    compound names and coordinated heads, without clauses, appositions or (most) prepositions."""
    keep = [t.i]
    for c in t.children:
        if c.dep_ == "conj":
            s, e = core_span(c)
            keep += [s, e - 1]
        elif c.i < t.i and c.dep_ not in _CUT:
            keep += [x.i for x in c.subtree]
        elif c.i > t.i and c.dep_ in ("compound", "flat", "nummod", "cc"):
            keep.append(c.i)
        elif c.i > t.i and c.dep_ == "prep" and c.lower_ in ("of", "to") and _short_name(c):
            # "the foreign minister of Arnor", "forces loyal to Arnor": the phrase names who.
            keep += [x.i for x in c.subtree]
        elif c.i > t.i and c.dep_ == "amod" and len(list(c.subtree)) <= 6:
            keep += [x.i for x in c.subtree]
    return _trimmed(t.doc, min(keep), max(keep) + 1)


def _trimmed(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """[start, end) without leading determiners or punctuation and trailing punctuation (one
    token is always kept)."""
    while start < end - 1 and (doc[start].lower_ in _DETS or doc[start].is_punct):
        start += 1
    while end - 1 > start and doc[end - 1].is_punct:
        end -= 1
    return start, end


#: Dependents cut from a phrase's text, at any depth: clauses, appositions and punctuation.
_TEXT_CUT = {"relcl", "acl", "advcl", "appos", "punct", "parataxis"}
_TIME_ENTS = {"DATE", "TIME"}


def phrase_span(t: Token) -> tuple[int, int]:
    """Token range [start, end) of the text the gold sets give for an actor or target: the core
    noun phrase plus its prepositional modifiers ("a military base in Lamu county in Kenya",
    "dozens of demonstrators in Yerevan"), without clauses, appositions or dates at any depth. On
    the PLV train split, given the gold head token, this span reaches token-F1 >= 0.5 on 94.1% of
    the targets (core_span: 89.2%) and 97.2% of the sources (95.1%)."""
    start, end = core_span(t)
    keep = [start, end - 1]
    for c in t.children:
        if c.i > t.i and c.dep_ not in _TEXT_CUT and c.dep_ not in ("cc", "conj"):
            keep += _phrase_tokens(c)
    return _trimmed(t.doc, min(keep), max(keep) + 1)


def _phrase_tokens(t: Token) -> list[int]:
    if t.dep_ == "prep" and any(x.ent_type_ in _TIME_ENTS for x in t.subtree):
        return []  # "on Sunday": when, not who
    out = [t.i]
    for c in t.children:
        if c.dep_ not in _TEXT_CUT:
            out += _phrase_tokens(c)
    return out


ACTOR_ENTS = {"ORG", "GPE", "NORP", "PERSON"}


def _short_name(prep: Token) -> bool:
    sub = list(prep.subtree)
    return len(sub) <= 6 and any(x.ent_type_ in ACTOR_ENTS for x in sub)


def governors(t: Token) -> Iterable[tuple[Token, str]]:
    """The clause heads above ``t`` (through xcomp, ccomp, conj, advcl ...) up to the root."""
    cur = t
    while cur.head.i != cur.i:
        yield cur.head, cur.dep_
        cur = cur.head


def words_of(doc: Doc) -> list[str]:
    return [t.lower_.replace("’", "'") for t in doc]


def path_to(x: Token, top: Token) -> list[Token]:
    """The tokens from ``x`` up to (not including) ``top`` in the dependency tree."""
    out = []
    while x.i != top.i and x.head.i != x.i:
        out.append(x)
        x = x.head
    return out


def root_of(t: Token) -> Token:
    """The root of the dependency tree ``t`` is in."""
    while t.head.i != t.i:
        t = t.head
    return t


_DATELINE_SEPS = {"-", "--", "—", "–", ":", "):"}


def dateline_end(doc: Doc) -> int:
    """Index of the first token after a dateline ("MOSCOW --", "JERUSALEM (AP) --",
    "Tehran, March 15, IRNA -"), or 0: the place names there are no actors of the event."""
    for t in doc[:12]:
        if t.text in _DATELINE_SEPS and t.i > 0:
            head = [x for x in doc[: t.i] if x.is_alpha]
            caps = bool(head) and head[0].is_upper and len(head[0].text) > 1
            place = any(x.ent_type_ == "GPE" for x in doc[: t.i])
            verb = any(is_verb(x) for x in doc[: t.i])
            return t.i + 1 if (caps or place) and not verb else 0
    return 0
