-- Append-only audit trail; each entry carries the hash of the previous one, so an edit or a
-- deletion anywhere breaks the chain and shows on the audit page.
create sequence audit_log_id_seq;

create table audit_log (
    entry_id integer primary key default nextval('audit_log_id_seq'),
    logged_at timestamp not null,
    user_name varchar not null,
    role varchar,
    action varchar not null,
    object varchar,
    sha256 varchar,
    detail varchar,
    prev_hash varchar not null,
    entry_hash varchar not null
);
