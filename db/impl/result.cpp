#include "db/result.hpp"

#include <memory>
#include <stdexcept>

#include "core/strings.hpp"

namespace sonique::db {

int64_t Result::affected() const {
    auto n = parse_int(PQcmdTuples(r_.get()));
    return n.value_or(0);
}

int Result::column(const char* name) const {
    int c = PQfnumber(r_.get(), name);
    if (c < 0) throw std::out_of_range(std::string("no column ") + name);
    return c;
}

std::optional<std::string> Result::opt_str(int row, int col) const {
    if (is_null(row, col)) return std::nullopt;
    return str(row, col);
}

int64_t Result::int64(int row, int col) const {
    auto v = parse_int(text(row, col));
    if (!v) throw std::runtime_error("column is not an integer");
    return *v;
}

std::optional<int64_t> Result::opt_int64(int row, int col) const {
    if (is_null(row, col)) return std::nullopt;
    return int64(row, col);
}

double Result::dbl(int row, int col) const {
    auto v = parse_double(text(row, col));
    if (!v) throw std::runtime_error("column is not a number");
    return *v;
}

std::optional<double> Result::opt_dbl(int row, int col) const {
    if (is_null(row, col)) return std::nullopt;
    return dbl(row, col);
}

std::string Result::bytes(int row, int col) const {
    size_t len = 0;
    // Freed by libpq's own allocator, also when the copy below throws.
    std::unique_ptr<unsigned char, void (*)(void*)> raw(
        PQunescapeBytea(reinterpret_cast<const unsigned char*>(PQgetvalue(r_.get(), row, col)),
                        &len),
        PQfreemem);
    if (!raw) throw std::runtime_error("bad bytea");
    return std::string(reinterpret_cast<const char*>(raw.get()), len);
}

}  // namespace sonique::db
