select kode_kelurahan, nama from kelurahan
