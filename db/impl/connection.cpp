#include "db/connection.hpp"

#include <cstring>
#include <string_view>
#include <unordered_set>

#include "core/log.hpp"
#include "db/errors.hpp"

namespace sonique::db {
namespace {

// libpq's parameter array: pointers into params (nullptr for NULL).
std::vector<const char*> values_of(const Params& params) {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& v : params.values())
        values.push_back(v ? v->c_str() : nullptr);
    return values;
}

bool succeeded(const Result& r) {
    auto st = PQresultStatus(r.get());
    return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

bool is_connection_state(std::string_view state) {
    // Class 08 (connection exception), 57P01..57P03 (shutdown, cannot connect now).
    return state.substr(0, 2) == "08" || state == "57P01" || state == "57P02" || state == "57P03";
}

ErrorCode code_for(std::string_view state, bool connection_bad) {
    if (connection_bad || is_connection_state(state)) return ErrorCode::kUnavailable;
    if (state == "23505" || state == "23503") return ErrorCode::kConflict;
    // Class 22 (data exception: bad encoding, out of range...) and 54000 (an index row too
    // large for a huge value) come from client values: never a 500.
    if (state.substr(0, 2) == "22" || state == "54000") return ErrorCode::kInvalid;
    if (state == "57014" || state == "55P03" || state == "53300") return ErrorCode::kUnavailable;
    return ErrorCode::kInternal;
}

std::string public_detail(ErrorCode code) {
    switch (code) {
        case ErrorCode::kUnavailable:
            return kDatabaseUnavailable;
        case ErrorCode::kConflict:
            return "Conflict with existing data";
        case ErrorCode::kInvalid:
            return "Value not accepted by the database";
        default:
            return "Internal Server Error";
    }
}

}  // namespace

Connection::Connection(ConnectOptions options) : options_(std::move(options)) {
    connect();
}

void Connection::connect() {
    prepared_.clear();
    tx_depth_ = 0;
    const char* keys[] = {"dbname", "connect_timeout", "application_name", nullptr};
    std::string timeout = std::to_string(options_.connect_timeout_s);
    const char* values[] = {options_.url.c_str(), timeout.c_str(), "sonique", nullptr};
    conn_.reset(PQconnectdbParams(keys, values, 1));
    if (!conn_ || PQstatus(conn_.get()) != CONNECTION_OK) {
        std::string msg = conn_ ? PQerrorMessage(conn_.get()) : "out of memory";
        conn_.reset();
        log::debug("database connection failed: ", msg);
        throw DbError(ErrorCode::kUnavailable, kDatabaseUnavailable, "08006");
    }
    PQsetNoticeProcessor(
        conn_.get(), [](void*, const char* message) { log::debug("postgres: ", message); },
        nullptr);
    // JIT compilation pays off for long analytical statements, not for ours: it fired on the
    // wider statements of a large library (a search's SQL path, 100,000 tracks) and spent
    // ~0.3 s compiling each time, more than the statement itself. One round trip per connect.
    std::string session = "SET jit = off";
    if (options_.statement_timeout_ms > 0)
        session += "; SET statement_timeout = " + std::to_string(options_.statement_timeout_ms);
    exec_script_once(session);
    if (cancel_target_) refresh_cancel_target();
}

void Connection::refresh_cancel_target() {
    std::shared_ptr<PGcancel> cancel(PQgetCancel(conn_.get()), PQfreeCancel);
    std::lock_guard lock(cancel_target_->mutex);
    cancel_target_->cancel = std::move(cancel);
}

void Connection::discard_results() noexcept {
    while (Result pending{PQgetResult(conn_.get())}) {
    }
}

bool Connection::broken() const noexcept {
    return !conn_ || PQstatus(conn_.get()) != CONNECTION_OK;
}

void Connection::fail(const PGresult* r, std::string_view sql) {
    const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    std::string sqlstate = state ? state : "";
    std::string message = r ? PQresultErrorMessage(r) : (conn_ ? PQerrorMessage(conn_.get()) : "");
    ErrorCode code = code_for(sqlstate, broken());
    if (code == ErrorCode::kInternal)
        log::error("SQL error ", sqlstate, ": ", message, " in: ", sql.substr(0, 200));
    if (code == ErrorCode::kUnavailable && sqlstate.empty()) sqlstate = "08006";
    if (code != ErrorCode::kInternal) log::debug("SQL ", sqlstate, ": ", message);
    // Server messages name tables and constraints: clients get a generic detail.
    throw DbError(code, public_detail(code), sqlstate);
}

void Connection::make_room(size_t statements) {
    if (prepared_.size() + statements <= kMaxPrepared) return;
    // Generated SQL (GraphQL selections) could otherwise grow the server's memory without end.
    Result r(PQexec(conn_.get(), "DEALLOCATE ALL"));
    if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) fail(r.get(), "DEALLOCATE ALL");
    prepared_.clear();
}

const std::string& Connection::prepare(std::string_view sql) {
    auto it = prepared_.find(std::string(sql));
    if (it != prepared_.end()) return it->second;
    make_room(1);
    std::string name = "s" + std::to_string(prepared_.size());
    Result r(PQprepare(conn_.get(), name.c_str(), std::string(sql).c_str(), 0, nullptr));
    if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) fail(r.get(), sql);
    return prepared_.emplace(std::string(sql), std::move(name)).first->second;
}

Result Connection::exec_once(std::string_view sql, const Params& params, bool custom) {
    if (!conn_) connect();
    auto values = values_of(params);
    const int n = static_cast<int>(values.size());
    Result r(custom ? PQexecParams(conn_.get(), std::string(sql).c_str(), n, nullptr, values.data(),
                                   nullptr, nullptr, 0)
                    : PQexecPrepared(conn_.get(), prepare(sql).c_str(), n, values.data(), nullptr,
                                     nullptr, 0));
    if (!succeeded(r)) fail(r.get(), sql);
    return r;
}

Result Connection::exec(std::string_view sql, const Params& params) {
    return retrying([&] { return exec_once(sql, params, false); });
}

Result Connection::exec_custom(std::string_view sql, const Params& params) {
    return retrying([&] { return exec_once(sql, params, true); });
}

std::function<void()> Connection::canceller() {
    if (!cancel_target_) {
        cancel_target_ = std::make_shared<CancelTarget>();
        if (conn_) refresh_cancel_target();  // else connect() below does it
    }
    if (!conn_) connect();
    return [target = cancel_target_] {
        std::shared_ptr<PGcancel> cancel;
        {
            std::lock_guard lock(target->mutex);
            cancel = target->cancel;
        }
        char error[256];
        if (cancel && !PQcancel(cancel.get(), error, sizeof error))
            log::warn("db: could not cancel a statement: ", error);
    };
}

Result Connection::exec_generic(std::string_view sql, const Params& params) {
    if (in_transaction()) return exec(sql, params);
    const Query queries[] = {{"SET plan_cache_mode = force_generic_plan", {}},
                             {std::string(sql), params},
                             {"RESET plan_cache_mode", {}}};
    auto results = pipeline(queries);
    return std::move(results[1]);
}

void Connection::exec_script(std::string_view sql) {
    retrying([&] { exec_script_once(sql); });
}

void Connection::exec_script_once(std::string_view sql) {
    if (!conn_) connect();
    Result r(PQexec(conn_.get(), std::string(sql).c_str()));
    if (!succeeded(r)) fail(r.get(), sql);
}

std::vector<Result> Connection::pipeline(std::span<const Query> queries) {
    return retrying([&] { return pipeline_once(queries); });
}

std::vector<Result> Connection::pipeline_once(std::span<const Query> queries) {
    if (!conn_) connect();
    // Prepare outside the pipeline so that errors are attributed simply.
    std::unordered_set<std::string_view> unprepared;
    for (const auto& q : queries)
        if (!q.custom && !prepared_.contains(q.sql)) unprepared.insert(q.sql);
    make_room(unprepared.size());  // no DEALLOCATE between two prepare() calls below
    std::vector<const std::string*> names;
    for (const auto& q : queries)
        names.push_back(q.custom ? nullptr : &prepare(q.sql));
    PGconn* c = conn_.get();
    if (PQenterPipelineMode(c) != 1) fail(nullptr, "pipeline");
    for (size_t i = 0; i < queries.size(); ++i) {
        auto values = values_of(queries[i].params);
        int n = static_cast<int>(values.size());
        int sent = names[i] ? PQsendQueryPrepared(c, names[i]->c_str(), n, values.data(), nullptr,
                                                  nullptr, 0)
                            : PQsendQueryParams(c, queries[i].sql.c_str(), n, nullptr,
                                                values.data(), nullptr, nullptr, 0);
        if (sent != 1) {
            PQexitPipelineMode(c);
            fail(nullptr, queries[i].sql);
        }
    }
    PQpipelineSync(c);
    std::vector<Result> results;
    const PGresult* first_error = nullptr;
    Result error_holder;
    std::string error_sql;
    for (size_t i = 0; i < queries.size(); ++i) {
        Result r(PQgetResult(c));
        if (!r) {
            if (broken()) break;
            --i;  // NULL separates results of consecutive queries
            continue;
        }
        if (!succeeded(r) && !first_error) {
            first_error = r.get();
            error_sql = queries[i].sql;
            error_holder = std::move(r);
        }
        results.push_back(std::move(r));
        Result separator(PQgetResult(c));  // the NULL after each query's result
    }
    // Drain until the sync point.
    while (!broken()) {
        Result r(PQgetResult(c));
        if (r && PQresultStatus(r.get()) == PGRES_PIPELINE_SYNC) break;
    }
    PQexitPipelineMode(c);
    if (first_error || results.size() != queries.size())
        fail(first_error, error_sql.empty() ? std::string_view("pipeline") : error_sql);
    return results;
}

}  // namespace sonique::db
