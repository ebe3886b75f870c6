-- HMAC-SHA256 of each NIK (the keyed person key), in bulk over the registered Arrow table niks
select left(sha256($outer || unhex(sha256($inner || nik::blob))), $chars) from niks
