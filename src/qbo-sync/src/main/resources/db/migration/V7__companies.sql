-- Many QBO companies per node (routes/mappings/qbo-mappings.yaml, companies:).

-- Which realm each company key of the mapping file is: from qbo.companies.<key>.realm-id for a real company, or the
-- sandbox realm created for the key. One realm per key: two keys on one company would share its DocNumbers unseen.
CREATE TABLE qbo_company (
    company_key    VARCHAR(64)   PRIMARY KEY,
    realm_id       VARCHAR(64)   NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT uq_qbo_company_realm UNIQUE (realm_id)
);

-- Parties are the source's, not a company's: a contact billed by invoices routed to two companies is one party and
-- becomes a customer in each. The newest copy of each party is kept (one per key before this, as one company was).
CREATE TABLE source_party_shared (
    party_key      VARCHAR(160) NOT NULL PRIMARY KEY,
    payload        VARCHAR      NOT NULL,
    updated_at     TIMESTAMP WITH TIME ZONE NOT NULL
);
INSERT INTO source_party_shared (party_key, payload, updated_at)
SELECT p.party_key, p.payload, p.updated_at FROM source_party p
WHERE NOT EXISTS (SELECT 1 FROM source_party q WHERE q.party_key = p.party_key
                  AND (q.updated_at > p.updated_at OR (q.updated_at = p.updated_at AND q.realm_id > p.realm_id)));
DROP TABLE source_party;
ALTER TABLE source_party_shared RENAME TO source_party;

-- A party's customer records in every company, and a payment's invoice in whichever company it went to.
CREATE INDEX ix_sync_record_source ON sync_record (entity_type, source_id);
