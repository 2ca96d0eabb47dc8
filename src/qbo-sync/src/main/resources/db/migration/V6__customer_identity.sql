-- Customer identity: what QBO already held when a company was connected (onboarding), so that matching reads the
-- store instead of querying QBO per record, and so that a customer qbo-sync created itself is never offered as
-- a match for another source party. SQL kept to what both H2 2.3 and PostgreSQL 15 accept.

-- The active QBO customers an onboarding run imported. Candidates for a match are the rows no other customer
-- record is linked to (sync_record.qbo_id); *_key columns are the normalised forms matching compares.
CREATE TABLE qbo_customer_index (
    realm_id       VARCHAR(32)   NOT NULL,
    qbo_id         VARCHAR(32)   NOT NULL,
    display_name   VARCHAR(500)  NOT NULL,
    company_name   VARCHAR(500),
    email          VARCHAR(200),
    person         BOOLEAN       NOT NULL,          -- has a given or family name (not a company-style customer)
    parent_qbo_id  VARCHAR(32),                     -- a sub-customer's parent
    sync_token     VARCHAR(16),
    email_key      VARCHAR(200),                    -- lower case, trimmed
    name_key       VARCHAR(500),                    -- DisplayName: case, accents, punctuation, legal suffixes dropped
    company_key    VARCHAR(500),                    -- CompanyName, normalised the same way
    imported_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_qbo_customer_index PRIMARY KEY (realm_id, qbo_id)
);
CREATE INDEX ix_qbo_customer_index_email ON qbo_customer_index (realm_id, email_key);
CREATE INDEX ix_qbo_customer_index_name ON qbo_customer_index (realm_id, name_key);
CREATE INDEX ix_qbo_customer_index_company ON qbo_customer_index (realm_id, company_key);

-- The active QBO items an onboarding run imported: invoices find their item by SKU, then name, here.
CREATE TABLE qbo_item_index (
    realm_id       VARCHAR(32)   NOT NULL,
    qbo_id         VARCHAR(32)   NOT NULL,
    name           VARCHAR(500)  NOT NULL,
    sku            VARCHAR(200),
    sku_key        VARCHAR(200),
    name_key       VARCHAR(500),
    imported_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_qbo_item_index PRIMARY KEY (realm_id, qbo_id)
);
CREATE INDEX ix_qbo_item_index_sku ON qbo_item_index (realm_id, sku_key);
CREATE INDEX ix_qbo_item_index_name ON qbo_item_index (realm_id, name_key);

-- One row per company once its onboarding import ran (first connection, or again on demand).
CREATE TABLE realm_onboarding (
    realm_id       VARCHAR(32)   PRIMARY KEY,
    customers      INTEGER       NOT NULL,
    items          INTEGER       NOT NULL,
    qbo_requests   INTEGER       NOT NULL,
    requested_by   VARCHAR(100)  NOT NULL,
    finished_at    TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Up to three ranked QBO customers a record held with DUPLICATE_MATCH could be, each with why it was suggested.
CREATE TABLE match_suggestion (
    record_id      BIGINT        NOT NULL,
    rank_no        INTEGER       NOT NULL,
    qbo_id         VARCHAR(32)   NOT NULL,
    display_name   VARCHAR(500),
    email          VARCHAR(200),
    reason         VARCHAR(300)  NOT NULL,
    score          INTEGER       NOT NULL,
    CONSTRAINT pk_match_suggestion PRIMARY KEY (record_id, rank_no)
);

-- "Is this QBO customer already some record's counterpart?" is asked for every match candidate.
CREATE INDEX ix_sync_record_qbo_id ON sync_record (realm_id, entity_type, qbo_id);

-- The name the record's QBO entity carries (a customer's DisplayName), as QBO answered it: an update must not
-- rename a customer that was matched, or created under a suffix after a name clash (6240).
ALTER TABLE sync_record ADD COLUMN qbo_name VARCHAR(500);
