-- The library roots each OpenSubsonic user may see (musicFolderId of createUser/updateUser).
-- A user without rows sees every root. A root is stored as its path, not as the folder number
-- clients see (its position in MUSIC_PATH): reordering MUSIC_PATH keeps each user's access, and
-- a root removed from it gives access to nothing.
-- Never edit once landed: add a migration.
CREATE TABLE user_music_folders (
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    root text NOT NULL CHECK (root <> ''),
    PRIMARY KEY (user_id, root)
);

-- getMusicDirectory lists the tracks below a folder with `path LIKE '<folder>/%'`: a prefix
-- that only an index with pattern operators serves whatever the database's collation.
CREATE INDEX tracks_path_prefix ON tracks (path text_pattern_ops);

-- A text as unpadded base64url, without the line breaks encode() inserts: the folder ids of
-- getMusicDirectory ("fo-<music folder>-<path below the root>").
CREATE FUNCTION sonique_base64url(text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT translate(encode(convert_to($1, 'UTF8'), 'base64'), E'+/=\n', '-_') $$;

-- A date tag ("2011", "2011-03", "2011-03-21", also with '/' or '.') as the OpenSubsonic
-- ItemDate {year, month, day}, the parts it has; NULL when it starts with no four-digit year.
-- A month or day out of range is left out.
CREATE FUNCTION sonique_item_date(text) RETURNS json
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
    SELECT CASE WHEN m IS NOT NULL THEN json_strip_nulls(json_build_object(
        'year', m[1]::int,
        'month', CASE WHEN m[2]::int BETWEEN 1 AND 12 THEN m[2]::int END,
        'day', CASE WHEN m[2]::int BETWEEN 1 AND 12 AND m[3]::int BETWEEN 1 AND 31
                    THEN m[3]::int END)) END
    FROM (SELECT regexp_match($1, '^\s*(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?') AS m) x
    $$;
