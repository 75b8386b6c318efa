-- Users of the OpenSubsonic API (issue 16). Token authentication (t = md5(password + salt))
-- needs the password itself, so it is stored encrypted (libsodium secretbox, key derived from
-- ENCRYPTION_KEY, as encrypted settings are), never hashed. Names are unique whatever their
-- case: "Alice" and "alice" are one user, as clients type them both.
-- API keys (apiKeyAuthentication extension) are stored as a public id, for lookup, and the
-- BLAKE2b hash of their secret part: a stolen dump does not give working keys.
-- Never edit once landed: add a migration.
CREATE TABLE users (
    id bigserial PRIMARY KEY,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    password_enc text NOT NULL,
    email text NOT NULL DEFAULT '',
    admin_role boolean NOT NULL DEFAULT false,
    settings_role boolean NOT NULL DEFAULT true,
    stream_role boolean NOT NULL DEFAULT true,
    download_role boolean NOT NULL DEFAULT false,
    playlist_role boolean NOT NULL DEFAULT false,
    cover_art_role boolean NOT NULL DEFAULT false,
    scrobbling_enabled boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_name_lower ON users (lower(name));

CREATE TABLE user_api_keys (
    id text PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    secret_hash text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz
);
CREATE INDEX user_api_keys_user ON user_api_keys (user_id);
