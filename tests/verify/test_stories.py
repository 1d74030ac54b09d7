"""Story clustering on small fictional articles written for these tests (no shared data).

Five stories, all invented: a naval exercise (wire original, two reprints, two independent pieces
and a late analysis), a drone incursion told twice with different figures, a diplomatic row in
the same week that shares the Russia actor with the exercise, a pipeline shutdown, and an undated
viral post with its near-copy. Plus two one-off articles.
"""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wirecheck.errors import UsageError
from wirecheck.models import Story
from wirecheck.verify._storyfeatures import candidate_pairs
from wirecheck.verify.sources import SourceInfo
from wirecheck.verify.stories import StoryConfig, StoryItem, cluster_stories, story_partition

_SEA_WIRE = (
    "TALLINN, March 3 (NWA) - Navies from nine countries will hold the Grey Current exercise in "
    "the Gulf of Finland from March 9, Estonian defence minister Kadri Vahtra said on Tuesday. "
    "About thirty warships and 2,400 sailors will practise escorting convoys and clearing mines "
    "near the island of Saaremaa. Vahtra said the drills had been planned for two years and were "
    "not aimed at any country. Alliance spokesman Henrik Dalgaard said Moscow had been informed "
    "of the Grey Current dates under the usual notification rules."
)


def _item(
    aid: str,
    day: str | None,
    title: str | None,
    text: str,
    actors: tuple[str, ...] = (),
    places: tuple[str, ...] = (),
    site: str | None = None,
    agency: str | None = None,
) -> StoryItem:
    return StoryItem(
        article_id=aid,
        published=day,
        title=title,
        text=text,
        actors=actors,
        places=places,
        source=SourceInfo(article_id=aid, site=site, agency=agency, published=day),
    )


SEA = ("EST", "NATO", "RUS")
SEA_PLACES = ("geonames:588409", "iso:EE")

CORPUS: list[StoryItem] = [
    # Story 1: the exercise. a01 is the wire; a02 and a03 reprint it.
    _item(
        "a01",
        "2027-03-03",
        "Nine navies to hold Grey Current drills in Gulf of Finland",
        _SEA_WIRE,
        SEA,
        SEA_PLACES,
        "nwa.example",
        "Nordic Wire Agency",
    ),
    _item(
        "a02",
        "2027-03-03T14:10:00+02:00",
        "Grey Current: thirty warships head for Saaremaa",
        _SEA_WIRE.replace("TALLINN, March 3 (NWA) - ", ""),
        SEA,
        SEA_PLACES,
        "baltic-daily.example",
        "Nordic Wire Agency",
    ),
    _item(
        "a03",
        "2027-03-04",
        "Nine navies to hold Grey Current drills in Gulf of Finland",
        _SEA_WIRE.rsplit(" Alliance spokesman", 1)[0],
        SEA,
        SEA_PLACES,
        "portal-feed.example",
    ),
    _item(
        "a04",
        "2027-03-05",
        "Moscow calls Grey Current drills a provocation",
        "Russia's foreign ministry called the Grey Current naval exercise in the Gulf of Finland "
        "a provocation on Thursday and said its Baltic Fleet would watch the warships closely. "
        "Estonian minister Kadri Vahtra replied that the drills near Saaremaa were defensive and "
        "that Moscow had received every notification on time.",
        SEA,
        SEA_PLACES,
        "harbour-times.example",
    ),
    _item(
        "a05",
        "2027-03-09",
        "Grey Current exercise begins with 29 ships off Saaremaa",
        "The Grey Current exercise began on Monday with 29 warships rather than the thirty "
        "announced, after a Danish frigate stayed in port for repairs. Convoy escort drills "
        "started west of Saaremaa, and mine clearance teams will work in the Gulf of Finland "
        "later in the week, spokesman Henrik Dalgaard said.",
        SEA,
        SEA_PLACES,
        "coastal-post.example",
    ),
    _item(
        "a06",
        "2027-03-20",
        "What Grey Current taught the Baltic navies",
        "The Grey Current drills ended on Friday after eleven days of convoy escorts and mine "
        "clearance around Saaremaa. Analysts said the exercise showed the nine navies could keep "
        "the Gulf of Finland open, though a Russian patrol ship shadowed the convoys throughout. "
        "Kadri Vahtra called it the largest exercise Estonia had hosted.",
        SEA,
        SEA_PLACES,
        "north-review.example",
    ),
    # Story 2: a drone incursion, two independent accounts with different numbers.
    _item(
        "b01",
        "2027-03-06",
        "Drone from Belarus crosses into Polish airspace near Hajnowka",
        "A military drone flying from Belarus entered Polish airspace near Hajnowka overnight "
        "and travelled about 9 kilometres before turning back, border guard spokeswoman Agata "
        "Lisowska said on Saturday. Radar picked it up at 02:15 and followed it for 17 minutes. "
        "Deputy interior minister Tomasz Wierzba said Warsaw would summon the Belarusian chargé "
        "d'affaires over the drone.",
        ("BLR", "POL"),
        ("geonames:770380", "iso:PL"),
        "warsaw-courier.example",
    ),
    _item(
        "b02",
        "2027-03-06",
        "Poland scrambles jets as Belarusian drone violates airspace",
        "Two Polish fighter jets were scrambled after a drone from Belarus flew roughly 15 km "
        "into Polish airspace near the town of Hajnowka, the army's operational command said. "
        "Lisowska of the border guard confirmed the incursion, while Tomasz Wierzba told "
        "reporters the Belarusian chargé d'affaires would be summoned to explain the drone "
        "flight.",
        ("BLR", "POL"),
        ("geonames:770380", "iso:PL"),
        "east-gazette.example",
    ),
    # Story 3: a diplomatic row in the same week; it shares the RUS actor with story 1.
    _item(
        "c01",
        "2027-03-04",
        "Paris expels three Russian diplomats over spying",
        "PARIS, March 4 (CPX) - France ordered three Russian diplomats to leave the country within "
        "ten days, accusing them of gathering information on arms deliveries, the French "
        "foreign ministry said on Wednesday. Ambassador Oleg Parfenov was summoned to the Quai "
        "d'Orsay, where officials handed him the expulsion order.",
        ("FRA", "RUS"),
        ("geonames:2988507", "iso:FR"),
        "cpx.example",
        "Continental Press Exchange",
    ),
    _item(
        "c02",
        "2027-03-06",
        "Russia retaliates by expelling three French diplomats",
        "Moscow expelled three French diplomats on Friday in response to the expulsion of "
        "Russian staff from Paris, the Russian foreign ministry said. French ambassador Claire "
        "Morvan was summoned and told the three must leave within ten days; she called the move "
        "an unjustified reprisal for a decision about spying.",
        ("FRA", "RUS"),
        ("geonames:524901", "iso:RU"),
        "europe-brief.example",
    ),
    # Story 4: a pipeline shutdown.
    _item(
        "d01",
        "2027-03-05",
        "Kurzeme gas link to shut for nine days of maintenance",
        "The Kurzeme gas interconnector between Latvia and Lithuania will stop flows for nine "
        "days from March 12 for valve replacement, operator Baltgas said. The pipeline carries "
        "about a fifth of the gas both countries burn in winter, and traders expect prices to "
        "rise while it is shut.",
        ("LVA", "LTU"),
        ("iso:LV", "iso:LT"),
        "market-wire.example",
    ),
    _item(
        "d02",
        "2027-03-12",
        "Gas flows through Kurzeme interconnector halted",
        "Baltgas halted flows through the Kurzeme interconnector on Friday as the nine-day "
        "maintenance began. Latvian and Lithuanian gas prices rose four percent, and Baltgas said "
        "the valve replacement was on schedule.",
        ("LVA", "LTU"),
        ("iso:LV", "iso:LT"),
        "riga-business.example",
    ),
    # Story 5: an undated viral post and its near-copy.
    _item(
        "e01",
        None,
        "SHOCKING: SECRET ARMY MASSING ON THE BORDER!!!",
        "Insiders who cannot be named say a secret army of forty thousand is massing in the "
        "forests right now!!! The mainstream media will never show you this. Share before they "
        "delete it!!! #wakeup #secretarmy",
        site="truth-blast.example",
    ),
    _item(
        "e02",
        None,
        "SECRET ARMY MASSING ON THE BORDER - SHARE NOW",
        "Insiders who cannot be named say a secret army of eighty thousand is massing in the "
        "forests right now!!! The mainstream media will never show you this. Share before they "
        "delete it!!! #secretarmy",
        site="freedom-echo.example",
    ),
    # One-off articles.
    _item(
        "f01",
        "2027-03-05",
        "Tartu orchestra wins European prize",
        "The Tartu Chamber Orchestra won the European Ensemble Prize in Vienna for its recording "
        "of symphonies by a forgotten nineteenth-century composer.",
        site="culture.example",
    ),
    _item(
        "g01",
        "2027-03-07",
        "Storm closes ferry routes across the Baltic",
        "Gale-force winds closed ferry routes between Tallinn, Helsinki and Stockholm on Sunday, "
        "stranding thousands of passengers in the ports.",
        site="coastal-post.example",
    ),
]

GOLD = [
    ["a01", "a02", "a03", "a04", "a05", "a06"],
    ["b01", "b02"],
    ["c01", "c02"],
    ["d01", "d02"],
    ["e01", "e02"],
    ["f01"],
    ["g01"],
]


def _by_article(stories: list[Story]) -> dict[str, Story]:
    return {a: s for s in stories for a in s.articles}


def test_the_corpus_is_grouped_into_its_gold_stories() -> None:
    assert story_partition(CORPUS) == GOLD
    assert [list(s.articles) for s in sorted(cluster_stories(CORPUS), key=lambda s: s.id)] == GOLD


def test_reprints_land_in_the_wire_story_and_count_as_one_source() -> None:
    story = _by_article(cluster_stories(CORPUS))["a01"]
    assert {"a02", "a03"} <= set(story.articles)
    # a01 and a02 credit the agency (one source); a03 is a portal; a04, a05, a06 are independent.
    assert story.independent_sources == 5
    assert story.id == "sa01"
    assert story.first_seen == "2027-03-03"
    assert story.last_seen == "2027-03-20"


def test_two_accounts_with_different_numbers_land_together() -> None:
    by = _by_article(cluster_stories(CORPUS))
    assert by["b01"] is by["b02"]
    assert by["b01"].independent_sources == 2


def test_unrelated_stories_sharing_an_actor_in_the_same_week_stay_apart() -> None:
    by = _by_article(cluster_stories(CORPUS))
    assert "RUS" in CORPUS[0].actors and "RUS" in CORPUS[8].actors
    assert by["c01"] is by["c02"]
    assert by["c01"] is not by["a01"]
    assert by["b01"] is not by["a01"]  # Poland/Belarus drone vs the Baltic drills


def test_undated_articles_join_on_content_and_leave_the_dates_empty() -> None:
    story = _by_article(cluster_stories(CORPUS))["e01"]
    assert story.articles == ("e01", "e02")
    assert story.first_seen is None and story.last_seen is None
    assert story.independent_sources == 2


def test_label_is_a_member_title() -> None:
    stories = cluster_stories(CORPUS)
    titles = {it.article_id: it.title for it in CORPUS}
    for story in stories:
        assert story.label in {titles[a] for a in story.articles}
    assert "Grey Current" in _by_article(stories)["a01"].label


def test_stories_are_sorted_by_first_date_then_id() -> None:
    stories = cluster_stories(CORPUS)
    keys = [(s.first_seen or "9999", s.id) for s in stories]
    assert keys == sorted(keys)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.permutations(CORPUS), st.integers(min_value=1, max_value=len(CORPUS) - 1))
def test_order_and_batching_do_not_change_the_answer(order: list[StoryItem], cut: int) -> None:
    expected = cluster_stories(CORPUS)
    assert cluster_stories(order) == expected
    # Batches arriving in either order: the store holds their union, which is reclustered.
    first, second = order[:cut], order[cut:]
    assert cluster_stories(second + first) == expected


def test_story_ids_do_not_depend_on_which_member_came_first() -> None:
    rng = random.Random(3)
    for _ in range(5):
        shuffled = CORPUS[:]
        rng.shuffle(shuffled)
        assert {s.id for s in cluster_stories(shuffled)} == {"s" + g[0] for g in GOLD}


def test_the_time_window_separates_the_same_words_months_apart() -> None:
    text = (
        "Dock workers at the port of Liepaja began a strike over pay on Monday, halting container "
        "traffic, union leader Janis Ozolins said."
    )
    near = [
        _item("x1", "2027-05-03", "Liepaja dock workers strike", text),
        _item("x2", "2027-05-05", "Liepaja dockers walk out over pay", text),
    ]
    later = _item("x3", "2027-09-20", "Liepaja dock workers strike", text)
    assert story_partition([*near, later, *CORPUS[-2:]], window_days=14) == [
        ["f01"],
        ["g01"],
        ["x1", "x2"],
        ["x3"],
    ]
    assert ["x1", "x2", "x3"] in story_partition([*near, later, *CORPUS[-2:]], window_days=200)


def test_two_reprints_alone_still_form_a_story() -> None:
    pair = CORPUS[:2]
    assert story_partition(pair) == [["a01", "a02"]]


def test_empty_input_gives_no_stories() -> None:
    assert cluster_stories([]) == []


def test_a_repeated_article_id_is_a_usage_error() -> None:
    with pytest.raises(UsageError):
        cluster_stories([CORPUS[0], CORPUS[0]])
    with pytest.raises(UsageError):
        cluster_stories(CORPUS, window_days=-1)


def test_untitled_story_is_labelled_by_its_first_sentence() -> None:
    untitled = [_item(f"u{k}", "2027-01-01", None, CORPUS[k].text) for k in (6, 7)]
    (story,) = cluster_stories(untitled)
    assert story.label.startswith("A military drone flying from Belarus")
    assert len(story.label) <= 120


def test_a_stricter_threshold_splits_more() -> None:
    loose = story_partition(CORPUS, config=StoryConfig(threshold=0.1))
    strict = story_partition(CORPUS, config=StoryConfig(threshold=0.9))
    assert len(strict) > len(loose)
    assert len(strict) >= len(GOLD)


def _days(*values: int) -> np.ndarray:
    return np.asarray(values, dtype=np.int64)


def test_blocking_pairs_a_short_list_completely_and_respects_the_window() -> None:
    keys = [[1, 2], [1, 2], [1, 2], [1, 2]]
    lo, hi = candidate_pairs(
        keys, _days(100, 101, 103, 130), 14, neighbours=5, max_postings=50, min_shared=2
    )
    assert sorted(zip(lo.tolist(), hi.tolist(), strict=True)) == [(0, 1), (0, 2), (1, 2)]


def test_blocking_needs_the_shared_keys() -> None:
    keys = [[1, 2], [1, 3], [1, 2]]
    lo, hi = candidate_pairs(keys, _days(5, 5, 5), 14, neighbours=5, max_postings=50, min_shared=2)
    assert list(zip(lo.tolist(), hi.tolist(), strict=True)) == [(0, 2)]


def test_blocking_work_per_article_is_bounded_in_a_dense_list() -> None:
    n = 400  # all on one day with the same two keys: 79,800 pairs if compared all-to-all
    lo, hi = candidate_pairs(
        [[7, 8]] * n, np.full(n, 10, dtype=np.int64), 14, neighbours=5, max_postings=50
    )
    assert len(lo) <= n * 5
    degree = np.bincount(np.r_[lo, hi], minlength=n)
    assert degree.max() <= 2 * 5 and degree.min() >= 5


def test_an_undated_article_meets_dated_holders_of_its_keys() -> None:
    keys = [[1, 2], [1, 2], [1, 2], [3, 4]]
    lo, hi = candidate_pairs(
        keys, _days(-1, 100, 900, 100), 14, neighbours=5, max_postings=50, min_shared=2
    )
    assert sorted(zip(lo.tolist(), hi.tolist(), strict=True)) == [(0, 1), (0, 2)]


def test_a_big_story_stays_whole_although_few_of_its_pairs_are_compared() -> None:
    rng = random.Random(11)
    angles = [
        "Rescue crews searched the flooded streets of Valmiera for a third day.",
        "The Gauja river burst its banks after a week of record rain in Valmiera.",
        "Prime minister Ilze Rudzite promised emergency aid to families in Valmiera.",
        "Engineers said the Gauja dam above Valmiera was holding but under strain.",
        "Volunteers filled sandbags along the Gauja embankment outside Valmiera.",
        "Schools in Valmiera stayed closed as the Gauja floodwater slowly receded.",
    ]
    items = [
        _item(
            f"v{k:03d}",
            f"2027-06-{1 + k % 6:02d}",
            f"Gauja flood: Valmiera {rng.choice(['braces', 'counts cost', 'waits', 'cleans up'])}",
            " ".join(rng.sample(angles, 3)),
            ("LVA",),
            ("geonames:454310",),
            site=f"site{k}.example",
        )
        for k in range(120)
    ]
    stats: dict[str, float] = {}
    groups = story_partition([*items, *CORPUS], stats=stats)
    assert [it.article_id for it in items] in groups
    assert stats["pairs"] < 120 * 119 / 2 / 2  # well under half of the story's pairs compared


def _naive_average_linkage(
    n: int, lo: list[int], hi: list[int], sim: list[float], threshold: float
) -> list[list[int]]:
    """Written for clarity, cubic: merge the best pair of clusters (mean of their candidate cross
    pairs; ties to the smaller member indices) while it reaches the threshold."""
    clusters = [[i] for i in range(n)]
    pairs = {(a, b): s for a, b, s in zip(lo, hi, sim, strict=True)}
    pairs.update({(b, a): s for (a, b), s in list(pairs.items())})
    while True:
        best = None
        for x in range(len(clusters)):
            for y in range(x + 1, len(clusters)):
                cross = [pairs[(p, q)] for p in clusters[x] for q in clusters[y] if (p, q) in pairs]
                if not cross:
                    continue
                score = sum(cross) / len(cross)
                key = (-score, *sorted((min(clusters[x]), min(clusters[y]))))
                if score >= threshold and (best is None or key < best[0]):
                    best = (key, x, y)
        if best is None:
            return sorted((sorted(c) for c in clusters), key=lambda c: c[0])
        _, x, y = best
        clusters[x] = clusters[x] + clusters.pop(y)


def test_average_linkage_matches_a_naive_implementation_with_ties() -> None:
    from wirecheck.verify._storylink import average_linkage

    rng = random.Random(3)
    for _ in range(40):
        n = rng.randint(2, 14)
        edges = {(a, b) for a in range(n) for b in range(a + 1, n) if rng.random() < 0.4}
        lo = [a for a, _ in sorted(edges)]
        hi = [b for _, b in sorted(edges)]
        # few distinct values, so that ties between candidate merges are common
        sim = [rng.choice([0.2, 0.5, 0.5, 0.75, 1.0]) for _ in lo]
        got = average_linkage(
            n,
            np.asarray(lo, dtype=np.int64),
            np.asarray(hi, dtype=np.int64),
            np.asarray(sim, dtype=np.float64),
            threshold=0.5,
        )
        assert got == _naive_average_linkage(n, lo, hi, sim, 0.5)
