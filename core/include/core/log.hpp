#pragma once
// A small leveled logger writing one line per call to stderr. Thread-safe.
// Arguments are concatenated with operator<< (GCC 12 has no <format>).
#include <sstream>
#include <string>
#include <string_view>

namespace sonique::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

void set_level(Level level);
Level level();
// Parses "debug", "info", "warn", "error"; returns false for anything else.
bool parse_level(std::string_view text, Level& out);
void write(Level level, std::string_view message);

template <typename... Args>
void emit(Level lvl, Args&&... args) {
    if (lvl < level()) return;
    std::ostringstream out;
    (out << ... << std::forward<Args>(args));
    write(lvl, out.str());
}
template <typename... Args>
void debug(Args&&... args) {
    emit(Level::kDebug, std::forward<Args>(args)...);
}
template <typename... Args>
void info(Args&&... args) {
    emit(Level::kInfo, std::forward<Args>(args)...);
}
template <typename... Args>
void warn(Args&&... args) {
    emit(Level::kWarn, std::forward<Args>(args)...);
}
template <typename... Args>
void error(Args&&... args) {
    emit(Level::kError, std::forward<Args>(args)...);
}

}  // namespace sonique::log
