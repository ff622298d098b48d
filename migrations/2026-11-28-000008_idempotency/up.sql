-- The answers to POST requests that carried an `Idempotency-Key`, per caller and key, so
-- that a repeat gets the same answer instead of doing the work again (docs/api.md,
-- Idempotency). A row is written in the transaction of the change it answers: it exists
-- exactly when that change committed.
CREATE TABLE idempotency_keys (
    -- The caller: a user's id (whatever session it signs in with) or a machine token's.
    principal_id UUID NOT NULL,
    idempotency_key TEXT NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 255),
    -- SHA-256 of the method, the path with its query and the body of the first request.
    request_hash BYTEA NOT NULL,
    status SMALLINT NOT NULL CHECK (status BETWEEN 100 AND 599),
    -- The response headers the handler set (Content-Type, ETag, …) as [[name, value], …].
    headers JSONB NOT NULL,
    body BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (principal_id, idempotency_key)
);

-- The cleanup deletes expired answers oldest first.
CREATE INDEX idempotency_keys_expires_idx ON idempotency_keys (expires_at);
