#pragma once
// A small library of names for the text search's index tests (typeahead_index_test.cpp,
// search_index_test.cpp): accented, punctuated, article-led, Cyrillic, Japanese and duplicate
// names, genres and years of several decades.
namespace sonique::test {

inline constexpr const char* kNameLibrary = R"SQL(
INSERT INTO artists (name) VALUES ('Björk'), ('Sigur Rós'), ('Radiohead'), ('Radio Birdman'),
  ('Metallica'), ('AC/DC'), ('The Beatles'), ('Кино'), ('ザ・ブルーハーツ'), ('Radiohead Tribute Band'),
  ('Bjork'), ('BJÖRK!'), ('Les Rita Mitsouko'), ('L''Impératrice'), ('Die Ärzte'), ('El Guincho'),
  ('Ólafur Arnalds'), ('Æther Realm'), ('Mötley Crüe'), ('!!!'), ('A Tribe Called Quest'),
  ('Земфира'), ('坂本龍一'), ('The The'), ('Sunn O)))'), ('Rock & Roll Band'), ('Radio');
INSERT INTO albums (title, album_artist_id, release_year) SELECT v.t, a.id, v.y FROM
  (VALUES ('Radiohead', 'OK Computer', '1997'), ('Björk', 'Homogenic', '1997'),
          ('Metallica', 'Master of Puppets', '1986'), ('Кино', 'Группа крови', '1988'),
          ('The Beatles', 'Abbey Road', '1969'), ('Sigur Rós', 'Ágætis byrjun', '1999'),
          ('Radiohead', 'Kid A', '2000'), ('Radiohead', 'The Bends', '1995'),
          ('坂本龍一', '音楽図鑑', '1984'), ('AC/DC', 'Back in Black', '1980'))
  AS v(a, t, y) JOIN artists a ON a.name = v.a;
INSERT INTO tracks (title, path, track_artist_id, album_id, genre, year)
SELECT v.t, '/m/' || v.n || '.flac', a.id,
       (SELECT min(al.id) FROM albums al WHERE al.album_artist_id = a.id), v.g, v.y FROM
  (VALUES (1, 'Radiohead', 'Paranoid Android', 'Rock', '1997'),
          (2, 'Radiohead', 'Karma Police', 'Rock', '1997'),
          (3, 'Radiohead', 'Airbag', 'Alternative', '1997'),
          (4, 'Björk', 'Jóga', 'Electronic', '1997'),
          (5, 'Metallica', 'Battery', 'Metal', '1986'),
          (6, 'Кино', 'Группа крови', 'Rock', '1988'),
          (7, 'The Beatles', 'Come Together', 'Rock', '1969'),
          (8, 'ザ・ブルーハーツ', 'リンダリンダ', 'Punk', '1987'),
          (9, 'AC/DC', 'Thunderstruck', 'Rock', '1990'),
          (10, 'Sigur Rós', 'Svefn-g-englar', 'Post-Rock', '1999'),
          (11, 'Radio Birdman', 'New Race', 'Punk', '1977'),
          (12, 'Radiohead Tribute Band', 'Creep', 'Rock', '2005'),
          (13, 'Radiohead', 'Creep', 'Rock', '1993'),
          (14, 'Radiohead', 'Radio Ga Ga', 'Rock', '1984'),
          (15, 'The Beatles', 'Let It Be', 'Rock', '1970'),
          (16, 'The Beatles', 'Let It Be (Remastered)', 'Rock', '2009'),
          (17, 'Les Rita Mitsouko', 'Marcia Baïla', 'Pop', '1984'),
          (18, 'L''Impératrice', 'Vanille Fraise', 'Pop', '2018'),
          (19, 'Die Ärzte', 'Schrei nach Liebe', 'Punk', '1993'),
          (20, 'Земфира', 'Искала', 'Rock', '2000'),
          (21, '坂本龍一', '戦場のメリークリスマス', 'Ambient', '1983'),
          (22, 'Mötley Crüe', 'Kickstart My Heart', 'Metal', '1989'),
          (23, 'AC/DC', 'T.N.T.', 'Rock', '1975'),
          (24, 'AC/DC', 'Back in Black', 'Rock', '1980'),
          (25, 'The The', 'This Is the Day', 'Pop', '1983'),
          (26, 'Sunn O)))', 'It Took the Night to Believe', 'Drone', '2005'),
          (27, 'Metallica', 'Master of Puppets', 'Metal', '1986'),
          (28, 'Björk', 'Hyperballad', 'Electronic', '1996'),
          (29, 'Rock & Roll Band', 'Rock''n''Roll', 'Rock', '1970'),
          (30, 'A Tribe Called Quest', 'Can I Kick It?', 'Hip-Hop', '1990'))
  AS v(n, a, t, g, y) JOIN artists a ON a.name = v.a;
)SQL";

}  // namespace sonique::test
