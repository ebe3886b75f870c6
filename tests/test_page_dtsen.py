"""AppTests of issue 19's DTSEN elements: the list rule and format choice on the Data page, the
extreme-poor flag on the family profile, the rule in the glossary."""

from __future__ import annotations

from datetime import date

from streamlit.testing.v1 import AppTest

from analytics.store import settings
from analytics.store.db import Store
from tests.helpers import BASE, login, page_path, write_csv
from tests.test_interventions import catalog, page_store  # noqa: F401
from tests.test_page_data import app_env  # noqa: F401

RULE = "Pada snapshot DTSEN, yang masuk daftar: desil 1 ditambah keluarga yang ditandai DinsosPM."


def submit(at: AppTest, form: str) -> AppTest:
    next(b for b in at.button if b.key and b.key.startswith(f"FormSubmitter:{form}")).click()
    at.run()
    assert not at.exception, at.exception
    return at


def test_data_page_shows_and_changes_the_rule_and_imports_with_a_chosen_format(app_env):  # noqa: F811
    at = login(AppTest.from_file(page_path("data_impor.py"), default_timeout=60), "dinsos1").run()
    assert not at.exception
    assert any(RULE in m.value for m in at.markdown)
    at.number_input(key="data_dtsen_desil").set_value(2)
    at.checkbox(key="data_dtsen_flagged").uncheck()
    submit(at, "data_dtsen_rule")
    assert any("Aturan disimpan" in s.value for s in at.success)
    assert any("desil 1 s.d. desil 2 saja" in m.value for m in at.markdown)
    store = Store.open(app_env / "page.duckdb")
    assert settings.dtsen_rule(store) == (2, False)
    store.close()

    assert at.selectbox(key="data_format").options[0].startswith("Otomatis")
    good = write_csv(app_env / "baseline.csv", BASE).read_bytes()
    at.file_uploader(key="data_upload").set_value(("baseline.csv", good, "text/csv"))
    at.date_input(key="data_as_of").set_value(date(2022, 11, 30))
    at.run()
    at.button(key="data_check").click().run()
    at.button(key="data_commit").click().run()
    assert not at.exception
    byname = [["6472054101900001", "Ani", "6472051004"], ["6472050101900002", "Budi", "6472051004"]]
    data = write_csv(app_env / "byname.csv", byname, ["NIK", "Nama", "Kode Wilayah"]).read_bytes()
    at.file_uploader(key="data_upload").set_value(("byname.csv", data, "text/csv"))
    at.date_input(key="data_as_of").set_value(date(2025, 6, 30))
    at.selectbox(key="data_format").set_value("dtsen_desil")  # wrong: the ranking needs No KK and Desil
    at.run()
    at.button(key="data_check").click().run()
    assert "byname.csv ditolak" in at.error[0].value
    at.selectbox(key="data_format").set_value("dtsen_nama")
    at.run()
    at.button(key="data_check").click().run()
    assert "2 baris lolos pemeriksaan" in at.success[0].value
    at.checkbox(key="data_yakin").check().run()
    at.button(key="data_commit").click().run()
    assert not at.exception
    store = Store.open(app_env / "page.duckdb")
    assert store.scalar("select sumber from snapshot where as_of = date '2025-06-30'") == "dtsen_nama"
    store.close()


def test_dinsos_flags_a_family_on_its_profile_and_others_see_no_toggle(page_store):  # noqa: F811
    from analytics.profiles import family

    at = login(AppTest.from_file(page_path("keluarga.py"), default_timeout=120), "dinsos1")
    at.query_params[family.QUERY_PARAM] = "K1"
    at.run()
    assert not at.exception
    toggle = at.checkbox(key="keluarga_tanda_on")
    assert toggle.label == "Tandai sebagai miskin ekstrem (tetap di daftar pada snapshot DTSEN)"
    toggle.check()
    at.text_input(key="keluarga_tanda_catatan").input("BA muskel 12/2025")
    submit(at, "keluarga_tanda")
    assert any("Keluarga K1 ditandai" in s.value for s in at.success)
    store = Store.open(page_store)
    assert store.query("keluarga_tanda_ids")["id_keluarga"].tolist() == ["K1"]
    assert store.scalar("select count(*) from audit_log where action = 'tanda_keluarga'") == 1
    store.close()

    other = login(AppTest.from_file(page_path("keluarga.py"), default_timeout=120), "opd1")
    other.query_params[family.QUERY_PARAM] = "K1"
    other.run()
    assert not other.exception
    assert not [c for c in other.checkbox if c.key == "keluarga_tanda_on"]


def test_the_glossary_states_the_rule(app_env):  # noqa: F811
    at = login(AppTest.from_file(page_path("istilah.py"), default_timeout=60), "walikota1").run()
    assert not at.exception
    texts = [m.value for m in at.markdown]
    assert any(RULE in x and "Daftar miskin ekstrem kota adalah" in x for x in texts)
    assert any(
        "In a DTSEN snapshot, on the list are: desil 1 plus the families DinsosPM flagged." in x
        for x in texts
    )
