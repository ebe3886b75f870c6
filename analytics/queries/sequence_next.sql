select nextval($sequence)
