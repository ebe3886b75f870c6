-- The desil distribution of the snapshot of $as_of, before a DTSEN import (re)writes it.
delete from desil_area where as_of = $as_of
