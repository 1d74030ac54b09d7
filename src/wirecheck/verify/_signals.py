"""Credibility signal extractors: measurable cues of one article, each with the text behind it.

Everything here reads :class:`~wirecheck.models.Article` fields only (title, body, authors,
dateline, published, agency, notices, and the analyze stage's mentions, dates and claims), so the
same code measures an article in the pipeline and a labelled article in the training data.

Attribution, quotes and hedging are measured over the article's claims when the analyze stage
found some (``Article.claims``), otherwise over its sentences with the lexicon's cue phrases (the
fallback the shipped weights were trained with, since the training sets have no claim records).

The word lists live in ``data/credibility/lexicon.tsv`` and ``function_words.txt``.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from wirecheck.errors import SettingsError
from wirecheck.models import Article, Claim

__all__ = [
    "ARTICLE_FEATURES",
    "CLAIM_FEATURES",
    "Lexicon",
    "Measure",
    "Sentence",
    "article_measures",
    "claim_measures",
    "load_lexicon",
    "profile_counts",
    "profile_decision",
    "split_sentences",
]

LEXICON_FILES = ("lexicon.tsv", "function_words.txt")

#: The measured features of an article, in model order, with what each one measures.
ARTICLE_FEATURES: dict[str, str] = {
    "attribution.named": "share of statements attributed to a named source",
    "attribution.unnamed": "share of statements attributed to an unnamed source",
    "attribution.document": "share of statements attributed to a document",
    "quotes.direct": "share of statements that carry a direct quote",
    "specificity.people": "people named per 100 words",
    "specificity.places": "places and countries named per 100 words",
    "specificity.organisations": "organisations and groups named per 100 words",
    "specificity.dates": "dates per 100 words",
    "specificity.numbers": "numbers per 100 words",
    "hedging.hedged": "share of statements with a hedge (reportedly, might, ...)",
    "sensational.caps": "shouted (ALL CAPS) words per 100 words",
    "sensational.exclamations": "exclamation marks and ?? runs per sentence",
    "sensational.superlatives": "sensational words per 100 words",
    "sensational.clickbait": "clickbait phrases per 100 words",
    "title.unsupported": "share of the title's key terms the body never uses",
    "title.caps": "share of title words in ALL CAPS",
    "title.punctuation": "! and ? in the title",
    "title.sensational": "sensational words and clickbait phrases in the title",
    "title.length": "words in the title",
    "structure.byline": "the article names its author(s)",
    "structure.dateline": "the article has a dateline (PLACE, date -)",
    "structure.published": "the article has a publication date",
    "structure.agency": "the article credits a news agency or the outlet it republishes",
    "style.length": "log(1 + words in the body)",
    "style.sentence_length": "words per sentence",
    "style.word_length": "letters per word",
    "style.variety": "distinct words among the first 300 (type-token ratio)",
    "style.vague": "unnamed actors (they, people, everyone) per 100 words",
    "style.certainty": "sweeping words (always, never, clearly) per 100 words",
    "style.emotion": "emotionally loaded words per 100 words",
    "style.first_person": "first-person pronouns per 100 words",
    "style.second_person": "second-person address (you, your) per 100 words",
    "style.negation": "negations per 100 words",
    "style.modal": "modal verbs (will, would, could) per 100 words",
}
#: Features a single claim can take its own value for (see credibility.assess).
CLAIM_FEATURES = (
    "attribution.named",
    "attribution.unnamed",
    "attribution.document",
    "quotes.direct",
    "hedging.hedged",
)

_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’\-][^\W\d_])*")
_NUMBER = re.compile(
    r"(?<![\w.])\d[\d,.]*\d(?![\w])|(?<![\w.])\d(?![\w])|\b(?:two|three|four|five|six|seven|eight"
    r"|nine|ten|eleven|twelve|dozens?|hundreds?|thousands?|millions?|billions?|percent|per cent)\b",
    re.IGNORECASE,
)
_SHOUT_RUN = re.compile(r"\b[A-Z][A-Z'’]*[A-Z]\b(?:[ \t]+[A-Z][A-Z'’]*[A-Z]\b)+")
_SHOUT_ONE = re.compile(r"\b[A-Z][A-Z'’]{3,}[A-Z]\b")
_QUOTE = re.compile(r"[\"“«„]([^\"”»“]{12,})[\"”»]")
# A dateline opens the body: "VILNIUS, Oct 14 (BWS) -", "WASHINGTON (Reuters) -", "PARIS:".
_DATELINE = re.compile(
    r"^\s*([A-Z][A-Z.'’ -]{2,30}[A-Z.])(?:,\s*[A-Z][A-Za-z.]{2,9}\s+\d{1,2})?\s*(\([^()\n]{2,40}\))?"
    r"\s*[-–—:]\s"
)
_AGENCY_CREDIT = re.compile(
    r"^[^\n]{0,80}?\((?:AP|AFP|Reuters|UPI|dpa|ANSA|EFE|PAP|TASS|Xinhua"
    r"|Bloomberg|CNN|[A-Z]{2,5})\)\s*[-–—:]",
    re.MULTILINE,
)
_ABBREVIATIONS = frozenset(
    re.split(
        r"\s+",
        "mr mrs ms dr prof gen col lt maj capt sgt rep sen gov st jr sr inc ltd co corp no vs etc "
        "jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k e.g i.e",
    )
)


@dataclass(frozen=True)
class Measure:
    """One measured feature: its value and the text behind it (sentences, words or fields)."""

    value: float
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


_TEXT_WORD = re.compile(r"\w+")
_WORD_CHARS = frozenset("'’-")


@dataclass(frozen=True)
class Lexicon:
    """The compiled cue lists, indexed by each phrase's first word so that a text is scanned once
    for every category (one alternation regex per category was ~10x slower on long articles).
    ``sha256`` maps each data file to its hash."""

    by_first: Mapping[str, tuple[tuple[str, re.Pattern[str]], ...]]  # word -> (category, phrase)
    by_prefix: Mapping[str, tuple[tuple[str, re.Pattern[str]], ...]]  # "report*": prefix -> ...
    anywhere: tuple[tuple[str, re.Pattern[str]], ...]  # "*n't" phrases, searched in the text
    function_words: frozenset[str]
    sha256: Mapping[str, str]

    def scan(self, text: str) -> dict[str, list[tuple[int, int]]]:
        """Every category's matches in ``text`` as (start, end) spans; within a category the
        longest match wins and matches do not overlap."""
        out: dict[str, list[tuple[int, int]]] = {}
        for cat, rx in self.anywhere:
            out.setdefault(cat, []).extend(m.span() for m in rx.finditer(text))
        ends: dict[str, int] = {}
        lengths = sorted({len(k) for k in self.by_prefix})
        for word in _TEXT_WORD.finditer(text):
            start = word.start()
            if start and (text[start - 1].isalnum() or text[start - 1] in _WORD_CHARS):
                continue
            key = word.group(0).casefold()
            candidates = list(self.by_first.get(key, ()))
            for n in lengths:
                if len(key) >= n:
                    candidates.extend(self.by_prefix.get(key[:n], ()))
            best: dict[str, int] = {}
            for cat, rx in candidates:
                if ends.get(cat, -1) > start:
                    continue
                m = rx.match(text, start)
                if m and m.end() > best.get(cat, start):
                    best[cat] = m.end()
            for cat, end in best.items():
                out.setdefault(cat, []).append((start, end))
                ends[cat] = end
        return {cat: sorted(spans) for cat, spans in out.items()}

    def find(self, category: str, text: str) -> list[str]:
        return [text[a:b] for a, b in self.scan(text).get(category, [])]

    def has(self, category: str, text: str) -> bool:
        return bool(self.scan(text).get(category))


def _pattern(phrase: str) -> str:
    parts: list[str] = []
    for token in phrase.split():
        if token == "...":
            parts.append(r"(?:\s+[\w'’-]+){0,3}")
            continue
        body = re.sub("['’]", lambda _m: "['’]", re.escape(token.strip("*")))
        if token.endswith("*"):
            body += r"\w*"
        if token.startswith("*"):
            body = r"\w*" + body
        parts.append((r"\s+" if parts else "") + body)
    return "".join(parts) + r"(?![\w])"


def parse_lexicon(
    lines: Iterable[str], *, source: str = "lexicon"
) -> tuple[
    dict[str, tuple[tuple[str, re.Pattern[str]], ...]],
    dict[str, tuple[tuple[str, re.Pattern[str]], ...]],
    tuple[tuple[str, re.Pattern[str]], ...],
]:
    """Compile ``CATEGORY<TAB>PATTERN`` lines (see lexicon.tsv) into the three indexes of
    :class:`Lexicon`."""
    by_first: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    by_prefix: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    anywhere: list[tuple[str, re.Pattern[str]]] = []
    for number, raw in enumerate(lines, 1):
        line = raw.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        category, sep, phrase = line.partition("\t")
        category, phrase = category.strip(), phrase.strip()
        if not sep or not category or not phrase:
            raise SettingsError(f"{source} line {number}: expected CATEGORY<TAB>PATTERN: {line!r}")
        first = phrase.split()[0]
        rx = re.compile(_pattern(phrase), re.IGNORECASE)
        key = _TEXT_WORD.match(first.lstrip("*").replace("’", "'"))
        if first.startswith("*") or key is None:
            anywhere.append((category, re.compile(r"(?<![\w'’])" + rx.pattern, re.IGNORECASE)))
        elif first.endswith("*") and key.group(0) == first[:-1]:
            by_prefix.setdefault(key.group(0).casefold(), []).append((category, rx))
        else:
            by_first.setdefault(key.group(0).casefold(), []).append((category, rx))
    return (
        {k: tuple(v) for k, v in by_first.items()},
        {k: tuple(v) for k, v in by_prefix.items()},
        tuple(anywhere),
    )


def load_lexicon(directory: Path) -> Lexicon:
    """Read ``lexicon.tsv`` and ``function_words.txt`` from ``directory``."""
    hashes: dict[str, str] = {}
    texts: dict[str, str] = {}
    for name in LEXICON_FILES:
        path = directory / name
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise SettingsError(
                f"credibility lexicon file missing: {path}",
                hint="reinstall wirecheck or retrain the model",
            ) from exc
        hashes[name] = hashlib.sha256(data).hexdigest()
        texts[name] = data.decode("utf-8")
    by_first, by_prefix, anywhere = parse_lexicon(
        texts["lexicon.tsv"].splitlines(), source=str(directory / "lexicon.tsv")
    )
    words = frozenset(
        w.casefold().replace("’", "'")
        for line in texts["function_words.txt"].splitlines()
        if not line.lstrip().startswith("#")
        for w in line.split()
    )
    return Lexicon(by_first, by_prefix, anywhere, words, hashes)


# -- text helpers -------------------------------------------------------------------------------


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with their offsets: lines are split at . ! ? followed by a capital, a digit or an
    opening quote, except after common abbreviations and initials."""
    out: list[Sentence] = []
    for line in re.finditer(r"[^\n]+", text):
        chunk, base, start = line.group(0), line.start(), 0
        for m in re.finditer(r"[.!?]+[\"”’')\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])", chunk):
            before = chunk[start : m.start()].split()
            last = before[-1].casefold().rstrip(".") if before else ""
            if chunk[m.start()] == "." and (last in _ABBREVIATIONS or len(last) == 1):
                continue
            _add_sentence(out, chunk, base, start, m.end())
            start = m.end()
        _add_sentence(out, chunk, base, start, len(chunk))
    return out


def _add_sentence(out: list[Sentence], chunk: str, base: int, start: int, end: int) -> None:
    piece = chunk[start:end]
    stripped = piece.strip()
    if stripped:
        lead = len(piece) - len(piece.lstrip())
        out.append(Sentence(base + start + lead, base + start + lead + len(stripped), stripped))


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def _short(text: str, limit: int = 220) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _counted(items: Iterable[str], limit: int = 8) -> tuple[str, ...]:
    """Evidence for a rate: the distinct matches, most frequent first, with counts."""
    counts = Counter(" ".join(i.split()) for i in items)
    return tuple(f"{t} ×{n}" if n > 1 else t for t, n in counts.most_common(limit))


def shouted_words(text: str) -> list[str]:
    """ALL-CAPS words that shout: runs of two or more capitalised words ("GREY HAWK"), or single
    words of five letters or more ("UNPRECEDENTED"); short acronyms on their own (NATO, EU) are
    not shouting."""
    found = [m.group(0) for m in _SHOUT_RUN.finditer(text)]
    rest = _SHOUT_RUN.sub(" ", text)
    found.extend(m.group(0) for m in _SHOUT_ONE.finditer(rest))
    return found


def dateline_of(body: str) -> str | None:
    m = _DATELINE.match(body)
    return m.group(0).strip() if m else None


def agency_credit_of(body: str) -> str | None:
    m = _AGENCY_CREDIT.search(body[:400])
    return m.group(0).strip() if m else None


# -- statements: attribution, quotes, hedges ----------------------------------------------------


def _sentence_attribution(cats: set[str]) -> str:
    """A sentence's attribution from the cue categories found in it (anonymous cues win: "sources
    say" has a reporting verb too)."""
    if "anonymous" in cats:
        return "unnamed"
    if "document" in cats:
        return "document"
    return "named" if "reporting" in cats else "none"


def claim_measures(claim: Claim) -> dict[str, float]:
    """A claim's own values of the statement features (1.0 / 0.0)."""
    return {
        "attribution.named": float(claim.attribution == "named"),
        "attribution.unnamed": float(claim.attribution == "unnamed"),
        "attribution.document": float(claim.attribution == "document"),
        "quotes.direct": float(claim.quote == "direct"),
        "hedging.hedged": float(bool(claim.hedges)),
    }


def _statement_measures(
    article: Article,
    sentences: Sequence[Sentence],
    spans: Mapping[str, list[tuple[int, int]]],
    use_claims: bool,
) -> dict[str, Measure]:
    rows: list[tuple[str, dict[str, float]]] = []
    from_claims = use_claims and bool(article.claims)
    if from_claims:
        rows = [(c.text, claim_measures(c)) for c in article.claims]
    for s in [] if from_claims else sentences:
        cats = {c for c, found in spans.items() if any(s.start <= a < s.end for a, _ in found)}
        kind = _sentence_attribution(cats)
        values = {
            "attribution.named": float(kind == "named"),
            "attribution.unnamed": float(kind == "unnamed"),
            "attribution.document": float(kind == "document"),
            "quotes.direct": float(bool(_QUOTE.search(s.text))),
            "hedging.hedged": float("hedge" in cats),
        }
        rows.append((s.text, values))
    out: dict[str, Measure] = {}
    for name in CLAIM_FEATURES:
        hits = [text for text, values in rows if values[name]]
        share = len(hits) / len(rows) if rows else 0.0
        out[name] = Measure(share, tuple(_short(h) for h in hits[:3]))
    return out


# -- title ----------------------------------------------------------------------------------------


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _supported(term: str, body_words: frozenset[str]) -> bool:
    """A term is supported when the body has it or another form of it: one is the other plus a
    short ending ("drill"/"drills", "Russia"/"Russian"), or they share all but one letter of the
    shorter word and at least four ("expels"/"expelled"). "militia"/"military" stay apart."""
    if term in body_words:
        return True
    for w in body_words:
        if (w.startswith(term) and len(w) - len(term) <= 3) or (
            term.startswith(w) and len(term) - len(w) <= 3 and len(w) >= 4
        ):
            return True
        common = _common_prefix(term, w)
        if common >= 4 and common >= min(len(term), len(w)) - 1:
            return True
    return False


def _title_unsupported(title: str, body: str, lexicon: Lexicon) -> Measure:
    """Key terms of the title (words of 3+ letters that are not function words) that the body
    never uses in any form; the evidence groups adjacent ones into phrases."""
    body_words = frozenset(w.casefold() for w in words(body))
    phrases: list[list[str]] = []
    terms = unsupported = 0
    joinable = False
    for token in re.findall(r"\S+", title):
        word = _WORD.search(token)
        if not word or len(word.group(0)) < 3 or word.group(0).casefold() in lexicon.function_words:
            joinable = False
            continue
        terms += 1
        if _supported(word.group(0).casefold(), body_words):
            joinable = False
            continue
        unsupported += 1
        if joinable:
            phrases[-1].append(word.group(0))
        else:
            phrases.append([word.group(0)])
        # A phrase stops at punctuation after the word ("BREAKING!!!", "RUSSIA,").
        joinable = not re.search(r"[^\w’'-]$", token)
    evidence = tuple(f"title says “{' '.join(p)}”, the body never does" for p in phrases[:5])
    return Measure(unsupported / terms if terms else 0.0, evidence)


def _title_measures(title: str, body: str, lexicon: Lexicon) -> dict[str, Measure]:
    tokens = words(title)
    caps = [t for t in tokens if len(t) >= 2 and t.isupper()]
    marks = re.findall(r"[!?]+", title)
    found = lexicon.scan(title)
    sensational = [
        title[a:b] for cat in ("sensational", "clickbait") for a, b in found.get(cat, [])
    ]
    return {
        "title.unsupported": _title_unsupported(title, body, lexicon),
        "title.caps": Measure(len(caps) / len(tokens) if tokens else 0.0, _counted(caps)),
        "title.punctuation": Measure(float(sum(len(m) for m in marks)), tuple(marks[:5])),
        "title.sensational": Measure(float(len(sensational)), _counted(sensational)),
        "title.length": Measure(float(len(tokens)), (title,) if title else ()),
    }


# -- structure ------------------------------------------------------------------------------------


def _structure_measures(article: Article) -> dict[str, Measure]:
    dateline = article.dateline or dateline_of(article.body)
    credit: tuple[str, ...] = ()
    if article.agency:
        credit = (f"agency: {article.agency}",)
    elif found := agency_credit_of(article.body):
        credit = (found,)
    else:
        notes = [n for n in article.notices if n.kind in ("agency_feed", "republication")]
        credit = tuple(_short(n.text) for n in notes[:2])
    # An absent cue is evidence too (the reader should see "no byline", not an empty reason).
    return {
        "structure.byline": Measure(
            float(bool(article.authors)),
            ("by " + ", ".join(article.authors),) if article.authors else ("no byline",),
        ),
        "structure.dateline": Measure(
            float(bool(dateline)), (dateline,) if dateline else ("no dateline",)
        ),
        "structure.published": Measure(
            float(bool(article.published)),
            (article.published,) if article.published else ("no publication date",),
        ),
        "structure.agency": Measure(
            float(bool(credit)), credit or ("no agency or republication credit",)
        ),
    }


# -- all features ---------------------------------------------------------------------------------


def article_measures(
    article: Article, lexicon: Lexicon, *, use_claims: bool = True
) -> dict[str, Measure]:
    """Every feature of :data:`ARTICLE_FEATURES` for ``article``, with its evidence.

    ``use_claims=False`` measures attribution, quotes and hedging over the sentences even when
    the article has claims: a model trained without claim records must be used that way too."""
    body, title = article.body or "", article.title or ""
    tokens = words(body)
    n_words = max(len(tokens), 1)
    per100 = 100.0 / n_words
    sentences = split_sentences(body)
    n_sent = max(len(sentences), 1)

    spans = lexicon.scan(body)

    def rate(category: str) -> Measure:
        found = [body[a:b] for a, b in spans.get(category, [])]
        return Measure(len(found) * per100, _counted(found))

    def mentions(*types: str) -> Measure:
        found = [m.text for m in article.mentions if m.type in types]
        return Measure(len(found) * per100, _counted(found))

    # A dateline is furniture, not shouting ("VILNIUS, Oct 14 (BWS) -").
    dateline = dateline_of(body)
    shout_text = body[len(dateline) :] if dateline and body.lstrip().startswith(dateline) else body
    shouted = shouted_words(shout_text)
    exclaim = [s.text for s in sentences if "!" in s.text or "??" in s.text]
    n_marks = body.count("!") + len(re.findall(r"\?{2,}", body))
    numbers = _NUMBER.findall(body)
    lowered = [t.casefold() for t in tokens[:300]]

    out: dict[str, Measure] = {}
    out.update(_statement_measures(article, sentences, spans, use_claims))
    out["specificity.people"] = mentions("person")
    out["specificity.places"] = mentions("place", "country")
    out["specificity.organisations"] = mentions("organisation", "group")
    out["specificity.dates"] = Measure(
        len(article.dates) * per100, _counted(d.text for d in article.dates)
    )
    out["specificity.numbers"] = Measure(len(numbers) * per100, _counted(numbers))
    out["sensational.caps"] = Measure(len(shouted) * per100, _counted(shouted))
    out["sensational.exclamations"] = Measure(
        n_marks / n_sent, tuple(_short(s) for s in exclaim[:3])
    )
    out["sensational.superlatives"] = rate("sensational")
    out["sensational.clickbait"] = rate("clickbait")
    out.update(_title_measures(title, body, lexicon))
    out.update(_structure_measures(article))
    out["style.length"] = Measure(math.log1p(len(tokens)), (f"{len(tokens)} words",))
    out["style.sentence_length"] = Measure(len(tokens) / n_sent, (f"{len(sentences)} sentences",))
    letters = sum(len(t) for t in tokens)
    out["style.word_length"] = Measure(
        letters / n_words, (f"{letters} letters in {n_words} words",)
    )
    out["style.variety"] = Measure(
        len(set(lowered)) / len(lowered) if lowered else 0.0,
        (f"{len(set(lowered))} distinct words among the first {len(lowered)}",),
    )
    for category in (
        "vague",
        "certainty",
        "emotion",
        "first_person",
        "second_person",
        "negation",
        "modal",
    ):
        out["style." + category] = rate(category)
    return {name: out[name] for name in ARTICLE_FEATURES}


# -- word profile ---------------------------------------------------------------------------------

_PROFILE_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|\d[\d,.]*|[^\w\s]")
_KEPT_PUNCTUATION = frozenset(".,!?;:\"'()-")
_PUNCT_MAP = {
    "“": '"',
    "”": '"',
    "„": '"',
    "«": '"',
    "»": '"',
    "‘": "'",
    "’": "'",
    "–": "-",
    "—": "-",
}


def profile_tokens(text: str, function_words: frozenset[str]) -> list[str]:
    """The text with function words and punctuation kept and every other word replaced by its
    shape: <U> all capitals, <C> capitalised, <w> lower case, <num> a number, <p> other marks."""
    out: list[str] = []
    for token in _PROFILE_TOKEN.findall(text):
        first = token[0]
        if first.isdigit():
            out.append("<num>")
        elif first.isalpha():
            low = token.casefold().replace("’", "'")
            if low in function_words:
                out.append(low)
            elif len(token) >= 2 and token.isupper():
                out.append("<U>")
            else:
                out.append("<C>" if first.isupper() else "<w>")
        else:
            mark = _PUNCT_MAP.get(token, token)
            out.append(mark if mark in _KEPT_PUNCTUATION else "<p>")
    return out


def profile_counts(title: str, body: str, function_words: frozenset[str]) -> Counter[str]:
    """Word-profile 1- and 2-grams of title and body (title n-grams are prefixed ``T:``)."""
    counts: Counter[str] = Counter()
    for prefix, text in (("T:", title), ("", body)):
        tokens = profile_tokens(text, function_words)
        counts.update(prefix + t for t in tokens)
        counts.update(f"{prefix}{a} {b}" for a, b in itertools.pairwise(tokens))
    return counts


def profile_decision(
    counts: Mapping[str, int],
    idf: Mapping[str, float],
    weights: Mapping[str, float],
    intercept: float,
) -> tuple[float, dict[str, float]]:
    """The word-profile score (TF-IDF with sublinear tf and L2 norm, then a linear model) and each
    n-gram's part of it; the same arithmetic in training and in use."""
    values = {g: (1.0 + math.log(n)) * idf[g] for g, n in counts.items() if g in idf and n > 0}
    norm = math.sqrt(sum(v * v for v in values.values())) or 1.0
    parts = {g: v / norm * weights.get(g, 0.0) for g, v in values.items()}
    return intercept + sum(parts.values()), parts
