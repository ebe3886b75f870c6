-- Records dated after $as_of: they count from the first snapshot on or after their date.
select count(*) as catatan, min(tanggal) as dari, max(tanggal) as sampai
from intervensi
where tanggal > $as_of
