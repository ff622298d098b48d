-- People: users who sign in with an email and a password, their sessions, the record of
-- failed sign-ins behind throttling, and revocable machine tokens.

CREATE TABLE users (
    id              UUID PRIMARY KEY,
    email           TEXT NOT NULL,
    name            TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('backoffice', 'customer')),
    customer_id     UUID REFERENCES customers (id),
    -- An Argon2id PHC string; the password itself is never stored.
    password_hash   TEXT NOT NULL,
    active          BOOLEAN NOT NULL DEFAULT TRUE,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_sign_in_at TIMESTAMPTZ,
    CHECK ((role = 'customer') = (customer_id IS NOT NULL))
);
-- Emails differing only in case are one user; lists are ordered by this key too.
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_customer_idx ON users (customer_id, lower(email));

-- A session is a bearer token issued by signing in. `expires_at` is its absolute end;
-- it also ends when unused for the configured idle time, or when `ended_at` is set.
CREATE TABLE sessions (
    id           UUID PRIMARY KEY,
    user_id      UUID NOT NULL REFERENCES users (id),
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    ended_at     TIMESTAMPTZ
);
CREATE INDEX sessions_live_by_user_idx ON sessions (user_id) WHERE ended_at IS NULL;

-- Failed sign-ins by normalised email, kept in the database so the throttle holds
-- across every instance of the service.
CREATE TABLE sign_in_failures (
    id        BIGSERIAL PRIMARY KEY,
    email     TEXT NOT NULL,
    failed_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sign_in_failures_email_idx ON sign_in_failures (email, failed_at);
CREATE INDEX sign_in_failures_age_idx ON sign_in_failures (failed_at);

ALTER TABLE api_tokens ADD COLUMN revoked_at TIMESTAMPTZ;

-- The last opened offer is kept per user, and a "user" is now a signed-in user or a
-- machine token: the column holds either id, so it can reference neither table.
ALTER TABLE offer_views DROP CONSTRAINT offer_views_user_id_fkey;
