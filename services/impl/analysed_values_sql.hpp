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
