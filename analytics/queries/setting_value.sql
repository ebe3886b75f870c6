select value from setting where key = $key
