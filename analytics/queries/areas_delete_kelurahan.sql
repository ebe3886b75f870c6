delete from kelurahan
