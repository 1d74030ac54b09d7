"""Event coding: who did what to whom, where and when, coded in PLOVER and CAMEO.

For each sentence that can carry an event (two actor mentions, or one actor and a trigger word)
the extractor:

1. finds triggers with the curated dictionary ``data/triggers.yaml`` (a CAMEO code each);
2. parses the sentence (only these sentences: the parser is the slowest spaCy component);
3. for each trigger, reads source, target, negation, modality and attribution off the parse;
4. asks the sentence-level event-type classifier (:mod:`wirecheck.analyze.eventtype`) for the
   sentence's PLOVER category: it ranks the trigger events and, when no trigger carries the
   category it is confident about, adds an event of that category at the main verb;
5. codes each event from the CAMEO table (:mod:`wirecheck.analyze.cameo`): Goldstein value, quad
   class, PLOVER type and mode, always consistent with the CAMEO code.

Statements ("said") are not events (PLOVER has no statement category); they attribute the events
under them: "Arnor said Gondor attacked the post" is an ASSAULT by Gondor, ``attributed_to`` Arnor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from itertools import permutations
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from wirecheck.analyze._eventargs import (
    _REPORTING_FORMS,
    ACTOR_TYPES,
    RECIPROCAL,
    _Arguments,
    _Draft,
)
from wirecheck.analyze._eventrules import (
    ACTOR_ENTS,
    TriggerDictionary,
    TriggerMatch,
    child,
    governors,
    is_verb,
    prep_object,
    root_of,
    select,
    words_of,
)
from wirecheck.analyze.cameo import CameoCode, CameoTable
from wirecheck.analyze.eventtype import EventTypeModel, EventTypePrediction
from wirecheck.models import DateMention, Event, Mention

__all__ = ["EventExtractor"]

#: A classifier label at least this confident adds an event when no trigger carries it; below
#: it, triggers decide. On out-of-fold classifier scores of the PLV train split, 0.2-0.3 scores
#: best (type micro-F1 0.791 vs 0.784 at 0.5, full match 0.484-0.488 vs 0.473), because every PLV
#: sentence holds an event. News sentences often do not: on the demo corpus 0.3 adds 34 events to
#: 129, nearly all without a source and on verbs like "are" or "alerted". 0.5 keeps them out.
ADD_THRESHOLD = 0.5
#: Same, but the classifier's event replaces the main trigger's type.
OVERRIDE_THRESHOLD = 0.75
_MODALS = {"will": "planned", "'ll": "planned", "shall": "planned", "wo": "planned"}
_HYPO_MODALS = {"could", "might", "may", "would", "should", "must", "can", "ca"}


class EventExtractor:
    """Build once per process (spaCy pipeline, event-type model, CAMEO table); safe to reuse."""

    def __init__(self, nlp: Language, model: EventTypeModel | None, codes: CameoTable) -> None:
        self.nlp = nlp
        self.model = model
        self.codes = codes
        self.triggers = TriggerDictionary.load(codes)

    # ------------------------------------------------------------------ selection

    def _actor_count(self, sent: Span, mentions: Sequence[Mention]) -> int:
        n = sum(
            1
            for m in mentions
            if m.type in ACTOR_TYPES and sent.start_char <= m.start < sent.end_char
        )
        taken = {m.start for m in mentions}
        n += sum(
            1
            for e in sent.ents
            if e.label_ in ACTOR_ENTS
            and not any(m.start < e.end_char and e.start_char < m.end for m in mentions)
        )
        n += sum(
            1
            for t in sent
            if t.lower_ in self.triggers.generic and t.tag_.startswith("NN") and t.idx not in taken
        )
        return n

    def candidate_sentences(self, doc: Doc, mentions: Sequence[Mention]) -> list[int]:
        """Indices of ``doc.sents`` that can carry an event: two actors, or one and a trigger."""
        out = []
        for i, sent in enumerate(doc.sents):
            n = self._actor_count(sent, mentions)
            if n >= 2 or (n == 1 and self.triggers.find(words_of(sent.as_doc()))):
                out.append(i)
        return out

    # ------------------------------------------------------------------ parsing

    def _parse(self, sents: Sequence[Span]) -> list[Doc]:
        """Parse only these sentences. The reduced pipeline's tokens, tags and entities are kept
        (Span.as_doc) and only tok2vec + parser run, batched; a pipeline without those components
        is run whole on the sentence text."""
        names = self.nlp.pipe_names
        if "parser" in names and "tok2vec" in names:
            docs = [s.as_doc() for s in sents]
            for name in ("tok2vec", "parser"):
                pipe: Any = self.nlp.get_pipe(name)
                docs = list(pipe.pipe(docs))
            return docs
        return [self.nlp(s.text) for s in sents]

    # ------------------------------------------------------------------ extraction

    def extract(
        self,
        doc: Doc,
        *,
        mentions: Sequence[Mention],
        dates: Sequence[DateMention],
        published: dt.date | None,
    ) -> list[Event]:
        """Events of every candidate sentence of ``doc`` (from the reduced pipeline)."""
        sents = list(doc.sents)
        text: str = doc.text  # Doc.text is rebuilt from the tokens on every access
        idx = self.candidate_sentences(doc, mentions)
        if not idx:
            return []
        parsed = self._parse([sents[i] for i in idx])
        preds: list[EventTypePrediction | None] = [None] * len(idx)
        if self.model is not None:
            preds = list(self.model.predict([sents[i].text for i in idx]))
        out: list[Event] = []
        for i, p, pred in zip(idx, parsed, preds, strict=True):
            sent = sents[i]
            ctx = _Sentence(self, sent, p, mentions, text)
            drafts = ctx.drafts(pred)
            for d in drafts:
                out += self._events(d, ctx, i, dates, published, mentions)
        return out

    def _events(
        self,
        d: _Draft,
        ctx: _Sentence,
        index: int,
        dates: Sequence[DateMention],
        published: dt.date | None,
        mentions: Sequence[Mention],
    ) -> list[Event]:
        sent = ctx.sent
        p = ctx.parsed
        base = sent.start_char
        first, last = p[min(d.tokens)], p[max(d.tokens)]
        t_start, t_end = base + first.idx, base + last.idx + len(last.text)
        place = _place(sent, mentions, index)
        date, precision = _date(sent, dates, published, index, d)
        event = Event(
            sentence=index,
            sentence_text=sent.text,
            source=tuple(d.source.codes),
            target=tuple(d.target.codes),
            plover=d.code.plover,
            mode=d.code.mode,
            cameo=d.code.code,
            goldstein=d.code.goldstein,
            quad_class=d.code.quad_class,
            trigger=ctx.doc_text[t_start:t_end],
            trigger_start=t_start,
            trigger_end=t_end,
            source_text=d.source.text,
            target_text=d.target.text,
            place=place,
            date=date,
            date_precision=precision,
            negated=d.negated,
            modality=d.modality,
            attributed_to=d.attributed_to,
            confidence=round(d.confidence, 3),
        )
        # "A and B signed" with no target: both directions, as the gold sets code it.
        parts = d.source.parts
        if d.code.label in RECIPROCAL and len(d.target.parts) >= 2 and not d.source.codes:
            parts = d.target.parts  # "talks between A and B": the pair is the object of "between"
        elif not (d.code.label in RECIPROCAL and not d.target.codes and len(parts) >= 2):
            return [event]
        return [
            replace(event, source=a, target=b, source_text=at, target_text=bt)
            for (a, at), (b, bt) in permutations(parts[:4], 2)
            if a != b
        ]


def _place(sent: Span, mentions: Sequence[Mention], index: int) -> str | None:
    for m in mentions:
        if m.type == "place" and m.id and sent.start_char <= m.start < sent.end_char:
            return m.id
    if index == 0:
        for m in mentions:
            if m.type == "place" and m.id and m.via == "dateline":
                return m.id
    return None


def _date(
    sent: Span,
    dates: Sequence[DateMention],
    published: dt.date | None,
    index: int,
    d: _Draft,
) -> tuple[str | None, str | None]:
    for m in dates:
        if sent.start_char <= m.start < sent.end_char:
            return m.value, m.precision
    # The lead sentence of a news report tells the reported day's news; a past-tense, asserted
    # event there is dated to the publication day. Anything else stays undated.
    if (
        published is not None
        and index == 0
        and d.modality == "reported"
        and d.attributed_to is None
        and d.head.tag_ in ("VBD", "VBN")
    ):
        return published.isoformat(), "day"
    return None, None


class _Sentence(_Arguments):
    """One parsed candidate sentence and the rules that read events off it (the argument rules,
    who acts on whom, are :class:`~wirecheck.analyze._eventargs._Arguments`)."""

    def __init__(
        self,
        ex: EventExtractor,
        sent: Span,
        parsed: Doc,
        mentions: Sequence[Mention],
        doc_text: str,
    ) -> None:
        super().__init__(ex.triggers, sent, parsed, mentions)
        self.ex = ex
        self.doc_text = doc_text

    def main_root(self) -> Token:
        """The root of the sentence's main clause: a dateline ("SAN FRANCISCO -") or a fragment
        the parser left apart has a root of its own; prefer a verb, then the larger tree."""
        roots = [t for t in self.parsed if t.head.i == t.i]
        return max(roots, key=lambda r: (is_verb(r), r.i >= self.dateline, len(list(r.subtree))))

    # -------------------------------------------------------------- modality

    def _modality(self, d: _Draft) -> None:
        h = d.head
        cue = self.ex.triggers.cue
        d.negated = any(c.dep_ == "neg" for c in h.children) or any(
            c.lower_ == "no" and c.dep_ == "det" for c in h.children
        )
        for c in h.children:
            if c.dep_ == "aux" and c.tag_ == "MD":
                d.modality = _MODALS.get(c.lower_, "hypothetical")
            if c.dep_ == "amod" and c.lower_ in ("planned", "proposed", "upcoming", "possible"):
                d.modality = "planned" if c.lower_ != "possible" else "hypothetical"
            if c.dep_ == "mark" and c.lower_ in ("if", "unless"):
                d.modality = "hypothetical"
        speaker: Token | None = None
        for g, dep in governors(h):
            if dep not in ("xcomp", "ccomp", "advcl", "conj", "dobj", "pobj", "prep", "pcomp"):
                break
            w = g.lower_
            if dep == "ccomp" and cue("speech", w) and speaker is None:
                speaker = self._subj(g)
                if d.modality == "hypothetical" and any(c.lower_ == "would" for c in h.children):
                    d.modality = "planned"
            if d.modality != "reported":
                continue
            if cue("denial", w) and dep == "ccomp":
                d.modality, speaker = "denied", self._subj(g)
            elif cue("threat", w) and dep in ("xcomp", "ccomp"):
                d.modality, speaker = "threatened", speaker or self._subj(g)
            elif cue("planned", w) and dep == "xcomp":
                d.modality = "planned"
            elif cue("hypothetical", w) and dep in ("xcomp", "ccomp", "advcl"):
                d.modality = "hypothetical"
            elif w in ("refused", "refuses", "refuse", "failed", "fails", "declined"):
                d.negated = True
            if dep in ("xcomp", "ccomp") and any(
                c.dep_ == "mark" and c.lower_ == "if" for c in g.children
            ):
                d.modality = "hypothetical"
        for t in self.parsed:
            if t.lower_ == "according" and t.head.i in (h.i, h.head.i, root_of(h).i):
                obj = prep_object(t, ("to",)) or child(child(t, "prep") or t, "pobj")
                speaker = speaker or obj
        if speaker is not None:
            a = self.arg(self.resolve_pronoun(speaker))
            d.attributed_to = a.codes[0] if a.codes and a.named else a.text

    # -------------------------------------------------------------- drafts

    def _draft(self, code: CameoCode, head: Token, tokens: tuple[int, ...]) -> _Draft:
        if is_verb(head):
            src, passive_tgt = self._subject(head)
            tgt = passive_tgt or self._object(head)
        else:
            src, tgt = self._nominal(head, code.label)
        src = self.resolve_pronoun(src)
        d = _Draft(code, head, tokens, self.arg(src), self.arg(tgt))
        d.target_i = tgt.i if tgt is not None else -1
        d.source_i = src.i if src is not None else -1
        self._src_tok = src
        if (
            is_verb(head)
            and (tgt is None or not self._named(tgt))
            and not self._split_pair(d, src, tgt)
        ):
            self._fallback_target(d)
        # A unilateral exercise is a show of force, not military cooperation (triggers.yaml).
        if (
            code.code == "062"
            and len(d.source.codes) <= 1
            and not d.target.codes
            and not any(t.lower_ in ("joint", "jointly", "together") for t in self.parsed)
        ):
            d.code = self.ex.codes.get("150")
        d.depth = sum(1 for _ in governors(head))
        self._modality(d)
        return d

    def drafts(self, pred: EventTypePrediction | None) -> list[_Draft]:
        words = words_of(self.parsed)
        found = self.ex.triggers.find(words)
        self.trigger_tokens = {i for m in found for i in m.tokens}
        matches: list[TriggerMatch] = select(found)
        drafts = [
            self._draft(self.ex.codes.get(m.code), self.parsed[m.head], m.tokens) for m in matches
        ]
        drafts = [d for d in drafts if d.source.codes or d.target.codes or d.source.text]
        scores = pred.scores if pred is not None else {}
        self._event_subjects(drafts)
        for d in drafts:
            self._govern(d, drafts)
            agree = scores.get(d.code.label, 0.5)
            d.confidence = 0.45 + 0.5 * agree - 0.1 * min(d.depth, 3)
            if d.governor is not None:
                d.confidence *= 0.6
        if pred is not None and pred.score >= ADD_THRESHOLD:
            self._classifier_event(pred, drafts)
        for d in drafts:
            d.confidence = min(1.0, max(0.05, d.confidence))
            if d.code.label == "REQUEST":
                self._demand(d)
        return sorted(drafts, key=lambda d: d.head.i)

    def _govern(self, d: _Draft, drafts: Sequence[_Draft]) -> None:
        """An event under another trigger ("threatened to attack", "urged cooperation") takes
        its modality (and missing actors) from it; the governor's code is refined by it."""
        above = {g.i for g, _ in governors(d.head)}
        govs = [g for g in drafts if g.head.i in above]
        if not govs:
            return
        g = max(govs, key=lambda x: x.depth)
        d.governor = g
        label = g.code.label
        if d.modality == "reported":
            d.modality = {"THREATEN": "threatened", "REQUEST": "hypothetical"}.get(
                label, "planned" if label == "AGREE" else d.modality
            )
        if label == "REJECT":
            d.negated = True
        if label in ("ACCUSE", "THREATEN", "REQUEST") and d.attributed_to is None:
            d.attributed_to = g.source.codes[0] if g.source.codes else g.source.text
        if not d.source.codes and not d.source.text:
            d.source = g.source
        if not g.target.codes and d.target.codes:
            g.target = d.target
        refined = _REFINE.get((g.code.code, d.code.label))
        if refined is not None:
            g.code = self.ex.codes.get(refined)

    def _classifier_event(self, pred: EventTypePrediction, drafts: list[_Draft]) -> None:
        """The classifier's category where no trigger carries it: retype the main trigger when
        the classifier is sure, else add an event at the main verb."""
        have = [d for d in drafts if d.code.label == pred.label]
        for d in have:
            d.confidence += 0.1
        if have:
            return
        root = self.main_root()
        top = min(drafts, key=lambda d: d.depth, default=None)
        code = self.ex.codes.default(pred.label)
        if top is not None and top.head.i == root.i:
            if pred.score >= OVERRIDE_THRESHOLD and not top.negated:
                top.code = code
                top.confidence = pred.score
            return
        if not drafts and not (
            self.mention_of or any(t.ent_type_ in ACTOR_ENTS for t in self.parsed)
        ):
            return
        head = root
        speaker = None
        if root.lower_ in _REPORTING_FORMS:
            # "X said (that) Y did Z": the event is Z, the report is X's; plain "said" is none.
            clause = next((c for c in root.children if c.dep_ in ("ccomp", "xcomp")), None)
            if clause is None:
                return
            head = clause
            speaker = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        d = self._draft(code, head, (head.i,))
        if speaker is not None and d.attributed_to is None:
            attribution = self.arg(speaker)
            d.attributed_to = (
                attribution.codes[0] if attribution.codes else attribution.text
            ) or None
        d.confidence = 0.9 * pred.score
        if d.source.codes or d.target.codes or d.source.text:
            drafts.append(d)


#: (governing code, governed category) -> a more specific governing code.
_REFINE = {
    ("130", "ASSAULT"): "138",
    ("130", "COERCE"): "1312",
    ("130", "SANCTION"): "1313",
    ("112", "ASSAULT"): "1123",
    ("112", "MOBILIZE"): "1123",
    ("020", "CONSULT"): "026",
    ("020", "COOPERATE"): "021",
    ("020", "AID"): "023",
    ("100", "CONSULT"): "106",
}


def primary(events: Sequence[Event]) -> Event | None:
    """The most confident event (the one a one-label-per-sentence gold set would code)."""
    return max(events, key=lambda e: e.confidence, default=None)
