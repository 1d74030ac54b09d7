"""The CAMEO event-code table: names, Goldstein values, quad classes and the PLOVER mapping.

The table is ``data/cameo_codes.tsv`` (sources in its header and in ``data/README-cameo.md``).
Event coding needs three things from it: the row of a code, the 15-label PLV root category of a
code (PLOVER with CONCEDE and RETREAT folded into YIELD, the label set of the event-type
classifier), and a default code for a category when only the category is known.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from wirecheck.errors import SettingsError

__all__ = ["DEFAULT_CODES", "CameoCode", "CameoTable", "load_cameo", "plv_label"]

TABLE_FILE = Path(__file__).parent / "data" / "cameo_codes.tsv"

#: The code used when only the category is known (the classifier's label, no trigger). Mostly the
#: residual x0 code of the root; REQUEST defaults to the appeal 020 (an "urge" or "call on" is far
#: more common in news than a demand), ASSAULT to 190 (conventional force: most news "attacks").
DEFAULT_CODES: dict[str, str] = {
    "AGREE": "030",
    "CONSULT": "040",
    "SUPPORT": "050",
    "COOPERATE": "060",
    "AID": "070",
    "YIELD": "080",
    "CONCEDE": "080",
    "RETREAT": "087",
    "REQUEST": "020",
    "ACCUSE": "110",
    "REJECT": "120",
    "THREATEN": "130",
    "PROTEST": "140",
    "MOBILIZE": "150",
    "SANCTION": "160",
    "COERCE": "170",
    "ASSAULT": "190",
}


def plv_label(plover: str) -> str:
    """The PLV root label of a PLOVER event type (CONCEDE and RETREAT are YIELD)."""
    return "YIELD" if plover in ("CONCEDE", "RETREAT") else plover


@dataclass(frozen=True)
class CameoCode:
    """One row of the table. ``plover`` is empty for the statement codes (01x)."""

    code: str
    root: str
    level: int
    name: str
    goldstein: float
    quad_class: int
    plover: str
    mode: str | None

    @property
    def label(self) -> str:
        """The PLV root label (the event-type classifier's label set)."""
        return plv_label(self.plover)


class CameoTable:
    """All CAMEO codes, by code. Build with :func:`load_cameo`."""

    def __init__(self, codes: dict[str, CameoCode]) -> None:
        self.codes = codes

    def __contains__(self, code: object) -> bool:
        return code in self.codes

    def __len__(self) -> int:
        return len(self.codes)

    def get(self, code: str) -> CameoCode:
        """The row of ``code``; a :class:`SettingsError` for an unknown code."""
        try:
            return self.codes[code]
        except KeyError:
            raise SettingsError(f"unknown CAMEO code {code!r}") from None

    def default(self, label: str) -> CameoCode:
        """The default code of a PLOVER type or PLV label (see :data:`DEFAULT_CODES`)."""
        try:
            return self.codes[DEFAULT_CODES[label]]
        except KeyError:
            raise SettingsError(f"no CAMEO code for event type {label!r}") from None


def _parse(text: str, origin: str) -> CameoTable:
    codes: dict[str, CameoCode] = {}
    header: list[str] | None = None
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            continue
        if len(cells) != len(header):
            raise SettingsError(f"{origin} line {number}: expected {len(header)} columns")
        row = dict(zip(header, cells, strict=True))
        try:
            codes[row["code"]] = CameoCode(
                code=row["code"],
                root=row["root"],
                level=int(row["level"]),
                name=row["name"],
                goldstein=float(row["goldstein"]),
                quad_class=int(row["quad_class"]),
                plover=row["plover"],
                mode=row["mode"] or None,
            )
        except (KeyError, ValueError) as exc:
            raise SettingsError(f"{origin} line {number}: {exc}") from exc
    if not codes:
        raise SettingsError(f"{origin}: no CAMEO codes")
    return CameoTable(codes)


@lru_cache(maxsize=1)
def load_cameo(path: Path | None = None) -> CameoTable:
    """Load the packaged table (or ``path``); cached, the table is read-only."""
    file = TABLE_FILE if path is None else Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise SettingsError(f"cannot read the CAMEO table {file}: {exc}") from exc
    return _parse(text, str(file))
