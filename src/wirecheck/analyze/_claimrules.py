"""Rules of the claims stage that read attribution, quotation and hedging off tagged tokens.

Works on the analyze stage's reduced spaCy pipeline (tags, entities, sentences; no parse): the
parser runs on event sentences only, and attribution in news follows a handful of fixed shapes
that tags are enough to see:

* trailing: ``..., X said (on Wednesday).`` / ``..., said X, a senior fellow at Y.``
* leading: ``X said (on Thursday) (that) ...`` / ``X told a briefing in Moscow that ...``
* ``according to X`` before or after the claim, where X is a person, a body or a document;
* quotes: a claim inside quotation marks takes the speaker named after (or before) the marks,
  also when the quote spans several sentences or paragraphs.

The word lists are data (``data/claims/lexicon.yaml``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from spacy.tokens import Span, Token

from wirecheck.errors import SettingsError
from wirecheck.models import Mention

LEXICON_FILE = Path(__file__).parent / "data" / "claims" / "lexicon.yaml"
ACTOR_TYPES = frozenset(("country", "organisation", "person", "group"))
_OPEN_QUOTES = "“«„"
_CLOSE_QUOTES = "”»"
_BOUNDARY = {",", ";", ":", "—", "–", "(", ")", *_OPEN_QUOTES, *_CLOSE_QUOTES, '"', "''", "``"}
_FINITE = {"VBD", "VBZ", "VBP", "MD"}
_AUX = frozenset(
    (
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "has",
        "have",
        "had",
        "will",
        "would",
        "'ll",
        "did",
        "does",
        "do",
        "also",
        "later",
        "then",
        "previously",
        "earlier",
        "repeatedly",
        "again",
        "separately",
        "even",
        "recently",
        "publicly",
        "privately",
        "once",
        "has",
    )
)
_PRONOUNS = frozenset(("he", "she", "they", "it", "we", "i"))
_SPEAKER_STOP = frozenset(
    (
        "of",
        "at",
        "for",
        "from",
        "in",
        "with",
        "by",
        "on",
        "who",
        "which",
        "whose",
        "that",
        "to",
        "under",
        "near",
        "about",
    )
)
_DETERMINERS = frozenset(("the", "this", "that", "these", "those", "its", "their", "his", "her"))
_MAX_SPEAKER = 16
#: Anonymous sources whose head noun says what they do ("a NATO official" -> role "official").
_ROLE_NOUNS = frozenset(
    (
        "official",
        "officials",
        "spokesperson",
        "spokesman",
        "spokeswoman",
        "diplomat",
        "diplomats",
        "analyst",
        "analysts",
        "expert",
        "experts",
        "economist",
        "economists",
        "officer",
        "officers",
        "aide",
        "aides",
        "adviser",
        "advisers",
        "advisor",
        "commander",
        "negotiator",
        "investigators",
        "researchers",
        "scientists",
        "doctors",
        "witness",
        "witnesses",
        "trader",
        "traders",
        "resident",
        "residents",
        "soldier",
        "soldiers",
        "employee",
        "employees",
        "lawmakers",
    )
)


@dataclass(frozen=True)
class ClaimLexicon:
    """The word lists of ``lexicon.yaml``, compiled."""

    reporting: frozenset[str]
    document: frozenset[str]
    anonymous: frozenset[str]
    institution: frozenset[str]
    anonymity: re.Pattern[str]
    hedges: re.Pattern[str]
    boilerplate: re.Pattern[str]

    @classmethod
    def load(cls, path: Path | None = None) -> ClaimLexicon:
        return _load_lexicon(str(path or LEXICON_FILE))


@lru_cache(maxsize=4)
def _load_lexicon(path: str) -> ClaimLexicon:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        words = {
            key: [str(w).lower() for w in data[key]]
            for key in (
                "reporting_verbs",
                "document_nouns",
                "anonymous_nouns",
                "institution_nouns",
                "anonymity_phrases",
                "hedges",
                "boilerplate_patterns",
            )
        }
        boiler = re.compile("|".join(f"(?:{p})" for p in data["boilerplate_patterns"]), re.I)
    except (OSError, KeyError, TypeError, yaml.YAMLError, re.error) as exc:
        raise SettingsError(
            f"cannot read the claims lexicon {path}: {exc}", hint="reinstall wirecheck"
        ) from exc
    return ClaimLexicon(
        reporting=frozenset(words["reporting_verbs"]),
        document=frozenset(words["document_nouns"]),
        anonymous=frozenset(words["anonymous_nouns"]),
        institution=frozenset(words["institution_nouns"]),
        anonymity=_phrases(words["anonymity_phrases"]),
        hedges=_phrases(words["hedges"]),
        boilerplate=boiler,
    )


def _phrases(items: Sequence[str]) -> re.Pattern[str]:
    # Longest first: at one position the alternation takes the first alternative that matches.
    ordered = sorted(set(items), key=len, reverse=True)
    return re.compile(
        r"\b(?:" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered) + r")\b"
    )


# ------------------------------------------------------------------------------ quotations


def quote_spans(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, closed) of every double-quoted stretch of ``text`` (marks excluded).

    Curly quotes pair by direction; straight quotes alternate. A quote still open at a paragraph
    break ends there with ``closed`` False: the newsroom convention for a quotation that goes on
    in the next paragraph (which opens with a fresh mark and no closing one before it).
    """
    spans: list[tuple[int, int, bool]] = []
    start = -1
    for i, ch in enumerate(text):
        if ch == "\n" and start >= 0 and text.startswith("\n\n", i):
            spans.append((start, i, False))
            start = -1
        elif ch in _OPEN_QUOTES or (ch == '"' and start < 0):
            if start >= 0:  # a new opening mark: the previous quote was never closed
                spans.append((start, i, False))
            start = i + 1
        elif (ch in _CLOSE_QUOTES or ch == '"') and start >= 0:
            spans.append((start, i, True))
            start = -1
    if start >= 0:
        spans.append((start, len(text), False))
    return spans


def quoted_share(start: int, end: int, spans: Sequence[tuple[int, int, bool]], text: str) -> float:
    """The share of the letters and digits of ``text[start:end]`` that are inside quotes."""
    total = sum(1 for ch in text[start:end] if ch.isalnum())
    if not total:
        return 0.0
    inside = 0
    for a, b, _ in spans:
        lo, hi = max(a, start), min(b, end)
        if lo < hi:
            inside += sum(1 for ch in text[lo:hi] if ch.isalnum())
    return inside / total


def in_quote(pos: int, spans: Sequence[tuple[int, int, bool]]) -> bool:
    return any(a <= pos < b for a, b, _ in spans)


# ----------------------------------------------------------------------------- attribution


@dataclass
class Attribution:
    """Who a unit's claim is attributed to, and where the claim's own words are."""

    kind: str  # named, unnamed, document, none
    text: str | None = None
    actor: str | None = None
    role: str | None = None
    clause_start: int = -1  # the attribution clause (speaker + verb), body offsets
    clause_end: int = -1
    content_start: int = -1  # the claim's words once a leading/trailing clause is cut
    content_end: int = -1
    pronoun: bool = False
    person: bool = False  # the speaker is a person (for resolving a later "he"/"she")


def _is_verb(t: Token, lex: ClaimLexicon) -> bool:
    return t.lower_ in lex.reporting and t.tag_.startswith("VB")


def _strip_speaker(tokens: list[Token]) -> list[Token]:
    """Drop aux/adverbs before the verb ("are saying", "said later") and a trailing date
    ("Russia on Thursday said")."""
    while tokens and (tokens[-1].lower_ in _AUX or tokens[-1].tag_ in ("RB", "MD")):
        tokens = tokens[:-1]
    while tokens and (tokens[-1].ent_type_ in ("DATE", "TIME") or tokens[-1].is_punct):
        tokens = tokens[:-1]
        while tokens and tokens[-1].ent_type_ in ("DATE", "TIME"):
            tokens = tokens[:-1]
        if tokens and tokens[-1].lower_ in ("on", "in", "at", "late", "early"):
            tokens = tokens[:-1]
    return tokens


def _valid_speaker(tokens: list[Token]) -> bool:
    """A noun phrase, possibly with an appositive or relative clause; no main verb of its own."""
    if not tokens or len(tokens) > _MAX_SPEAKER:
        return False
    if not any(t.tag_.startswith(("NN", "PRP")) or t.ent_type_ for t in tokens):
        return False
    if tokens[0].tag_ in ("WDT", "WP", "WP$", "CC", "IN", "TO") or tokens[0].tag_.startswith("VB"):
        return False  # "..., which Russia says", "..., and said": not a speaker phrase
    for t in tokens:
        if t.text in (",", "—", "–") or t.tag_ in ("WP", "WDT", "WP$"):
            return True  # anything after is an appositive or relative clause
        if t.tag_ in _FINITE or t.text in (";", ":") or t.text in _OPEN_QUOTES + _CLOSE_QUOTES:
            return False
    return True


def _head(tokens: Sequence[Token]) -> Token | None:
    """The head noun of a speaker phrase: the last noun before a comma, preposition, relative
    pronoun or participle ("a schedule released by ..." -> schedule)."""
    head = None
    for t in tokens:
        if t.text in (",", "—", "–", "(") or t.lower_ in _SPEAKER_STOP or t.tag_ in ("VBN", "VBG"):
            if head is not None:
                break
            continue
        if t.tag_.startswith(("NN", "PRP")) or t.lower_ in ("many", "some", "others"):
            head = t
    return head


def _mentions_in(start: int, end: int, mentions: Sequence[Mention]) -> list[Mention]:
    return [m for m in mentions if m.type in ACTOR_TYPES and start <= m.start < end]


def classify(
    tokens: Sequence[Token],
    mentions: Sequence[Mention],
    lex: ClaimLexicon,
    *,
    extra: str = "",
    persons: frozenset[str] = frozenset(),
) -> Attribution:
    """Named, unnamed or document, with the source's words, actor code and role.

    ``extra`` is the rest of the attribution clause ("said on condition of anonymity");
    ``persons`` the words of person names in the article, so that a bare surname ("Kjellberg
    said", which NER may take for an organisation) is known for a person."""
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    text = tokens[0].doc.text[start:end]
    low = text.lower()
    found = _mentions_in(start, end, mentions)
    actor = next((m.code for m in found if m.code), None)
    person = next((m for m in found if m.type == "person" and m.code is not None), None)
    names = [t for t in tokens if t.ent_type_ == "PERSON"]
    head = _head(tokens)
    att = Attribution("unnamed", text, actor, None, start, end)
    if head is not None and head.lower_ in _PRONOUNS and len(tokens) <= 2:
        att.pronoun = True
        return att
    role = _role(tokens, names, person, head)
    att.role = role
    if lex.anonymity.search(low) or lex.anonymity.search(extra.lower()):
        return att
    if head is not None and head.lower_ in lex.document:
        att.kind, att.role = "document", None
        return att
    surname = head is not None and head.tag_ == "NNP" and head.text in persons
    if names or surname or (person is not None and any(t.tag_ == "NNP" for t in tokens)):
        att.kind, att.person = "named", True
        return att
    if head is not None and head.lower_ in lex.anonymous:
        return att
    if head is not None and (head.tag_ in ("NNP", "NNPS") or head.ent_type_ in ("ORG", "GPE")):
        att.kind = "named"
        return att
    if head is not None and head.lower_ in lex.institution:
        before = [t for t in tokens if t.i < head.i]
        definite = any(t.lower_ in _DETERMINERS or t.tag_ == "POS" for t in before)
        if definite or actor is not None:
            att.kind = "named"
            # "the ministry said": the body named earlier ("Lithuania's defence ministry").
            att.actor = actor or _earlier_actor(head.lower_, start, mentions)
            return att
    if actor is not None:
        att.kind = "named"
    return att


def _earlier_actor(word: str, before: int, mentions: Sequence[Mention]) -> str | None:
    earlier = [m for m in mentions if m.code and m.start < before and word in m.text.lower()]
    return max(earlier, key=lambda m: m.start).code if earlier else None


def _role(
    tokens: Sequence[Token], names: Sequence[Token], person: Mention | None, head: Token | None
) -> str | None:
    if person is not None and person.role:
        return person.role.replace("_", " ")
    if names:
        first = names[0].i
        # "Lithuania's defence minister Ona P." -> the lower-case words right before the name.
        before = [t for t in tokens if t.i < first]
        if before and before[-1].text == ",":  # "Latvia's energy minister, Māris Lūsis"
            before = before[:-1]
        words: list[str] = []
        for t in reversed(before):
            if (
                t.is_alpha
                and t.lower_ not in _DETERMINERS
                and (
                    t.is_lower or (t.is_title and not t.ent_type_)  # "Foreign Minister X"
                )
            ):
                words.insert(0, t.lower_)
            else:
                break
        if words:
            return " ".join(words)
        # "Ingrid Solheim, a senior fellow at the Nordkap Institute" -> the appositive.
        after = [t for t in tokens if t.i > names[-1].i]
        if len(after) >= 2 and after[0].text == ",":
            rest = [t for t in after[1:] if t.text not in (",",)]
            if rest and rest[0].lower_ in ("a", "an", "the"):
                rest = rest[1:]
            if rest:
                return tokens[0].doc.text[rest[0].idx : rest[-1].idx + len(rest[-1].text)]
        return None
    if head is not None and head.lower_ in _ROLE_NOUNS:
        return head.lower_
    return None


def find_attribution(
    sent: Span,
    start: int,
    end: int,
    lex: ClaimLexicon,
    mentions: Sequence[Mention],
    quotes: Sequence[tuple[int, int, bool]],
    persons: frozenset[str] = frozenset(),
) -> Attribution:
    """The attribution inside the unit ``[start, end)`` (body offsets) of sentence ``sent``."""
    tokens = [t for t in sent if start <= t.idx < end and not t.is_space]
    if not tokens:
        return Attribution("none")
    n = len(tokens)
    for k, t in enumerate(tokens):
        if t.lower_ == "according" and k + 1 < n and tokens[k + 1].lower_ == "to":
            att = _according(tokens, k, lex, mentions, persons)
            if att is not None:
                return att
    verbs = [
        k
        for k, t in enumerate(tokens)
        if _is_verb(t, lex) and not in_quote(t.idx, quotes) and not _passive(tokens, k)
    ]
    # A trailing clause ("..., Duvernoy told a briefing.") is the surer reading of the two.
    for k in verbs:
        att = _trailing(tokens, k, lex, mentions, persons)
        if att is not None:
            return att
    for k in verbs:
        att = _leading(tokens, k, lex, mentions, persons)
        if att is not None:
            return att
    return Attribution("none")


def _passive(tokens: Sequence[Token], k: int) -> bool:
    """ "have been declared persona non grata", "is said to": not a speaker's report."""
    if tokens[k].tag_ != "VBN":
        return False  # "are saying" is progressive, not passive
    j = k - 1
    while j >= 0 and tokens[j].tag_ in ("RB", "RBR"):
        j -= 1
    return j >= 0 and tokens[j].lower_ in (
        "be",
        "been",
        "being",
        "is",
        "are",
        "was",
        "were",
        "'s",
        "'re",
    )


def _span_end(t: Token) -> int:
    return t.idx + len(t.text)


def _according(
    tokens: list[Token],
    k: int,
    lex: ClaimLexicon,
    mentions: Sequence[Mention],
    persons: frozenset[str],
) -> Attribution | None:
    j = k + 2
    src: list[Token] = []
    while j < len(tokens) and tokens[j].text not in _BOUNDARY and not tokens[j].is_sent_end:
        if tokens[j].is_punct and tokens[j].text in ".!?":
            break
        src.append(tokens[j])
        j += 1
    src = src[:_MAX_SPEAKER]
    if not src:
        return None
    att = classify(src, mentions, lex, persons=persons)
    att.clause_start, att.clause_end = tokens[k].idx, _span_end(src[-1])
    if k == 0 or (k == 1 and tokens[0].is_punct):
        rest = tokens[j + 1 :] if j < len(tokens) and tokens[j].text == "," else tokens[j:]
        if rest:
            att.content_start, att.content_end = rest[0].idx, _span_end(tokens[-1])
    elif tokens[k - 1].text == "," and (j >= len(tokens) or tokens[j].text in ".!?"):
        att.content_start, att.content_end = tokens[0].idx, tokens[k - 1].idx
    return att


def _trailing(
    tokens: list[Token],
    k: int,
    lex: ClaimLexicon,
    mentions: Sequence[Mention],
    persons: frozenset[str],
) -> Attribution | None:
    """``..., X said (on Wednesday).`` / ``...,” said X, a fellow at Y.``"""
    if k < 2:
        return None
    # The rightmost boundary (comma, closing quote) left of the verb; the content ends at the
    # first mark of that run (',”' / '”,').
    b = k - 1
    while b >= 0 and tokens[b].text not in _BOUNDARY:
        b -= 1
    if b < 1:
        return None
    speaker_from = b + 1
    while b > 0 and tokens[b - 1].text in _BOUNDARY:
        b -= 1
    content_end = tokens[b].idx
    rest = tokens[k + 1 :]
    tail = " ".join(t.text for t in rest)
    if speaker_from == k:
        # Inverted: "..., said Ingrid Solheim, a senior fellow at ..."
        speaker = [t for t in rest if not (t.is_punct and t.text in ".!?")][:_MAX_SPEAKER]
        if not speaker or not (
            speaker[0].tag_.startswith(("NN", "DT", "JJ"))
            or speaker[0].lower_ in ("he", "she", "they")
        ):
            return None
        if not _valid_speaker(speaker):
            return None
        att = classify(speaker, mentions, lex, persons=persons)
        att.clause_start = tokens[k].idx
        clause_end = _span_end(speaker[-1])
    else:
        raw = tokens[speaker_from:k]
        speaker = _strip_speaker(raw)
        if not _valid_speaker(speaker) or _negated(raw[len(speaker) :]):
            return None
        # Nothing but an addressee or adjuncts may follow the verb: "announced the drills"
        # is a clause of the content, not an attribution.
        if rest and not (
            rest[0].is_punct
            or rest[0].tag_ in ("IN", "RB", "RBR", "TO", "RP")
            or tokens[k].lower_ in ("told", "tells", "tell")
        ):
            return None
        att = classify(speaker, mentions, lex, extra=tail, persons=persons)
        att.clause_start = speaker[0].idx
        clause_end = _span_end(tokens[k])
        # The clause runs to the next boundary ("said on Wednesday, in what ...").
        for t in rest:
            if t.text in _BOUNDARY or (t.is_punct and t.text in ".!?"):
                break
            clause_end = _span_end(t)
    att.clause_end = clause_end
    after = [t for t in tokens if t.idx >= clause_end and not t.is_punct]
    if not after:
        att.content_start, att.content_end = tokens[0].idx, content_end
    return att


def _negated(tokens: Sequence[Token]) -> bool:
    """ "It did not say how many": a denied or withheld statement is not an attribution."""
    return any(t.lower_ in ("not", "n't", "never") for t in tokens)


def _leading(
    tokens: list[Token],
    k: int,
    lex: ClaimLexicon,
    mentions: Sequence[Mention],
    persons: frozenset[str],
) -> Attribution | None:
    """``X said (on Thursday) (that) ...`` / ``X told a briefing that ...``"""
    first = 1 if tokens[0].text in _OPEN_QUOTES + '"' else 0
    raw = tokens[first:k]
    speaker = _strip_speaker(raw)
    if not _valid_speaker(speaker) or _negated(raw[len(speaker) :]):
        return None
    closed = raw[-1].text in (",", "—", "–")  # "A spokesperson, who asked not to be named, said"
    if not (closed or speaker[-1].tag_.startswith(("NN", "PRP")) or speaker[-1].ent_type_):
        return None  # "..., who announced X on Wednesday, rejected": the verb of a relative
    rest = tokens[k + 1 :]
    att = classify(
        speaker, mentions, lex, extra=" ".join(t.text for t in rest[:8]), persons=persons
    )
    att.clause_start, att.clause_end = speaker[0].idx, _span_end(tokens[k])
    start = 0
    that = next(
        (
            i
            for i, t in enumerate(rest[:10])
            if t.lower_ == "that" and t.tag_ in ("IN", "WDT", "DT")
        ),
        None,
    )
    if that is not None and not any(t.tag_ in _FINITE for t in rest[:that]):
        start = that + 1
    elif tokens[k].lower_ in ("told", "tells", "tell"):
        return att if rest else None  # "X told reporters in Riga." with nothing reported
    while start < len(rest) and rest[start].text in (":", ",", "—"):
        start += 1
    if start < len(rest):
        if start:
            att.clause_end = _span_end(rest[start - 1])
        att.content_start, att.content_end = rest[start].idx, _span_end(tokens[-1])
    return att
