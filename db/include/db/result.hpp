#pragma once
// Move-only owner of a PGresult with typed accessors. Any thread (one at a time).
#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace sonique::db {

class Result {
  public:
    Result() = default;
    explicit Result(PGresult* r) noexcept : r_(r) {}

    PGresult* get() const noexcept { return r_.get(); }
    explicit operator bool() const noexcept { return r_ != nullptr; }
    int rows() const noexcept { return r_ ? PQntuples(r_.get()) : 0; }
    int cols() const noexcept { return r_ ? PQnfields(r_.get()) : 0; }
    bool empty() const noexcept { return rows() == 0; }
    // Rows changed by INSERT/UPDATE/DELETE.
    int64_t affected() const;
    // Column index by name; throws std::out_of_range for an unknown name.
    int column(const char* name) const;

    bool is_null(int row, int col) const { return PQgetisnull(r_.get(), row, col) != 0; }
    std::string_view text(int row, int col) const {
        return {PQgetvalue(r_.get(), row, col),
                static_cast<size_t>(PQgetlength(r_.get(), row, col))};
    }
    std::string str(int row, int col) const { return std::string(text(row, col)); }
    std::optional<std::string> opt_str(int row, int col) const;
    int64_t int64(int row, int col) const;  // throws std::runtime_error when not an integer
    std::optional<int64_t> opt_int64(int row, int col) const;
    double dbl(int row, int col) const;
    std::optional<double> opt_dbl(int row, int col) const;
    bool boolean(int row, int col) const { return text(row, col) == "t"; }
    // bytea in hex output format, decoded.
    std::string bytes(int row, int col) const;

  private:
    struct Clear {
        void operator()(PGresult* r) const noexcept { PQclear(r); }
    };
    std::unique_ptr<PGresult, Clear> r_;
};

}  // namespace sonique::db
