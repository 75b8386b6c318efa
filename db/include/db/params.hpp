#pragma once
// Text parameters for $1..$n. nullopt is SQL NULL.
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace sonique::db {

class Params {
  public:
    Params() = default;
    template <typename... Ts>
    requires(sizeof...(Ts) > 0 && !(std::is_same_v<std::remove_cvref_t<Ts>, Params> ||
                                    ...)) explicit Params(Ts&&... values) {
        values_.reserve(sizeof...(Ts));
        (add(std::forward<Ts>(values)), ...);
    }

    Params& add(std::nullopt_t) {
        values_.emplace_back(std::nullopt);
        return *this;
    }
    Params& add(std::string v) {
        values_.emplace_back(std::move(v));
        return *this;
    }
    Params& add(std::string_view v) {
        values_.emplace_back(std::string(v));
        return *this;
    }
    Params& add(const char* v) {
        values_.emplace_back(std::string(v));
        return *this;
    }
    Params& add(bool v) {
        values_.emplace_back(v ? "true" : "false");
        return *this;
    }
    template <typename T>
    requires std::is_arithmetic_v<T> &&(!std::is_same_v<T, bool>)Params& add(T v) {
        if constexpr (std::is_floating_point_v<T>) {
            char buf[32];
            snprintf(buf, sizeof buf, "%.17g", static_cast<double>(v));
            values_.emplace_back(buf);
        } else {
            values_.emplace_back(std::to_string(v));
        }
        return *this;
    }
    template <typename T>
    Params& add(const std::optional<T>& v) {
        if (v) return add(*v);
        return add(std::nullopt);
    }

    size_t size() const noexcept { return values_.size(); }
    const std::vector<std::optional<std::string>>& values() const noexcept { return values_; }

  private:
    std::vector<std::optional<std::string>> values_;
};

// One statement of a pipeline.
struct Query {
    std::string sql;
    Params params;
    // Planned for its values on every run (an unnamed statement), like Connection::exec_custom.
    bool custom = false;
};

}  // namespace sonique::db
