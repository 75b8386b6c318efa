#pragma once
// COPY ... FROM STDIN in text format, for bulk writes. Use inside a Transaction.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/connection.hpp"

namespace sonique::db {

class CopyIn {
  public:
    // sql: "COPY table (col, ...) FROM STDIN". Throws DbError.
    CopyIn(Connection& conn, std::string_view sql);
    CopyIn(const CopyIn&) = delete;
    ~CopyIn();  // aborts the COPY when finish() was not called
    // One row; nullopt is NULL. Buffered and sent in chunks.
    void row(const std::vector<std::optional<std::string>>& values);
    // Ends the COPY; returns the rows copied. Throws DbError (e.g. on a constraint violation).
    int64_t finish();

  private:
    void flush();
    Connection& conn_;
    std::string buffer_;
    bool done_ = false;
};

// "\x<hex>" text form of a bytea value, for Params and COPY.
std::string bytea_literal(std::string_view bytes);

}  // namespace sonique::db
