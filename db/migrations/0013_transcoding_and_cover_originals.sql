-- Issue 16, media: a user's default transcoding cap, and where every cover's original lives.
--
-- users.max_bit_rate: the Subsonic maxBitRate of createUser/updateUser, in kbit/s (0: no cap).
-- stream transcodes a song above it unless the client asks for a lower one (docs/subsonic.md).
--
-- covers.source_kind says what source_path names, so that getCoverArt can make sizes larger
-- than the stored one from the original: 'image' (an image file: a folder's cover.jpg, an
-- artist's folder image) or 'embedded' (an audio file whose embedded picture it is). NULL: no
-- original known (a cover uploaded through the API, or one a scan stored before this migration
-- from a folder image, when source_path named the folder rather than the file); such covers are
-- served at their stored size until a scan stores them again.
-- Never edit once landed: add a migration.
ALTER TABLE users ADD COLUMN max_bit_rate integer NOT NULL DEFAULT 0
    CHECK (max_bit_rate BETWEEN 0 AND 320);

ALTER TABLE covers ADD COLUMN source_kind text CHECK (source_kind IN ('image', 'embedded'));

-- Album covers a scan read from an audio file's picture kept that file's path: one statement.
UPDATE covers c SET source_kind = 'embedded'
WHERE c.entity_type = 'album' AND c.source_path IS NOT NULL
  AND EXISTS (SELECT 1 FROM tracks t WHERE t.path = c.source_path);
