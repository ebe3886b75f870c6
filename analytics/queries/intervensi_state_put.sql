insert or replace into intervensi_state values ($key, $value)
