-- A revoked token must not come back to life without its revocation: it goes.
DELETE FROM api_tokens WHERE revoked_at IS NOT NULL;
ALTER TABLE api_tokens DROP COLUMN revoked_at;
-- Views by signed-in users (or by the tokens just removed) cannot reference api_tokens.
DELETE FROM offer_views WHERE user_id NOT IN (SELECT id FROM api_tokens);
ALTER TABLE offer_views
    ADD CONSTRAINT offer_views_user_id_fkey
    FOREIGN KEY (user_id) REFERENCES api_tokens (id) ON DELETE CASCADE;
DROP TABLE sign_in_failures;
DROP TABLE sessions;
DROP TABLE users;
