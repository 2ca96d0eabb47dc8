-- OAuth connections to QBO companies, one row per realm (QboConnectionRepository).
-- *_enc columns hold AES-256-GCM ciphertext written by TokenCipher, never plain tokens or secrets.
-- Valid on H2 2.x and PostgreSQL 15.
CREATE TABLE qbo_connection (
    realm_id                VARCHAR(64)   NOT NULL,
    environment             VARCHAR(32)   NOT NULL,
    api_base_url            VARCHAR(512)  NOT NULL,
    token_url               VARCHAR(512)  NOT NULL,
    client_id               VARCHAR(255)  NOT NULL,
    client_secret_enc       VARCHAR(1024) NOT NULL,
    refresh_token_enc       VARCHAR(4096) NOT NULL,
    access_token_enc        VARCHAR(8192),
    access_expires_at       TIMESTAMP WITH TIME ZONE,
    refresh_expires_at      TIMESTAMP WITH TIME ZONE,
    refresh_hard_expires_at TIMESTAMP WITH TIME ZONE,
    status                  VARCHAR(16)   NOT NULL,
    status_reason           VARCHAR(1000),
    last_refreshed_at       TIMESTAMP WITH TIME ZONE,
    created_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_qbo_connection PRIMARY KEY (realm_id),
    CONSTRAINT ck_qbo_connection_status CHECK (status IN ('CONNECTED', 'EXPIRED', 'REVOKED'))
);

CREATE INDEX ix_qbo_connection_status ON qbo_connection (status);
