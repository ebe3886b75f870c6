select max(nextval($sequence)) from range($n)
