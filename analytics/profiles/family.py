"""Find a family and read its profile: members, on/off dates, interventions, BLT months and plans.

A search takes a full NIK (looked up through the keyed hash; the NIK itself is never stored or
logged), an ID Keluarga or a name fragment, and searches the whole store in SQL within the role's
scope (analytics.access.auth.User.record_scope). Every search and every profile view is written to the
audit trail: who looked at whom, by ID Keluarga or person key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pandas as pd

from analytics import config, i18n
from analytics import formatting as fmt
from analytics.access.auth import User
from analytics.domain import REASONS, exit_reason, flow_labels, reason_labels, source_labels
from analytics.i18n import t
from analytics.store import audit, privacy
from analytics.store.db import Store

CAP = 20  # families a search shows at most; the total found is said beside them
MIN_NAME = 3  # shortest name fragment searched (shorter ones match half the city)
QUERY_PARAM = "keluarga"  # the profile's query parameter: an ID Keluarga, never a NIK
_SEPARATORS = re.compile(r"[\s.\-]")
_NIK = re.compile(r"[0-9]{16}")
_LONG_NUMBER = re.compile(r"[0-9]{6,}")  # text holding such a run may be part of a NIK: never logged


class FamilyRefusal(i18n.Refusal):
    """A search or profile the role may not have, or a search too short to run."""


@dataclass(frozen=True)
class Search:
    """What a search text asks for, in the form the SQL binds. A NIK survives only as its key."""

    person_key: str | None
    id_keluarga: str | None
    nama: str | None
    logged: str  # how the audit trail may name the search (never a NIK)

    @property
    def by_nik(self) -> bool:
        """Whether the text was a full NIK."""
        return self.person_key is not None


def parse(text: str, secret: bytes) -> Search:
    """A full NIK (16 digits, spaces, dots and dashes ignored) becomes its person key; any other text
    is tried as an ID Keluarga and, without digits, as a name fragment."""
    text = text.strip()
    compact = _SEPARATORS.sub("", text)
    if _NIK.fullmatch(compact):
        key = privacy.person_key(compact, secret)
        return Search(key, None, None, f"NIK (kunci orang {key})")
    name = text if len(text) >= MIN_NAME and not re.search(r"[0-9]", text) else None
    logged = f"teks {text!r}" if not _LONG_NUMBER.search(compact) else "teks berangka (tidak dicatat)"
    return Search(None, text, name, logged)


@dataclass(frozen=True)
class Found:
    """The families a search found (at most CAP) and how many it found in all."""

    families: pd.DataFrame  # id_keluarga, anggota, di_daftar, cocok, kelurahan, kecamatan
    total: int


def _require_named(user: User | None) -> User:
    if user is None or not user.sees_named_records:
        raise FamilyRefusal.keyed("s2.no_named_access")
    return user


def find(store: Store, user: User | None, text: str) -> Found:
    """The families the text finds within the user's scope; audited (action cari_keluarga)."""
    user = _require_named(user)
    secret, _demo = config.nik_secret()
    search = parse(text, secret)
    if search.person_key is None and not search.id_keluarga:
        raise FamilyRefusal.keyed("s2.empty")
    df = store.query(
        "family_search",
        person_key=search.person_key,
        id_keluarga=search.id_keluarga,
        nama=search.nama,
        cap=CAP,
        **user.record_scope(),
    )
    total = int(df["total"].iloc[0]) if len(df) else 0
    ids = df["id_keluarga"].tolist()
    logged = search.logged
    same = [i for i in ids if search.id_keluarga and i.upper() == search.id_keluarga.upper()]
    if same:
        logged = f"ID Keluarga {same[0]}"  # a family the role found: its ID may be named
    detail = f"{total} keluarga" + (": " + ", ".join(ids) if ids else "")
    audit.log(store, user.name, user.role, "cari_keluarga", logged, detail=detail)
    return Found(df.drop(columns="total"), total)


def may_see(store: Store, user: User | None, id_keluarga: str) -> bool:
    """Whether the user may open this family's profile (the scope of family_search)."""
    if user is None or not user.sees_named_records:
        return False
    df = store.query("family_scope", id_keluarga=id_keluarga, **user.record_scope())
    return bool(df["may_see"].iloc[0])


@dataclass
class Profile:
    """One family as the profile page and its PDF show it (one source for both)."""

    id_keluarga: str
    show_names: bool
    members: pd.DataFrame  # family_members
    intervals: pd.DataFrame  # family_intervals
    records: pd.DataFrame  # family_interventions
    baseline: date | None
    latest: date | None

    @property
    def kelurahan(self) -> str:
        """'Kelurahan, Kec. Kecamatan' where most members on the list (else most members) live."""
        members = self.members[self.members["di_daftar"]] if self.members["di_daftar"].any() else self.members
        if members.empty or members["kelurahan"].isna().all():
            return "–"
        place = members.groupby(["kecamatan", "kelurahan"]).size().sort_values(ascending=False).index[0]
        return t("ui.area_kel", kel=place[1], kec=place[0])

    @property
    def on_list(self) -> bool:
        """Whether any member is on the latest snapshot's list."""
        return bool(self.members["di_daftar"].any())

    def events(self) -> pd.DataFrame:
        """Every date a member came on or went off the list, with the reason: tanggal, person_key,
        peristiwa ('awal' on the first list, masuk_baru, masuk_kembali, keluar), alasan, kelurahan,
        sumber_alasan ('registri', 'verval' or None) and terbukti (graduasi only), the exit's reason
        filled from verval as flow_stats does (domain.exit_reason)."""
        rows = []
        for person, spans in self.intervals.groupby("person_key", sort=False):
            on, end, place, last = False, None, None, None
            for span in spans.itertuples(index=False):
                start = span.valid_from.date()
                if on and end is not None and start != end:  # missing from a snapshot while on the list
                    rows.append((end, person, "keluar", *exit_reason(None, last), place))
                    on = False
                now_on = span.status == "aktif"
                if now_on and not on:
                    kind = "awal" if start == self.baseline else "masuk_baru"
                    kind = "masuk_kembali" if end is not None else kind
                    rows.append((start, person, kind, None, None, None, span.kelurahan))
                elif on and not now_on:
                    rows.append((start, person, "keluar", *exit_reason(span.alasan, last), span.kelurahan))
                on, place = now_on, span.kelurahan
                last = span if now_on else last
                end = None if pd.isna(span.valid_to) else span.valid_to.date()
            if on and end is not None:  # dropped from the list at its last snapshot without a reason
                rows.append((end, person, "keluar", *exit_reason(None, last), place))
        columns = ["tanggal", "person_key", "peristiwa", "alasan", "sumber_alasan", "terbukti", "kelurahan"]
        df = pd.DataFrame(rows, columns=columns)
        order = {key: i for i, key in enumerate(self.members["person_key"])}  # members in table order
        df["urutan"] = df["person_key"].map(order)
        df = df.sort_values(["tanggal", "urutan"], kind="stable")
        return df.drop(columns="urutan").reset_index(drop=True)

    def _who(self, person_keys: pd.Series) -> pd.Series:
        """A member as the tables name them: masked NIK, and the name when names may be shown."""
        m = self.members.set_index("person_key")
        label = m["nik_masked"]
        if self.show_names:
            label = m["nama"].fillna("–") + " (" + m["nik_masked"] + ")"
        return person_keys.map(label).fillna(t("s2.family_unit"))

    def members_table(self) -> pd.DataFrame:
        """Members with masked NIK, name (when allowed), birth year, desil, kelurahan, on the list now."""
        m = self.members
        out = pd.DataFrame({t("col.nik_tersamar"): m["nik_masked"]})
        if self.show_names:
            out[t("col.nama")] = m["nama"]
        out[t("s2.col_sex")] = m["jenis_kelamin"].fillna("–")
        out[t("s2.col_birth_year")] = m["tahun_lahir"].map(lambda y: "–" if pd.isna(y) else str(int(y)))
        out[t("s2.col_desil")] = m["desil"].map(lambda d: "–" if pd.isna(d) else str(int(d)))
        out[t("col.kelurahan")] = m["kelurahan"].fillna("–")
        out[t("s2.col_on_list")] = m["di_daftar"].map({True: t("ui.yes"), False: t("ui.no")})
        return out

    def events_table(self) -> pd.DataFrame:
        """On/off dates with reasons, oldest first."""
        e = self.events()
        reasons, flows = reason_labels(), flow_labels()

        def what(kind: str, reason: str | None) -> str:
            if kind == "keluar":
                known = reason if reason in REASONS else "tidak_diketahui"
                return t("tables.exit_reason", label=reasons[known])
            return t("s2.event_awal") if kind == "awal" else flows[kind]

        def source(kind: str, where: str | None, proven: bool | None) -> str:
            if kind != "keluar" or where is None:
                return "–"
            text = source_labels()[where]
            return text if proven is None else f"{text}; {t('c19.proven' if proven else 'c19.unproven')}"

        return pd.DataFrame(
            {
                t("col.tanggal"): e["tanggal"].map(fmt.tanggal),
                t("s2.col_member"): self._who(e["person_key"]),
                t("col.perubahan"): [what(k, r) for k, r in zip(e["peristiwa"], e["alasan"], strict=True)],
                t("c19.col_source"): [
                    source(k, w, None if pd.isna(p) else bool(p))
                    for k, w, p in zip(e["peristiwa"], e["sumber_alasan"], e["terbukti"], strict=True)
                ],
                t("col.kelurahan"): e["kelurahan"].fillna("–"),
            }
        )

    def programmes(self) -> pd.DataFrame:
        """Per OPD x programme: first and last date, deliveries and rupiah, plans not yet delivered."""
        r = self.records
        if r.empty:
            return pd.DataFrame(
                columns=["opd", "program", "pertama", "terakhir", "tersalur", "nilai_tersalur", "rencana"]
            )
        done = r["status"] == "tersalur"
        return (
            r.assign(tersalur=done, nilai_tersalur=r["nilai"].where(done, 0), rencana=~done)
            .groupby(["opd", "program"], sort=True, dropna=False)
            .agg(
                pertama=("tanggal", "min"),
                terakhir=("tanggal", "max"),
                tersalur=("tersalur", "sum"),
                nilai_tersalur=("nilai_tersalur", "sum"),
                rencana=("rencana", "sum"),
            )
            .reset_index()
        )

    def programmes_table(self) -> pd.DataFrame:
        """programmes() as shown: OPD, programme, dates, delivered, rupiah, still planned."""
        p = self.programmes()
        return pd.DataFrame(
            {
                t("s2.col_opd"): p["opd"].fillna("–"),
                t("s2.col_program"): p["program"],
                t("s2.col_first"): p["pertama"].map(fmt.tanggal),
                t("s2.col_last"): p["terakhir"].map(fmt.tanggal),
                t("s2.col_delivered"): p["tersalur"].map(fmt.number),
                t("s2.col_amount"): p["nilai_tersalur"].map(rupiah),
                t("s2.col_planned"): p.apply(_planned_text, axis=1) if len(p) else pd.Series(dtype=object),
            }
        )

    def records_table(self) -> pd.DataFrame:
        """Every OPD record: date, OPD, programme, status, rupiah, and for whom."""
        r = self.records
        return pd.DataFrame(
            {
                t("col.tanggal"): r["tanggal"].map(fmt.tanggal),
                t("s2.col_opd"): r["opd"].fillna(r["kode_opd"]),
                t("s2.col_program"): r["program"],
                t("s2.col_status"): r["status"].map(lambda s: t(f"s2.status_{s}")),
                t("s2.col_amount"): r["nilai"].map(rupiah),
                t("s2.col_member"): self._who(r["person_key"].where(r["satuan"] == "orang")),
            }
        )

    def blt(self) -> pd.DataFrame:
        """Per cash programme (income support, as analytics.opd.budget counts it): months paid, rupiah
        paid, what the programme plans for this family (amount x months x units) and what is left."""
        cash = self.records[self.records["strategi"] == "bantuan_pendapatan"]
        rows = []
        for (program, satuan), r in cash.groupby(["program", "satuan"], sort=True):
            paid = r[r["status"] == "tersalur"]
            units = r["person_key"].nunique() if satuan == "orang" else 1
            first = r.iloc[0]
            planned = int(first["nilai_program"]) * int(first["bulan_program"]) * max(units, 1)
            payments = int(first["bulan_program"]) * max(units, 1)
            rows.append(
                {
                    "program": program,
                    "bulan_tersalur": sorted({d.replace(day=1) for d in paid["tanggal"].dt.date}),
                    "pembayaran": len(paid),
                    "pembayaran_rencana": payments,
                    "nilai_tersalur": int(paid["nilai"].sum()),
                    "nilai_rencana": planned,
                    "sisa": max(0, planned - int(paid["nilai"].sum())),
                    "mulai": first["mulai"],
                    "selesai": first["selesai"],
                }
            )
        return pd.DataFrame(rows)

    def blt_table(self) -> pd.DataFrame:
        """blt() as shown."""
        b = self.blt()
        if b.empty:
            return pd.DataFrame(columns=[t("s2.col_program"), t("s2.col_months")])
        period = [
            f"{fmt.bulan(m) if pd.notna(m) else '–'} – {fmt.bulan(s) if pd.notna(s) else '–'}"
            for m, s in zip(b["mulai"], b["selesai"], strict=True)
        ]
        return pd.DataFrame(
            {
                t("s2.col_program"): b["program"],
                t("s2.col_months"): b["bulan_tersalur"].map(lambda ms: ", ".join(map(fmt.bulan, ms)) or "–"),
                t("s2.col_payments"): [
                    t("s2.payments_of", done=fmt.number(d), planned=fmt.number(p))
                    for d, p in zip(b["pembayaran"], b["pembayaran_rencana"], strict=True)
                ],
                t("s2.col_amount"): b["nilai_tersalur"].map(rupiah),
                t("s2.col_plan_total"): b["nilai_rencana"].map(rupiah),
                t("s2.col_left"): b["sisa"].map(rupiah),
                t("s2.col_period"): period,
            }
        )


def rupiah(value: object) -> str:
    """An exact amount for a home visit: 'Rp 300.000' (the tables elsewhere round to 'Rp 300 ribu')."""
    return "–" if pd.isna(value) else f"Rp {fmt.number(int(value))}"


def _planned_text(row: pd.Series) -> str:
    if not row["rencana"]:
        return "–"
    key = "s2.planned_pending" if not row["tersalur"] else "s2.planned_some"
    return t(key, n=fmt.number(row["rencana"]))


def _load(store: Store, user: User, id_keluarga: str) -> Profile:
    scope = user.record_scope()
    dates = store.query("snapshot_list")["as_of"].dt.date
    records = store.query("family_interventions", id_keluarga=id_keluarga)
    return Profile(
        id_keluarga=id_keluarga,
        show_names=bool(scope["tampil_nama"]),
        members=store.query("family_members", id_keluarga=id_keluarga, tampil_nama=scope["tampil_nama"]),
        intervals=store.query("family_intervals", id_keluarga=id_keluarga),
        records=records,
        baseline=dates.min() if len(dates) else None,
        latest=dates.max() if len(dates) else None,
    )


def profile(store: Store, user: User | None, id_keluarga: str, *, audited: bool = True) -> Profile:
    """The family's profile if the user may see it (else FamilyRefusal); a view is audited
    (action lihat_keluarga, refused ones too). The PDF download reads it unaudited: the download
    itself is audited."""
    allowed = may_see(store, user, id_keluarga)
    if audited and user is not None:
        # an ID the role may not open could be anything typed into the URL, a NIK too: named only
        # when it holds no long number
        named = allowed or not _LONG_NUMBER.search(_SEPARATORS.sub("", id_keluarga))
        obj = f"ID Keluarga {id_keluarga}" if named else "teks berangka (tidak dicatat)"
        detail = None if allowed else "ditolak: di luar cakupan peran"
        audit.log(store, user.name, user.role, "lihat_keluarga", obj, detail=detail)
    if not allowed:
        raise FamilyRefusal.keyed("s2.not_in_scope")
    return _load(store, user, id_keluarga)
