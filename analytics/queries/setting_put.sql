insert or replace into setting values ($key, $value)
