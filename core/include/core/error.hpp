#pragma once
// One error policy: services throw these; server/ maps them to HTTP in one place.
#include <stdexcept>
#include <string>
#include <vector>

namespace sonique {

enum class ErrorCode {
    kBadRequest,   // 400: the request is understood but refused (contract detail string)
    kNotFound,     // 404
    kConflict,     // 409
    kInvalid,      // 422: validation, see ValidationError
    kTooLarge,     // 413
    kUnavailable,  // 503: database pool exhausted or unreachable
    kInternal,     // 500
};

class Error : public std::runtime_error {
  public:
    Error(ErrorCode code, std::string detail)
        : std::runtime_error(detail), code_(code), detail_(std::move(detail)) {}
    ErrorCode code() const noexcept { return code_; }
    const std::string& detail() const noexcept { return detail_; }

  private:
    ErrorCode code_;
    std::string detail_;
};

inline Error not_found(std::string detail) {
    return {ErrorCode::kNotFound, std::move(detail)};
}
inline Error conflict(std::string detail) {
    return {ErrorCode::kConflict, std::move(detail)};
}
inline Error bad_request(std::string detail) {
    return {ErrorCode::kBadRequest, std::move(detail)};
}
inline Error unavailable(std::string detail) {
    return {ErrorCode::kUnavailable, std::move(detail)};
}

// One entry of a 422 answer: {"loc": [...], "msg": ..., "type": ...}.
struct ValidationIssue {
    std::vector<std::string> loc;  // e.g. {"body", "name"} or {"query", "limit"}
    std::string msg;
    std::string type;
};

class ValidationError : public Error {
  public:
    explicit ValidationError(std::vector<ValidationIssue> issues)
        : Error(ErrorCode::kInvalid, issues.empty() ? "invalid" : issues.front().msg),
          issues_(std::move(issues)) {}
    ValidationError(std::vector<std::string> loc, std::string msg, std::string type)
        : ValidationError(
              std::vector<ValidationIssue>{{std::move(loc), std::move(msg), std::move(type)}}) {}
    const std::vector<ValidationIssue>& issues() const noexcept { return issues_; }

  private:
    std::vector<ValidationIssue> issues_;
};

}  // namespace sonique
