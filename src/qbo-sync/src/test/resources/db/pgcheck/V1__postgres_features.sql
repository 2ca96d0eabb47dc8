-- PostgreSQL-only features the sync store may rely on; H2 would reject parts of this.
create table pgcheck_record (
    id          bigint generated always as identity primary key,
    source_id   text        not null unique,
    payload     jsonb       not null,
    updated_at  timestamptz not null default now()
);
create index pgcheck_record_payload on pgcheck_record using gin (payload);
