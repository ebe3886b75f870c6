-- Append path: close every open interval whose person is absent or changed in the new snapshot,
-- returning the closed intervals for interval_end (reading them back by valid_to scanned every
-- interval's freshly updated valid_to: 1.8 s at 5M people).
update person_interval pi
set valid_to = $as_of
where pi.valid_to is null
  and not exists (
      select 1
      from incoming i
      where i.person_key = pi.person_key
        and i.id_keluarga = pi.id_keluarga
        and i.kode_kelurahan = pi.kode_kelurahan
        and i.desil is not distinct from pi.desil
        and i.status = pi.status
        and i.alasan is not distinct from pi.alasan
  )
returning pi.person_key, pi.valid_from, pi.valid_to, pi.id_keluarga, pi.kode_kelurahan, pi.status, pi.alasan
