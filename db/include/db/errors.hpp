#pragma once
#include <string>

#include "core/error.hpp"

namespace sonique::db {

// A database error with its SQLSTATE. code(): kConflict for 23505 (unique) and 23503 (foreign
// key), kUnavailable for connection loss, shutdown and statement timeouts, kInternal otherwise.
class DbError : public Error {
  public:
    DbError(ErrorCode code, std::string message, std::string sqlstate)
        : Error(code, std::move(message)), sqlstate_(std::move(sqlstate)) {}
    const std::string& sqlstate() const noexcept { return sqlstate_; }

  private:
    std::string sqlstate_;
};

// The detail used for every unavailable-database answer.
inline constexpr const char* kDatabaseUnavailable = "Database unavailable";

}  // namespace sonique::db
