"""The curated actor file and its loader: content checks, role dating, validation, user files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pycountry
import pytest

from wirecheck.analyze.actordata import ActorTable, load_actors, normalize
from wirecheck.errors import SettingsError


@pytest.fixture(scope="module")
def table() -> ActorTable:
    return load_actors()


def _ids(table: ActorTable, phrase: str) -> set[str]:
    return {c.actor_id for c in table.lookup(phrase)}


def _write(tmp_path: Path, text: str, name: str = "mine.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


# ---------------------------------------------------------------- content


def test_every_pycountry_country_is_present(table: ActorTable) -> None:
    codes = set(table.countries())
    assert {c.alpha_3 for c in pycountry.countries} <= codes
    assert "XKX" in codes  # Kosovo: not in ISO 3166, added by the file


@pytest.mark.parametrize(
    "phrase",
    [
        "Britain",
        "the UK",
        "U.K.",
        "United Kingdom",
        "Great Britain",
        "British",
        "Britons",
        "London",
        "Downing Street",
        "Whitehall",
    ],
)
def test_names_of_britain(table: ActorTable, phrase: str) -> None:
    assert _ids(table, phrase) == {"GBR"}


def test_metonyms_carry_their_sector(table: ActorTable) -> None:
    (pentagon,) = table.lookup("the Pentagon")
    assert (pentagon.actor_id, pentagon.sector) == ("USA", "MIL")
    (quai,) = table.lookup("Quai d'Orsay")
    assert (quai.actor_id, quai.sector) == ("FRA", "GOV")
    assert {(c.actor_id, c.sector) for c in table.lookup("the Kremlin")} == {("RUS", "GOV")}
    assert _ids(table, "Zhongnanhai") == {"CHN"}


def test_ambiguous_metonym_lists_its_candidates(table: ActorTable) -> None:
    cands = table.lookup("Brussels")
    assert {c.actor_id for c in cands} == {"EU", "NATO", "BEL"}
    assert all(c.ambiguous for c in cands)
    assert all(c.ambiguous for c in table.lookup("Congo"))
    assert not any(c.ambiguous for c in table.lookup("Britain"))


def test_lookup_ignores_case_and_diacritics(table: ActorTable) -> None:
    assert _ids(table, "Erdogan") == _ids(table, "ERDOĞAN") == {"recep_tayyip_erdogan"}
    assert _ids(table, "al Qaeda") == _ids(table, "Al-Qaida") == {"alqaeda"}
    assert normalize("the U.K.'s") == "uk"


def test_acronyms_and_common_words_are_case_sensitive(table: ActorTable) -> None:
    assert _ids(table, "WHO") == {"WHO"}
    assert table.lookup("who") == ()
    assert table.lookup("us") == ()
    assert _ids(table, "Gallant") == {"yoav_gallant"}
    assert table.lookup("gallant") == ()
    phrases = {(p.text, p.case_sensitive) for p in table.all_phrases()}
    assert ("WHO", True) in phrases
    assert ("Erdogan", False) in phrases and ("Erdoğan", False) in phrases


def test_sector_phrases_compose_with_countries(table: ActorTable) -> None:
    ministry = table.sector_phrase("defence ministry")
    assert ministry is not None and (ministry.sector, ministry.office) == ("MIL", None)
    secretary = table.sector_phrase("Defence Secretary")
    assert secretary is not None and secretary.office == "defence_minister"
    assert table.code_at("GBR", sector="MIL") == "GBRMIL"
    assert table.code_at("NATO") == "IGOWSTNAT"


def test_organisations_and_groups(table: ActorTable) -> None:
    unhcr = table.get("UNHCR")
    assert unhcr is not None and unhcr.code == "IGOUNOREFHCR" and unhcr.parent == "UN"
    wagner = table.get("wagner")
    assert wagner is not None and (wagner.country, wagner.sector) == ("RUS", "PMC")
    assert _ids(table, "Ansar Allah") == {"houthis"}
    assert _ids(table, "Daesh") == {"isis"}
    assert table.code_at("taliban", date(2020, 1, 1)) == "AFGREBTAL"
    assert table.code_at("taliban", date(2022, 1, 1)) == "AFGGOVTAL"


def test_required_people_are_present(table: ActorTable) -> None:
    day = date(2025, 3, 1)
    for office, of in [
        ("president", "USA"),
        ("prime_minister", "GBR"),
        ("chancellor", "DEU"),
        ("president", "RUS"),
        ("president", "UKR"),
        ("president", "CHN"),
        ("secretary_general", "NATO"),
        ("secretary_general", "UN"),
        ("commission_president", "EC"),
        ("high_representative", "EU"),
    ]:
        assert table.holder_at(office, of, day) is not None, (office, of)


# ---------------------------------------------------------------- roles at a date


def test_minister_gets_the_role_of_the_article_date(table: ActorTable) -> None:
    role = table.role_at("ben_wallace", date(2021, 5, 1))
    assert role is not None and (role.office, role.code) == ("defence_minister", "GBRMIL")
    assert table.role_at("ben_wallace", date(2024, 5, 1)) is None  # out of office
    assert table.code_at("ben_wallace", date(2024, 5, 1)) == "GBRELI"  # CAMEO: former official
    assert table.role_at("ben_wallace", date(2018, 1, 1)) is None


def test_office_holder_at_date(table: ActorTable) -> None:
    def holder(office: str, of: str, day: date) -> str | None:
        role = table.holder_at(office, of, day)
        return role.person_id if role else None

    assert holder("defence_minister", "GBR", date(2021, 5, 1)) == "ben_wallace"
    assert holder("defence_minister", "GBR", date(2024, 9, 1)) == "john_healey"
    assert holder("foreign_minister", "GBR", date(2017, 1, 1)) == "boris_johnson"
    # the successor's first day belongs to the successor
    assert holder("president", "USA", date(2021, 1, 20)) == "joe_biden"


def test_person_with_two_offices_over_time(table: ActorTable) -> None:
    early = table.role_at("ursula_von_der_leyen", date(2016, 1, 1))
    late = table.role_at("ursula_von_der_leyen", date(2022, 1, 1))
    assert early is not None and early.code == "DEUMIL"
    assert late is not None and (late.of, late.code) == ("EC", "IGOEUREECGOV")


# ---------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("people:\n  - {id: x, name: X, country: GBR, colour: red}\n", "unknown key"),
        ("bogus: 1\n", "unknown section"),
        ("countries:\n  QQQ: {names: [Q]}\n", "not an ISO 3166 country"),
        ("countries:\n  gbr: {names: [Q]}\n", "bad country code"),
        ("people:\n  - {id: x, name: X, country: GBR, sector: ZZZ}\n", "unknown sector"),
        ("organisations:\n  - {id: x, name: X, code: igo}\n", "bad code"),
        ("organisations:\n  - {id: x, name: X, code: QQQABC}\n", "bad code"),
        ("people:\n  - {id: x, name: X, country: ZZZ}\n", "unknown country"),
        (
            "organisations:\n  - {id: x, name: X, code: IGOXXX, parent: NOPE}\n",
            "unknown organisation",
        ),
        (
            "people:\n  - {id: x, name: X, country: GBR}\n  - {id: x, name: Y, country: GBR}\n",
            "duplicate id",
        ),
        (
            "people:\n  - {id: x, name: X, country: GBR, roles: [{office: president, from: 2020-13-01}]}\n",
            "not an ISO date",
        ),
        (
            "people:\n  - {id: x, name: X, country: GBR, roles: [{office: king_of_the_world, from: 2020-01-01}]}\n",
            "unknown office",
        ),
        (
            "people:\n  - {id: x, name: X, country: GBR, roles: [{office: president, from: 2020-01-02, to: 2020-01-01}]}\n",
            "not after",
        ),
        ("ambiguous:\n  - {phrase: Foo, candidates: [{actor: GBR}, {actor: NOBODY}]}\n", "unknown"),
        ("countries: [GBR]\n", "mapping"),
        ("people: [\n", "not valid YAML"),
    ],
)
def test_validation_errors_name_file_and_entry(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(SettingsError) as info:
        load_actors([path])
    assert message in str(info.value)
    assert str(path) in str(info.value)


def test_overlapping_office_is_refused(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "people:\n  - id: rival\n    name: A Rival\n    country: GBR\n"
        "    roles: [{office: defence_minister, from: 2021-01-01, to: 2021-06-01}]\n",
    )
    with pytest.raises(SettingsError) as info:
        load_actors([path])
    text = str(info.value)
    assert "overlaps" in text and "ben_wallace" in text and "rival" in text


def test_duplicate_id_in_one_file_names_the_entry(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "groups:\n  - {id: g1, name: G, code: GBRREBGGG, sector: REB}\n"
        "  - {id: g1, name: G, code: GBRREBGGG, sector: REB}\n",
    )
    with pytest.raises(SettingsError, match="groups entry 'g1'"):
        load_actors([path])


def test_missing_user_file_is_a_settings_error(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="cannot read"):
        load_actors([tmp_path / "absent.yaml"])


# ---------------------------------------------------------------- user files


def test_user_file_adds_and_overrides(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
countries:
  GBR: {merge: true, names: [Blighty]}
groups:
  - {id: wagner, name: Wagner Group, code: RUSPMCWAG, country: RUS, sector: PMC, aliases: [Musicians]}
people:
  - id: jane_roe
    name: Jane Roe
    aliases: [Roe]
    country: LUX
    roles: [{office: foreign_minister, title: Minister, from: 2030-01-01}]
""",
    )
    table = load_actors([path])
    assert _ids(table, "Blighty") == {"GBR"}
    assert _ids(table, "London") == {"GBR"}  # merge kept the packaged capital
    assert _ids(table, "Musicians") == {"wagner"}
    assert table.lookup("PMC Wagner") == ()  # the override replaced the aliases
    role = table.role_at("jane_roe", date(2031, 1, 1))
    assert role is not None and role.code == "LUXGOV"


def test_user_file_can_correct_a_role(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
people:
  - {id: john_healey, name: John Healey, aliases: [Healey], country: GBR,
     roles: [{office: defence_minister, from: 2024-07-05, to: 2030-01-01}]}
  - {id: someone_else, name: Someone Else, country: GBR,
     roles: [{office: defence_minister, from: 2030-01-01}]}
""",
    )
    table = load_actors([path])
    role = table.holder_at("defence_minister", "GBR", date(2031, 1, 1))
    assert role is not None and role.person_id == "someone_else"
