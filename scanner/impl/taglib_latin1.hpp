#pragma once
// Vorbis comments (FLAC, Ogg Vorbis, Opus) whose value is not valid UTF-8, as old taggers wrote
// Latin-1 into them: TagLib 1.13 drops such a value, and the title fell back to the file name.
// They are read again from the raw comment block, as Windows-1252 (Latin-1's superset in
// practice). Only included by the TagLib reader.
#include <taglib/tfile.h>
#include <taglib/tpropertymap.h>

namespace sonique::scanner::taglib_extras {

// For each key with a value that is not UTF-8 in file's Vorbis comment, replaces the key's values
// in map with the comment's, in order, the UTF-8 ones as they are and the others decoded as
// Windows-1252. Other formats, and comments that are all UTF-8, leave map as it is.
void recover_latin1_comments(TagLib::File* file, TagLib::PropertyMap& map);

}  // namespace sonique::scanner::taglib_extras
