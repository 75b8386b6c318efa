#include "db/copy.hpp"

#include "core/strings.hpp"
#include "db/errors.hpp"

namespace sonique::db {
namespace {
void escape_into(std::string& out, std::string_view v) {
    for (char ch : v) {
        switch (ch) {
            case '\\':
                out += "\\\\";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            default:
                out += ch;
        }
    }
}
}  // namespace

std::string bytea_literal(std::string_view bytes) {
    return "\\x" + hex_encode(bytes);
}

CopyIn::CopyIn(Connection& conn, std::string_view sql) : conn_(conn) {
    Result r(PQexec(conn_.raw(), std::string(sql).c_str()));
    if (PQresultStatus(r.get()) != PGRES_COPY_IN) conn_.fail(r.get(), sql);
}

CopyIn::~CopyIn() {
    if (!done_ && !conn_.broken()) {
        PQputCopyEnd(conn_.raw(), "aborted");
        conn_.discard_results();
    }
}

void CopyIn::row(const std::vector<std::optional<std::string>>& values) {
    for (size_t i = 0; i < values.size(); ++i) {
        if (i) buffer_ += '\t';
        if (values[i])
            escape_into(buffer_, *values[i]);
        else
            buffer_ += "\\N";
    }
    buffer_ += '\n';
    if (buffer_.size() >= (1 << 16)) flush();
}

void CopyIn::flush() {
    if (buffer_.empty()) return;
    if (PQputCopyData(conn_.raw(), buffer_.data(), static_cast<int>(buffer_.size())) != 1)
        conn_.fail(nullptr, "COPY");
    buffer_.clear();
}

int64_t CopyIn::finish() {
    flush();
    done_ = true;
    if (PQputCopyEnd(conn_.raw(), nullptr) != 1) conn_.fail(nullptr, "COPY");
    Result r(PQgetResult(conn_.raw()));
    conn_.discard_results();
    if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) conn_.fail(r.get(), "COPY");
    return r.affected();
}

}  // namespace sonique::db
