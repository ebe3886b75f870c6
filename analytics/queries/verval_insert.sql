-- Store checked verval rows (incoming: the importer's clean rows) with where they came from.
insert into verval (id_keluarga, person_key, kode_kelurahan, hasil, tanggal, dasar, nomor_dasar,
                    tanggal_dasar, petugas, checklist, checklist_lengkap, sumber, file_name, sha256,
                    dicatat_pada, dicatat_oleh)
select id_keluarga, person_key, kode_kelurahan, hasil, cast(tanggal as date), dasar, nomor_dasar,
       cast(tanggal_dasar as date), petugas, checklist, cast(checklist_lengkap as boolean), sumber,
       $file_name, $sha256, $dicatat_pada, $dicatat_oleh
from incoming
