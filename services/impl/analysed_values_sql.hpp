#pragma once
// The values a track shows where the API, the tags and the sonic analysis may each give one
// (docs/analysis.md, "Values the tags lacked"): what the API or a tag wrote (audio_features,
// aliased af; the tracks' replaygain_* columns) wins, the analysis (analysed_track_values,
// aliased atv; analysed_album_values, migration 0021) fills the rest. Key and scale are one
// value: both come from the written row when it has either (a tagged key with an unknown scale
// never takes the analysis's scale); the Camelot key is the one written, else the shown key's.
// SQL string literals, so that they join constant statements.

// LEFT JOIN of a track's analysed values as atv; `track_id` is the track's id expression.
#define SONIQUE_ANALYSED_JOIN(track_id) \
    " LEFT JOIN analysed_track_values atv ON atv.track_id = " track_id
#define SONIQUE_SHOWN_BPM "COALESCE(af.bpm, atv.bpm)"
#define SONIQUE_WRITTEN_KEY "(af.key IS NOT NULL OR af.scale IS NOT NULL)"
#define SONIQUE_SHOWN_KEY "CASE WHEN " SONIQUE_WRITTEN_KEY " THEN af.key ELSE atv.key END"
#define SONIQUE_SHOWN_SCALE "CASE WHEN " SONIQUE_WRITTEN_KEY " THEN af.scale ELSE atv.scale END"
#define SONIQUE_SHOWN_CAMELOT \
    "COALESCE(af.camelot_key, sonique_camelot(" SONIQUE_SHOWN_KEY ", " SONIQUE_SHOWN_SCALE "))"
// ReplayGain: the track's replaygain_* columns (tags, API) else the analysed values; the album's
// analysed values by a primary-key look-up of the track's album (no join a statement must add).
#define SONIQUE_SHOWN_TRACK_GAIN "COALESCE(t.replaygain_track_gain, atv.replaygain_track_gain)"
#define SONIQUE_SHOWN_TRACK_PEAK "COALESCE(t.replaygain_track_peak, atv.replaygain_track_peak)"
#define SONIQUE_ANALYSED_ALBUM(column) \
    "(SELECT aav." column " FROM analysed_album_values aav WHERE aav.album_id = t.album_id)"
#define SONIQUE_SHOWN_ALBUM_GAIN \
    "COALESCE(t.replaygain_album_gain, " SONIQUE_ANALYSED_ALBUM("replaygain_album_gain") ")"
#define SONIQUE_SHOWN_ALBUM_PEAK \
    "COALESCE(t.replaygain_album_peak, " SONIQUE_ANALYSED_ALBUM("replaygain_album_peak") ")"
