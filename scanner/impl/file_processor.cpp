#include "scanner/file_processor.hpp"

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>

#include "core/strings.hpp"
#include "imaging/cover_image.hpp"

namespace sonique::scanner {
namespace fs = std::filesystem;
namespace {

constexpr size_t kMaxSidecar = 256 * 1024;
constexpr size_t kMaxImageFile = 32 * 1024 * 1024;
constexpr size_t kCacheEntries = 64;

std::optional<std::string> read_file(const std::string& path, size_t limit) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::string data;
    data.resize(limit + 1);
    in.read(data.data(), static_cast<std::streamsize>(data.size()));
    data.resize(static_cast<size_t>(in.gcount()));
    if (data.size() > limit) return std::nullopt;
    return data;
}

std::optional<CoverImage> normalise(const std::string& bytes) {
    return imaging::normalise_cover(bytes);
}

std::string clean_text(std::string_view s) {
    std::string out = sanitize_utf8(s);
    std::erase(out, '\0');
    return trim(out);
}

// The folder's files by ASCII-lower-cased name, so that "Folder.jpg" or "COVER.JPG" answers a
// setting's "folder.jpg" or "cover.jpg". Of names that differ only in case, the smallest in byte
// order wins, whatever order the directory lists them in.
std::map<std::string, std::string> files_by_folded_name(const std::string& dir) {
    std::map<std::string, std::string> out;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code type_ec;
        if (!it->is_regular_file(type_ec)) continue;
        std::string name = it->path().filename().string();
        auto [at, added] = out.try_emplace(to_lower(name), name);
        if (!added && name < at->second) at->second = name;
    }
    return out;
}

// The path of the folder's file named `name` (an exact match first, else ignoring ASCII case),
// or nullopt.
std::optional<std::string> find_named(const std::string& dir, const std::string& name,
                                      const std::map<std::string, std::string>& folded) {
    std::error_code ec;
    std::string exact = (fs::path(dir) / name).string();
    if (fs::is_regular_file(exact, ec)) return exact;
    auto it = folded.find(to_lower(name));
    if (it == folded.end()) return std::nullopt;
    return (fs::path(dir) / it->second).string();
}

}  // namespace

std::string fallback_title(const std::string& path) {
    fs::path p(path);
    std::string title = clean_text(p.stem().string());
    return title.empty() ? clean_text(p.filename().string()) : title;
}

void apply_fallbacks(TrackInfo& t) {
    fs::path p(t.file.path);
    if (t.title.empty()) t.title = fallback_title(t.file.path);
    if (!t.album || t.album->empty()) {
        std::string folder = clean_text(p.parent_path().filename().string());
        t.album = folder.empty() ? std::nullopt : std::optional<std::string>(folder);
    }
    if (t.artists.empty())
        t.artists.push_back(t.album_artist.empty() ? "Unknown Artist" : t.album_artist);
}

FileProcessor::FileProcessor(TagReader& reader, CoverRules rules)
    : reader_(reader), rules_(std::move(rules)) {}

ReadOutcome FileProcessor::process(const FileEntry& file) {
    ReadOutcome out = reader_.read(file);
    if (!out.track) return out;
    TrackInfo& t = *out.track;
    t.file = file;
    apply_fallbacks(t);
    if ((!t.lyrics || t.lyrics->empty()) && !file.sidecar.empty()) {
        if (auto text = read_file(file.sidecar, kMaxSidecar)) {
            std::string c = clean_text(*text);
            if (!c.empty()) t.lyrics = std::move(c);
        }
    }
    if (rules_.enabled) find_covers(t, out);
    t.picture.clear();  // raw bytes never leave the worker
    return out;
}

void FileProcessor::find_covers(TrackInfo& t, ReadOutcome& out) {
    fs::path dir = fs::path(t.file.path).parent_path();
    if (!t.picture.empty()) {
        t.album_cover = embedded(t.picture, out);
        if (t.album_cover) t.cover_source = "embedded";
    }
    if (!t.album_cover) {
        auto found = folder_image(dir.string(), rules_.album_cover_files, out);
        t.album_cover = std::move(found.image);
        if (t.album_cover) t.cover_source = std::move(found.path);
    }
    fs::path parent = dir.parent_path();
    bool is_root = false;
    for (const auto& r : rules_.roots)
        is_root |= fs::path(r) == parent || fs::path(r) == dir;
    if (!is_root && !parent.empty()) {
        auto found = folder_image(parent.string(), rules_.artist_image_files, out);
        t.artist_image = std::move(found.image);
        if (t.artist_image) t.artist_image_source = std::move(found.path);
    }
}

std::optional<CoverImage> FileProcessor::embedded(const std::string& bytes, ReadOutcome& out) {
    size_t key = std::hash<std::string>{}(bytes);
    if (auto it = embedded_cache_.find(key); it != embedded_cache_.end()) return it->second;
    auto img = normalise(bytes);
    if (!img)
        out.warnings.push_back({out.track->file.path, "corrupt embedded cover image skipped"});
    if (embedded_cache_.size() >= kCacheEntries) embedded_cache_.clear();
    embedded_cache_[key] = img;
    return img;
}

FileProcessor::FolderCover FileProcessor::folder_image(const std::string& dir,
                                                       const std::vector<std::string>& names,
                                                       ReadOutcome& out) {
    if (names.empty()) return {};
    std::string key = dir + '\n' + std::to_string(names.size()) + names.front();
    if (auto it = folder_cache_.find(key); it != folder_cache_.end()) return it->second;
    FolderCover found;
    auto folded = files_by_folded_name(dir);
    for (const auto& name : names) {  // in the setting's order of preference
        auto path = find_named(dir, name, folded);
        if (!path) continue;
        auto bytes = read_file(*path, kMaxImageFile);
        found.image = bytes ? normalise(*bytes) : std::nullopt;
        if (found.image) {
            found.path = *path;
            break;
        }
        out.warnings.push_back({*path, "corrupt cover image skipped"});
    }
    if (folder_cache_.size() >= kCacheEntries) folder_cache_.clear();
    folder_cache_[key] = found;
    return found;
}

}  // namespace sonique::scanner
