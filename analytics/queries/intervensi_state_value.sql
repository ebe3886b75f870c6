select value from intervensi_state where key = $key
