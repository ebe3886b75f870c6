"""Deterministic demo data: monthly P3KE-format snapshots of Samarinda's extreme-poverty list.

The baseline holds 1,600 families (9,032 people). Each month re-entrants and new entrants join,
then whole families and individuals leave so that the Aktif totals follow a path through the
published checkpoints. Only np.random.default_rng(seed) is used: a seed always gives the same data.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import json
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
GEO_DIRS = (ROOT / "data" / "geo", ROOT.parent / "shared" / "data" / "geo")

COLUMNS = [
    "ID Keluarga P3KE", "ID Individu", "Kode Kemdagri", "Provinsi", "Kabupaten/Kota", "Kecamatan",
    "Desa/Kelurahan", "Alamat", "Desil Kesejahteraan", "Persentil", "Prioritas Verval", "Nama", "NIK",
    "Padan Dukcapil", "Jenis Kelamin", "Hubungan dengan Kepala Keluarga", "Tanggal Lahir",
    "Status Kawin", "Pekerjaan", "Status Pekerjaan", "Pendidikan", "Usia", "Kelompok Usia",
    "Penerima BPNT", "Penerima BPUM", "Penerima BST", "Penerima PKH", "Penerima SEMBAKO",
    "Penerima Prakerja", "Penerima KUR", "Status", "Alasan Keluar", "Tanggal Verifikasi",
]  # fmt: skip
TEXT_COLUMNS = {"ID Keluarga P3KE", "ID Individu", "Kode Kemdagri", "NIK"}
NUMBER_COLUMNS = {"Desil Kesejahteraan", "Persentil", "Prioritas Verval", "Usia"}
DEFAULT_TITLE_ROWS = ["DATA P3KE KEMISKINAN EKSTREM", "Kota Samarinda - Provinsi Kalimantan Timur", ""]


def _month_ends(year: int, month: int, n: int) -> list[date]:
    firsts = [date(year + (month - 1 + i) // 12, (month - 1 + i) % 12 + 1, 1) for i in range(n + 1)]
    return [f - timedelta(days=1) for f in firsts[1:]]


DEMO_DATES: list[date] = _month_ends(2022, 11, 26)
CHECKPOINTS = {
    date(2022, 11, 30): (9032, 1600),
    date(2023, 6, 30): (6973, 1456),
    date(2024, 3, 31): (6000, 1232),
}
FINAL_TARGET = (4320, 905)  # 2024-12-31: behind the zero target

# Per kecamatan 64.72.01..10 (Palaran, Samarinda Seberang, Samarinda Ulu, Samarinda Ilir, Samarinda Utara,
# Sungai Kunjang, Sambutan, Sungai Pinang, Samarinda Kota, Loa Janan Ilir): baseline people (Samarinda
# Utara's 1,587 is published) and an exit pace multiplier (Utara and Palaran behind, Kota and Ulu ahead).
KECAMATAN = [f"64.72.{i:02d}" for i in range(1, 11)]
BASELINE_PEOPLE = dict(zip(KECAMATAN, [1020, 890, 1105, 760, 1587, 1010, 905, 820, 340, 595], strict=True))
PACE = dict(zip(KECAMATAN, [0.7, 1.0, 1.4, 1.1, 0.6, 0.9, 0.85, 1.15, 1.6, 0.95], strict=True))
SIZE_P = np.array([4, 6, 9, 13, 16, 16, 14, 10, 7, 5]) / 100  # family size 1..10, mean ~5.6
NEW_SIZE_P = np.array([8, 14, 20, 22, 16, 10, 6, 4]) / 100  # new families, size 1..8
NEW_FAMILIES, NEW_MEMBERS, VANISH = 45, 20, 0.03

REASONS = ["Graduasi", "Meninggal", "Pindah", "Tidak Layak", "Menolak", "Ganda"]
GRAD, DIED, MOVED, UNFIT, REFUSED, DOUBLE = range(6)
HEAD, SPOUSE, CHILD, PARENT, OTHER = range(5)
RELATIONS = np.array(["Kepala Keluarga", "Istri/Suami", "Anak", "Orang Tua", "Famili Lain"])

MALE = (
    "Muhammad Ahmad Abdul Rahmat Agus Budi Joko Slamet Andi Syahrir Rusdi Hamzah Ilham Fajar Rizki Arif "
    "Hendra Yusuf Samsul Zainal Iwan Herman Sudirman Darmawan Sugeng Bambang Haris Akbar Ridwan Firman Aldi "
    "Dimas Bayu Gusti Irfan Asrul Jumadi Mansyur Nasir Supriadi"
).split()
FEMALE = (
    "Siti Nur Aisyah Fatimah Sri Dewi Rina Wahyuni Hasnah Rosmini Nurul Suriani Kartini Maimunah Rahmawati "
    "Fitri Ayu Indah Putri Lestari Halimah Jumiati Marlina Sumiati Ratna Yuliana Mariani Hadijah Salmah "
    "Norhayati Aminah Zainab Anisa Dian Eka Ningsih Suryani Rukmini Juliana Nabila"
).split()
SURNAMES = (
    "Rahman Hidayat Saputra Setiawan Kurniawan Wijaya Hasan Ismail Abdullah Arsyad Syahrani Baharuddin "
    "Mappiasse Lamba Pratama Santoso Nugroho Prasetyo Hakim Noor Anwar Effendi Maulana Ramadhan Firdaus "
    "Gazali Hamdani Jamal Latif Mahmud Rasyid Sulaiman Tahir Yunus Daeng"
).split()
STREETS = (
    "Jl. Padat Karya, Jl. Gerilya, Jl. Pemuda, Jl. Lambung Mangkurat, Jl. KH. Wahid Hasyim, Gg. Mawar, "
    "Jl. Pangeran Suryanata, Jl. Sultan Alimuddin, Jl. Cendana, Jl. Jakarta, Jl. Bhayangkara, Gg. Hidayah, "
    "Jl. Rapak Indah, Jl. Pattimura, Jl. Pelita, Jl. Sentosa, Jl. P. Antasari, Jl. Slamet Riyadi, "
    "Jl. Untung Suropati, Jl. Kadrie Oening, Jl. Damanhuri, Gg. Kenanga, Jl. Poros Samarinda-Bontang, "
    "Jl. Tanjung Batu, Jl. Trisari, Jl. Ampera"
).split(", ")
JOBS = {  # adult occupation -> Status Pekerjaan
    "Buruh Harian Lepas": "Pekerja Bebas",
    "Tukang Bangunan": "Pekerja Bebas",
    "Petani/Pekebun": "Berusaha Sendiri",
    "Nelayan/Perikanan": "Berusaha Sendiri",
    "Pedagang": "Berusaha Sendiri",
    "Wiraswasta": "Berusaha Sendiri",
    "Sopir": "Buruh/Karyawan",
    "Belum/Tidak Bekerja": "Tidak Bekerja",
}
SCHOOL = [
    "Tidak/Belum Sekolah",
    "Tidak Tamat SD",
    "SD/Sederajat",
    "SMP/Sederajat",
    "SMA/Sederajat",
    "Diploma/S1",
]
PROGRAMS = {
    "BPNT": 0.55,
    "BPUM": 0.08,
    "BST": 0.35,
    "PKH": 0.45,
    "SEMBAKO": 0.6,
    "Prakerja": 0.03,
    "KUR": 0.02,
}


def _kelurahan() -> pd.DataFrame:
    """The 59 kelurahan (dotted code, name, kecamatan code, kecamatan name), sorted by code."""
    path = next(
        (d / "samarinda_kelurahan.geojson" for d in GEO_DIRS if (d / "samarinda_kelurahan.geojson").exists()),
        None,
    )
    if path is None:
        raise FileNotFoundError(f"samarinda_kelurahan.geojson not found in {[str(d) for d in GEO_DIRS]}")
    props = [f["properties"] for f in json.loads(path.read_text(encoding="utf-8"))["features"]]
    rows = sorted((p["kode_kelurahan"], p["kelurahan"], p["kode_kecamatan"], p["kecamatan"]) for p in props)
    return pd.DataFrame(rows, columns=["kode", "nama", "kode_kec", "kec"])


def _apportion(total: int, weights: np.ndarray) -> np.ndarray:
    raw = total * weights / weights.sum()
    out = np.floor(raw).astype(int)
    out[np.argsort(out - raw, kind="stable")[: total - out.sum()]] += 1
    return out


def _fit_sizes(rng: np.random.Generator, sizes: np.ndarray, total: int) -> np.ndarray:
    """Nudge family sizes (kept within 1..10) until they sum to total."""
    while (diff := total - sizes.sum()) != 0:
        step = int(np.sign(diff))
        ok = np.flatnonzero(sizes < 10 if step > 0 else sizes > 1)
        sizes[rng.choice(ok, min(abs(diff), ok.size), replace=False)] += step
    return sizes


def _families(rng: np.random.Generator, kel: pd.DataFrame) -> dict[str, np.ndarray]:
    """Baseline families per kecamatan (exact people totals) plus new families found later."""
    people = np.array(list(BASELINE_PEOPLE.values()))
    kel_of, size = [], []
    for code, n_people, n_fam in zip(KECAMATAN, people, _apportion(1600, people), strict=True):
        idx = np.flatnonzero(kel["kode_kec"].to_numpy() == code)
        share = 0.3 / idx.size + 0.7 * rng.dirichlet(np.full(idx.size, 1.5))  # uneven over kelurahan
        kel_of.append(np.sort(rng.choice(idx, n_fam, p=share)))
        size.append(_fit_sizes(rng, rng.choice(np.arange(1, 11), n_fam, p=SIZE_P), int(n_people)))
    months = np.arange(1, len(DEMO_DATES))
    month_w = np.where((months >= 2) & (months <= 10), 1.0, 0.08)  # verification months of 2023
    new_entry = np.sort(rng.choice(months, NEW_FAMILIES, p=month_w / month_w.sum()))
    base_kel = np.concatenate(kel_of)
    kel_w = np.bincount(base_kel, minlength=len(kel)) / base_kel.size
    kel_of.append(rng.choice(len(kel), NEW_FAMILIES, p=kel_w))
    size.append(rng.choice(np.arange(1, 9), NEW_FAMILIES, p=NEW_SIZE_P))
    kel_all = np.concatenate(kel_of)
    return {
        "kel": kel_all,
        "size": np.concatenate(size),
        "pace": kel["kode_kec"].map(PACE).to_numpy()[kel_all],
        "entry": np.concatenate([np.zeros(base_kel.size, int), new_entry]),
    }


def _people(rng: np.random.Generator, fam: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Members of every family (head first), plus members registered later into a family (fam -1)."""
    nf = fam["size"].size
    home = np.repeat(np.arange(nf), fam["size"])
    n = home.size
    member = np.arange(n) - np.repeat(np.cumsum(fam["size"]) - fam["size"], fam["size"])
    spouse = (rng.random(nf) < 0.8)[home] & (member == 1)
    others = rng.choice([CHILD, PARENT, OTHER], n, p=[0.85, 0.08, 0.07])
    rel = np.where(member == 0, HEAD, np.where(spouse, SPOUSE, others))
    head_age, head_male = rng.integers(24, 76, nf)[home], (rng.random(nf) < 0.8)[home]
    spouse_age = np.maximum(18, head_age + rng.integers(-8, 4, n))
    child_age = (rng.random(n) * np.clip(head_age - 17, 1, 28)).astype(int)
    parent_age = np.minimum(95, head_age + rng.integers(20, 30, n))
    age = np.select(
        [rel == HEAD, rel == SPOUSE, rel == CHILD, rel == PARENT],
        [head_age, spouse_age, child_age, parent_age],
        rng.integers(3, 70, n),
    )
    male = np.select([rel == HEAD, rel == SPOUSE], [head_male, ~head_male], rng.random(n) < 0.5)
    dob = np.datetime64(DEMO_DATES[0]) - (age * 365.25).astype(int) - rng.integers(0, 365, n)
    late = np.sort(rng.choice(np.arange(2, 23), NEW_MEMBERS))  # babies and newly found members
    late_dob = np.array([np.datetime64(DEMO_DATES[m]) for m in late]) - rng.integers(15, 400, NEW_MEMBERS)
    return {
        "fam": np.concatenate([home, np.full(NEW_MEMBERS, -1)]),
        "member": np.concatenate([member, np.full(NEW_MEMBERS, -1)]),
        "rel": np.concatenate([rel, np.full(NEW_MEMBERS, CHILD)]),
        "male": np.concatenate([male, rng.random(NEW_MEMBERS) < 0.5]),
        "dob": np.concatenate([dob, late_dob]).astype("datetime64[D]"),
        "entry": np.concatenate([fam["entry"][home], late]),
    }


def _targets(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Aktif people and families per month, through the checkpoints with uneven monthly steps."""
    marks = [(DEMO_DATES.index(d), *pf) for d, pf in CHECKPOINTS.items()]
    marks.append((len(DEMO_DATES) - 1, *FINAL_TARGET))
    people, families = np.zeros(len(DEMO_DATES), int), np.zeros(len(DEMO_DATES), int)
    people[0], families[0] = marks[0][1:]
    for (m0, p0, f0), (m1, p1, f1) in itertools.pairwise(marks):
        step = np.cumsum(rng.gamma(8.0, size=m1 - m0))
        people[m0 + 1 : m1 + 1] = np.round(p0 + (p1 - p0) * step / step[-1])
        families[m0 + 1 : m1 + 1] = np.round(f0 + (f1 - f0) * step / step[-1])
    return people, families


def _reasons(rng: np.random.Generator, n: int, grad: float, p: list[float]) -> np.ndarray:
    """Graduasi with probability grad, else a data-correction reason drawn with weights p."""
    return np.where(rng.random(n) < grad, GRAD, rng.choice(np.arange(1, 6), n, p=p))


class _Register:
    """Who is on the list, month by month; people are rows of ppl, families rows of fam."""

    def __init__(self, rng: np.random.Generator, fam: dict, ppl: dict) -> None:
        self.rng, self.fam, self.ppl, self.home = rng, fam, ppl, ppl["fam"]
        n, self.nf = self.home.size, fam["kel"].size
        self.active = ppl["entry"] == 0
        self.left, self.reason, self.kind = np.full(n, -1), np.full(n, -1), np.zeros(n, int)
        self.quiet, self.came_back = np.zeros(n, bool), np.zeros(n, bool)
        self.next_member = np.bincount(self.home[self.home >= 0], minlength=self.nf)

    def sizes(self) -> np.ndarray:
        """Aktif members per family."""
        return np.bincount(self.home[self.active], minlength=self.nf)

    def join(self, m: int) -> np.ndarray:
        """Re-entries, new families and late members join in month m; return the mask of joiners."""
        rng, home, fam_on = self.rng, self.home, self.sizes() > 0
        pool = ~self.active & (self.kind == 1) & np.isin(self.reason, [MOVED, UNFIT]) & (self.left <= m - 2)
        pool = np.flatnonzero(pool & ~self.quiet & ~self.came_back & fam_on[np.maximum(home, 0)])
        back = rng.choice(pool, min(pool.size, int(rng.integers(1, 5))), replace=False) if m >= 3 else []
        self.came_back[back] = True
        late = np.flatnonzero((self.ppl["entry"] == m) & (home < 0))
        homes = rng.choice(np.flatnonzero(fam_on), late.size, replace=False)
        home[late], self.ppl["member"][late] = homes, self.next_member[homes]
        self.next_member[homes] += 1
        fresh = self.ppl["entry"] == m
        fresh[back] = True
        self.active |= fresh
        return fresh

    def leave(self, m: int, people: int, families: int, fresh: np.ndarray) -> tuple[np.ndarray, ...]:
        """Pick month m's leavers to land on the targets; return (rows, reasons, vanished)."""
        rng, home, size = self.rng, self.home, self.sizes()
        drop_p, drop_f = self.active.sum() - people, (size > 0).sum() - families
        # Whole families first (small ones more often), within the people budget.
        cand = np.flatnonzero((size > 0) & (np.bincount(home[fresh], minlength=self.nf) == 0))
        keys = rng.exponential(size=cand.size) * size[cand] / self.fam["pace"][cand]
        gone_f, people_f = [], 0
        for f in cand[np.argsort(keys, kind="stable")]:
            if len(gone_f) == drop_f:
                break
            if people_f + size[f] <= drop_p:
                gone_f.append(f)
                people_f += size[f]
        fam_gone = np.zeros(self.nf, bool)
        fam_gone[gone_f] = True
        in_gone = self.active & fam_gone[np.maximum(home, 0)]
        # Then individuals (never the head) from families that stay.
        cand = np.flatnonzero(self.active & ~fresh & (self.ppl["rel"] != HEAD) & ~in_gone)
        keys = rng.exponential(size=cand.size) / self.fam["pace"][home[cand]]
        gone_i = cand[np.argsort(keys, kind="stable")[: drop_p - people_f]]
        # Graduation grows from a minority of exits in early 2023 to most exits in 2024.
        t = min(1.0, max(0.0, (m - 4) / 12))
        fam_why, fam_quiet = np.full(self.nf, -1), np.zeros(self.nf, bool)
        fam_why[gone_f] = _reasons(rng, len(gone_f), 0.1 + 0.8 * t, [0, 0.35, 0.35, 0.15, 0.15])
        fam_quiet[gone_f] = rng.random(len(gone_f)) < VANISH
        why_i = _reasons(rng, gone_i.size, 0.05 + 0.4 * t, [0.2, 0.3, 0.3, 0.08, 0.12])
        age = (np.datetime64(DEMO_DATES[m]) - self.ppl["dob"][gone_i]).astype(int) // 365
        why_i = np.where((age >= 60) & (why_i != GRAD) & (rng.random(gone_i.size) < 0.5), DIED, why_i)
        # Only adults graduate on their own; a child leaving alone moved or was found not eligible.
        minor = age < 18
        why_i = np.where(minor & (why_i == GRAD), rng.choice([MOVED, UNFIT], gone_i.size), why_i)
        gone_fm = np.flatnonzero(in_gone)
        out = np.concatenate([gone_fm, gone_i])
        why = np.concatenate([fam_why[home[gone_fm]], why_i])
        hush = np.concatenate([fam_quiet[home[gone_fm]], rng.random(gone_i.size) < VANISH])
        self.active[out], self.left[out], self.reason[out], self.quiet[out] = False, m, why, hush
        self.kind[gone_fm], self.kind[gone_i] = 2, 1
        return out, why, hush


def _simulate(rng: np.random.Generator, fam: dict[str, np.ndarray], ppl: dict[str, np.ndarray]) -> list:
    """Per snapshot: (aktif rows, keluar rows, their reasons, their verification days)."""
    people, families = _targets(rng)
    reg = _Register(rng, fam, ppl)
    none = np.zeros(0, int)
    shots = [(np.flatnonzero(reg.active), none, none, none)]
    for m in range(1, len(DEMO_DATES)):
        out, why, hush = reg.leave(m, people[m], families[m], reg.join(m))
        days = rng.integers(1, DEMO_DATES[m].day + 1, out.size)
        shots.append((np.flatnonzero(reg.active), out[~hush], why[~hush], days[~hush]))
    return shots


def _nik(rng: np.random.Generator, kec_no: np.ndarray, dob: np.ndarray, male: np.ndarray) -> np.ndarray:
    """16-digit NIKs: 6472 + kecamatan + DDMMYY of birth (day + 40 for women) + a unique serial."""
    ymd = [dob.astype(f"datetime64[{u}]") for u in "YMD"]
    day = (ymd[2] - ymd[1]).astype(int) + 1 + 40 * ~male
    month, year = ymd[1].astype(int) % 12 + 1, (ymd[0].astype(int) + 1970) % 100
    z = zip(kec_no, day, month, year, strict=True)
    prefix = pd.Series([f"6472{k}{d:02d}{mo:02d}{y:02d}" for k, d, mo, y in z])
    start = pd.Series(rng.integers(1, 40, prefix.size)).groupby(prefix).transform("first")
    serial = prefix.groupby(prefix).cumcount() + start
    return (prefix + serial.map("{:04d}".format)).to_numpy()


def _names(rng: np.random.Generator, home: np.ndarray, male: np.ndarray, rel: np.ndarray) -> np.ndarray:
    """Upper-case names; the head and children of some families share a surname."""
    n, nf = home.size, home.max() + 1
    surname, shared = rng.choice(SURNAMES, nf), rng.random(nf) < 0.55
    given = np.where(male, rng.choice(MALE, n), rng.choice(FEMALE, n))
    second = np.where(male, rng.choice(SURNAMES, n), rng.choice(FEMALE, n))
    second = np.where(shared[home] & np.isin(rel, [HEAD, CHILD]), surname[home], second)
    full = np.char.add(np.char.add(given, " "), second)
    return np.char.upper(np.where(rng.random(n) < 0.15, given, full))


def _traits(
    rng: np.random.Generator, age: np.ndarray, male: np.ndarray, rel: np.ndarray, wed: np.ndarray
) -> dict:
    """Status Kawin, Pekerjaan, Status Pekerjaan and Pendidikan from age (at baseline), sex and role.

    wed marks the heads and spouses of families that have a spouse on the list.
    """
    n = age.size
    adult_job = np.where(~male & (rng.random(n) < 0.55), "Mengurus Rumah Tangga", rng.choice(list(JOBS), n))
    adult_job = np.where((age >= 65) & (rng.random(n) < 0.6), "Belum/Tidak Bekerja", adult_job)
    pupil = np.where(rng.random(n) < 0.85, "Pelajar/Mahasiswa", "Belum/Tidak Bekerja")
    job = np.select([age < 5, age < 19], ["Belum/Tidak Bekerja", pupil], adult_job)
    alone = rng.choice(["Cerai Mati", "Cerai Hidup", "Belum Kawin", "Kawin"], n, p=[0.5, 0.25, 0.15, 0.1])
    other = rng.choice(["Belum Kawin", "Kawin", "Cerai Mati"], n, p=[0.45, 0.3, 0.25])
    young = (age < 17) | ((rel == CHILD) & (age < 22))
    adult_school = rng.choice(SCHOOL, n, p=[0.1, 0.2, 0.35, 0.2, 0.13, 0.02])
    return {
        "Status Kawin": np.select([young, wed, rel == HEAD], ["Belum Kawin", "Kawin", alone], other),
        "Pekerjaan": job,
        "Status Pekerjaan": np.array([JOBS.get(j, "Tidak Bekerja") for j in job]),
        "Pendidikan": np.select(
            [age < 7, age < 13, age < 16, age < 19], SCHOOL[:1] + SCHOOL[2:5], adult_school
        ),
    }


def _static(rng: np.random.Generator, fam: dict, ppl: dict, kel: pd.DataFrame) -> pd.DataFrame:
    """Every person's columns that do not change between snapshots, plus birth date parts and row order."""
    home, male, rel, dob = ppl["fam"], ppl["male"], ppl["rel"], ppl["dob"]
    nf, k = fam["kel"].size, fam["kel"][ppl["fam"]]
    fam_ids = np.array(
        [f"P3KE6472{x}" for x in rng.permutation(10**7 + np.cumsum(rng.integers(1, 5000, nf)))]
    )
    streets = zip(rng.choice(STREETS, nf), rng.integers(1, 45, nf), strict=True)
    desil = rng.choice(np.arange(1, 5), nf, p=[0.82, 0.11, 0.05, 0.02])
    family = {
        "ID Keluarga P3KE": fam_ids,
        "Alamat": np.array([f"{s} RT {r:03d}" for s, r in streets]),
        "Desil Kesejahteraan": desil.astype(str),
        "Persentil": ((desil - 1) * 10 + rng.integers(1, 11, nf)).astype(str),
        "Prioritas Verval": rng.choice(["1", "2", "3"], nf, p=[0.5, 0.3, 0.2]),
    }
    family |= {
        f"Penerima {name}": np.where(rng.random(nf) < p, "Ya", "Tidak") for name, p in PROGRAMS.items()
    }
    codes = kel["kode"].str.replace(".", "").to_numpy()[k]
    age = np.maximum(0, (np.datetime64(DEMO_DATES[0]) - dob).astype(int) // 365)
    df = pd.DataFrame({c: v[home] for c, v in family.items()})
    df["ID Individu"] = [f"{fam_ids[h]}{mm + 1:02d}" for h, mm in zip(home, ppl["member"], strict=True)]
    df["Kode Kemdagri"] = codes
    df["Provinsi"], df["Kabupaten/Kota"] = "KALIMANTAN TIMUR", "KOTA SAMARINDA"
    df["Kecamatan"] = kel["kec"].str.upper().to_numpy()[k]
    df["Desa/Kelurahan"] = kel["nama"].str.upper().to_numpy()[k]
    df["Nama"] = _names(rng, home, male, rel)
    df["NIK"] = _nik(rng, kel["kode_kec"].str[-2:].to_numpy()[k], dob, male)
    df["Padan Dukcapil"] = np.where(rng.random(home.size) < 0.93, "Ya", "Tidak")
    df["Jenis Kelamin"] = np.where(male, "Laki-laki", "Perempuan")
    df["Hubungan dengan Kepala Keluarga"] = RELATIONS[rel]
    df["Tanggal Lahir"] = np.datetime_as_string(dob)
    wed = np.isin(rel, [HEAD, SPOUSE]) & (np.bincount(home[rel == SPOUSE], minlength=nf) > 0)[home]
    for column, values in _traits(rng, age, male, rel, wed).items():
        df[column] = values
    df["_y"], df["_m"], df["_d"] = (
        df["Tanggal Lahir"].str[a:b].astype(int) for a, b in ((0, 4), (5, 7), (8, 10))
    )
    df["_rank"] = np.argsort(np.lexsort((ppl["member"], fam_ids[home], codes)))
    return df


def _frame(static: pd.DataFrame, shot: tuple, as_of: date) -> pd.DataFrame:
    """One snapshot: Aktif people plus this month's Keluar rows, in export row order."""
    aktif, out, why, days = shot
    rows = np.concatenate([aktif, out])
    keluar = np.arange(rows.size) >= aktif.size
    reason = np.concatenate([np.full(aktif.size, ""), np.array(REASONS)[why]])
    verified = np.array([""] * aktif.size + [f"{as_of:%Y-%m}-{x:02d}" for x in days], dtype="U10")
    order = np.argsort(static["_rank"].to_numpy()[rows], kind="stable")
    df = static.iloc[rows[order]].reset_index(drop=True)
    y, m, d = (df[c].to_numpy() for c in ("_y", "_m", "_d"))
    age = as_of.year - y - ((m > as_of.month) | ((m == as_of.month) & (d > as_of.day)))
    df["Usia"] = age.astype(str)
    df["Kelompok Usia"] = np.select([age <= 5, age <= 17, age <= 59], ["0-5", "6-17", "18-59"], "60+")
    df["Status"] = np.where(keluar[order], "Keluar", "Aktif")
    df["Alasan Keluar"], df["Tanggal Verifikasi"] = reason[order], verified[order]
    return df[COLUMNS]


def generate_snapshots(seed: int = 42) -> dict[date, pd.DataFrame]:
    """All demo snapshots, one DataFrame per as-of date, in P3KE column layout.

    Kept per seed (the demo build reads them for the P3KE files, the DTSEN files and the verval sheet
    of unexplained exits): a new dict each call, the frames shared, so callers must not change them."""
    return dict(_generate(seed))


@functools.lru_cache(maxsize=2)
def _generate(seed: int) -> dict[date, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    kel = _kelurahan()
    fam = _families(rng, kel)
    ppl = _people(rng, fam)
    shots = _simulate(rng, fam, ppl)
    static = _static(rng, fam, ppl, kel)
    return {as_of: _frame(static, shot, as_of) for as_of, shot in zip(DEMO_DATES, shots, strict=True)}


def write_xlsx(df: pd.DataFrame, path: Path, title_rows: list[str] | None = None) -> None:
    """Write one snapshot as a P3KE-style Excel export (title rows above the header; ID/NIK/Kode as text).

    title_rows None gives DEFAULT_TITLE_ROWS, so the header sits on row 4; pass [] for none.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Data P3KE")
    for title in DEFAULT_TITLE_ROWS if title_rows is None else title_rows:
        ws.append([title or None])
    ws.append(list(df.columns))
    kinds = ["text" if c in TEXT_COLUMNS else "number" if c in NUMBER_COLUMNS else "" for c in df.columns]

    def cell(value: str, kind: str) -> object:
        if value == "" or pd.isna(value):
            return None
        if kind == "text":
            c = WriteOnlyCell(ws, value=str(value))
            c.number_format = "@"
            return c
        return int(value) if kind == "number" else value

    for row in df.itertuples(index=False, name=None):
        ws.append([cell(v, kd) for v, kd in zip(row, kinds, strict=True)])
    wb.save(path)


def _write(folder: Path, snapshots: dict[date, pd.DataFrame], fmt: str) -> list[tuple[date, Path]]:
    if fmt not in ("csv", "xlsx"):
        raise ValueError(f"unknown format {fmt!r}; use 'csv' or 'xlsx'")
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for as_of in sorted(snapshots):
        path = folder / f"p3ke_samarinda_{as_of.isoformat()}.{fmt}"
        if fmt == "csv":
            snapshots[as_of].to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
        else:
            write_xlsx(snapshots[as_of], path)
        written.append((as_of, path))
    return written


def write_demo_files(folder: Path, seed: int = 42, fmt: str = "csv") -> list[tuple[date, Path]]:
    """Write each snapshot as folder/p3ke_samarinda_YYYY-MM-DD.csv (or .xlsx); return (date, path) sorted."""
    return _write(Path(folder), generate_snapshots(seed), fmt)


def main(argv: list[str] | None = None) -> None:
    """Command line: write the demo files and print one line per file with its Aktif count."""
    parser = argparse.ArgumentParser(
        prog="python -m analytics.demo.snapshots", description="Write demo P3KE snapshot files."
    )
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    snapshots = generate_snapshots(args.seed)
    for as_of, path in _write(args.outdir, snapshots, args.format):
        print(f"{as_of.isoformat()}  {(snapshots[as_of]['Status'] == 'Aktif').sum():>5} aktif  {path}")


if __name__ == "__main__":
    main()
