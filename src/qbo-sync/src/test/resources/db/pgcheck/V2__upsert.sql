insert into pgcheck_record (source_id, payload) values ('c-1', '{"name": "first"}');
insert into pgcheck_record (source_id, payload) values ('c-1', '{"name": "second"}')
    on conflict (source_id) do update set payload = excluded.payload, updated_at = now();
