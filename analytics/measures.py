"""The catalogue of measures: one id, one name, one definition and one query per figure shown.

Every page label, chart axis, table header, pack page, export column and the CLI summary takes a
measure's name from here (`label("orang_di_daftar")`), so one name always means one number. The
words live in the locale files under `i15c.<id>.name` / `i15c.<id>.definition`; the glossary page
(pages/istilah.py) is generated from this catalogue in both languages.

Rule kept here: no two measures share a name, and the word "sisa" (remaining) belongs only to the
start-list measures; everyone on the list at a date is "di daftar".
"""

from __future__ import annotations

from dataclasses import dataclass

from analytics import formatting as fmt
from analytics.i18n import LANGUAGES, language, t, text
from analytics.store.db import QUERIES


def _words(key: str, lang: str | None) -> str:
    """The locale text of key in `lang`, or in the current language when None."""
    return text(lang or language(), key)


@dataclass(frozen=True)
class Measure:
    """One figure the app shows: what it counts, in which unit, computed by which named query."""

    id: str
    unit: str  # "orang", "keluarga" or "persen"
    query: str  # analytics/queries/<query>.sql
    column: str  # the column of that query holding the value
    words: str = "i15c"  # the locale table holding `<id>.name`, `<id>.definition` and `unit.<unit>`

    @property
    def query_path(self):
        """The named query's file."""
        return QUERIES / f"{self.query}.sql"

    def name(self, lang: str | None = None) -> str:
        """The measure's name in `lang` (the current language when None)."""
        return _words(f"{self.words}.{self.id}.name", lang)

    def definition(self, lang: str | None = None) -> str:
        """What counts and what does not, in one sentence."""
        return _words(f"{self.words}.{self.id}.definition", lang)

    def unit_name(self, lang: str | None = None) -> str:
        return _words(f"{self.words}.unit.{self.unit}", lang)


_ALL = (
    Measure("orang_di_daftar", "orang", "burndown_series", "orang_aktif"),
    Measure("keluarga_di_daftar", "keluarga", "burndown_series", "keluarga_aktif"),
    Measure("orang_daftar_awal", "orang", "burndown_series", "orang_sisa_baseline"),
    Measure("keluarga_daftar_awal", "keluarga", "burndown_series", "keluarga_sisa_baseline"),
    Measure("orang_sisa_daftar_awal", "orang", "burndown_series", "orang_sisa_baseline"),
    Measure("keluarga_sisa_daftar_awal", "keluarga", "burndown_series", "keluarga_sisa_baseline"),
    Measure("orang_masuk_sejak_awal", "orang", "burndown_series", "orang_baru"),
    Measure("orang_keluar", "orang", "waterfall_flows", "orang"),
    Measure("persen_turun", "persen", "burndown_series", "orang_sisa_baseline"),
    Measure("persen_sisa_orang", "persen", "kecamatan_series", "orang_sisa_baseline"),
    Measure("persen_sisa_keluarga", "persen", "kecamatan_series", "keluarga_sisa_baseline"),
    Measure("keluarga_terjangkau", "keluarga", "opd_coverage", "keluarga_terjangkau"),
    Measure("persen_keluarga_terjangkau", "persen", "opd_coverage", "keluarga_terjangkau"),
    Measure("keluarga_belum_tersentuh", "keluarga", "intervensi_untouched_families", "total"),
    # the OPD's own headline (analytics.opd.focus), each also shown for the city (any OPD)
    Measure("penugasan_belum_tersalur", "penugasan", "opd_focus", "penugasan_belum_tersalur", "s4"),
    Measure("penerima_luar_daftar", "penerima", "opd_focus", "penerima_luar_daftar", "s4"),
    Measure("hari_sejak_data_opd", "hari", "opd_focus", "hari_sejak_data", "s4"),
)

MEASURES: dict[str, Measure] = {m.id: m for m in _ALL}


def label(measure_id: str, lang: str | None = None) -> str:
    """The name a page, chart, table, pack or export shows for this measure."""
    return MEASURES[measure_id].name(lang)


def at_date(measure_id: str, day: str) -> str:
    """A column of this measure at one date, e.g. 'Sisa daftar awal (orang) 30 Sep 2024'."""
    return t("i15c.at_date", label=label(measure_id), date=day)


def by_label(shown: str) -> str | None:
    """The measure id whose name (in any language, any letter case) is `shown`, else None."""
    wanted = shown.strip().casefold()
    for m in _ALL:
        if any(m.name(lang).casefold() == wanted for lang in LANGUAGES):
            return m.id
    return None


def family_rule(lang: str | None = None) -> str:
    """How a family split across kelurahan is counted (the rule area_stats applies)."""
    return _words("i15c.family_rule", lang)


def side_by_side(on_list: int, remaining: int, new: int) -> str:
    """'On the list = start list remaining + joined since the start', with the catalogue's names."""
    return t(
        "i15c.side_by_side",
        on_list_label=label("orang_di_daftar"),
        on_list=fmt.number(on_list),
        remaining_label=label("orang_sisa_daftar_awal"),
        remaining=fmt.number(remaining),
        new_label=label("orang_masuk_sejak_awal"),
        new=fmt.number(new),
    )


def glossary(lang: str | None = None) -> list[dict[str, str]]:
    """Name, definition, unit and query of every measure, for the Istilah page."""
    return [
        {
            "name": m.name(lang),
            "definition": m.definition(lang),
            "unit": m.unit_name(lang),
            "query": m.query,
        }
        for m in _ALL
    ]


def family_rule_heading(lang: str | None = None) -> str:
    """The heading of the family rule in the glossary."""
    return _words("i15c.family_heading", lang)


def dtsen_rule(desil_max: int, flagged: bool, lang: str | None = None) -> str:
    """Who is on the list in a DTSEN snapshot (settings.dtsen_rule), then what desil 1 and the city's
    extreme-poverty list each are: two facts, never one."""
    lang = lang or language()
    upto = text(lang, "a19.rule_upto", n=desil_max) if desil_max > 1 else ""
    extra = text(lang, "a19.rule_flagged_on" if flagged else "a19.rule_flagged_off")
    return f"{text(lang, 'a19.rule', upto=upto, flagged=extra)} {text(lang, 'a19.rule_facts')}"


def dtsen_rule_heading(lang: str | None = None) -> str:
    """The heading of the DTSEN list rule on the Data page and in the glossary."""
    return _words("a19.rule_heading", lang)
