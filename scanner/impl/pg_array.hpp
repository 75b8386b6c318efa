#pragma once
// PostgreSQL array literals for unnest() parameters of multi-row statements.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sonique::scanner {

class PgArray {
  public:
    void add(std::nullopt_t) {
        sep();
        out_ += "NULL";
    }
    void add(std::string_view v) {
        sep();
        out_ += '"';
        for (char c : v) {
            if (c == '"' || c == '\\') out_ += '\\';
            out_ += c;
        }
        out_ += '"';
    }
    void add(const std::string& v) { add(std::string_view(v)); }
    void add(const char* v) { add(std::string_view(v)); }
    void add(const std::optional<std::string>& v) {
        v ? add(std::string_view(*v)) : add(std::nullopt);
    }
    template <typename T>
    void add_num(const std::optional<T>& v) {
        if (!v) return add(std::nullopt);
        sep();
        out_ += num(*v);
    }
    std::string str() const { return "{" + out_ + "}"; }
    bool empty() const { return first_; }

  private:
    static std::string num(double d) {
        char buf[32];
        snprintf(buf, sizeof buf, "%.17g", d);
        return buf;
    }
    static std::string num(int64_t v) { return std::to_string(v); }
    static std::string num(int v) { return std::to_string(v); }
    void sep() {
        if (!first_) out_ += ',';
        first_ = false;
    }
    std::string out_;
    bool first_ = true;
};

// {1,2,3}: an id list for "= ANY($n::bigint[])" or unnest().
inline std::string ids_array(const std::vector<int64_t>& ids) {
    PgArray a;
    for (auto id : ids)
        a.add_num(std::optional<int64_t>(id));
    return a.str();
}

}  // namespace sonique::scanner
