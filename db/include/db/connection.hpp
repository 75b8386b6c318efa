#pragma once
// One PostgreSQL connection: prepared statements, pipelines, COPY. One thread at a time.
#include <libpq-fe.h>

#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "db/errors.hpp"
#include "db/params.hpp"
#include "db/result.hpp"

namespace sonique::db {

struct ConnectOptions {
    std::string url;                   // libpq URI or conninfo
    int statement_timeout_ms = 15000;  // 0: none
    int connect_timeout_s = 3;
};

class Connection {
  public:
    // Connects; throws Error(kUnavailable) when the server cannot be reached.
    explicit Connection(ConnectOptions options);
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Runs sql with $n parameters as a prepared statement (prepared once per connection).
    // Throws DbError: conflict for unique violations, unavailable for connection loss and
    // timeouts, internal otherwise. Outside a transaction a lost connection is re-established
    // once and the statement retried, so a restarted server is invisible to callers.
    Result exec(std::string_view sql, const Params& params = {});
    // exec() with a generic plan, planned once per connection. PostgreSQL otherwise plans a
    // statement again on every execution when a plan made for the actual values looks cheaper
    // (`= ANY($1)` with a one-element array, `LIMIT $2`). For statements whose best plan does not
    // depend on the values, not for optional filters (`$1 IS NULL OR ...`). One round trip: SET,
    // the statement and RESET in one pipeline, whose implicit transaction rolls the SET back on
    // error. Inside a transaction it is exec().
    Result exec_generic(std::string_view sql, const Params& params = {});
    // exec() planned for the actual values on every call (an unnamed statement is planned
    // afresh each time; only plan_cache_mode = force_generic_plan would make it generic). For
    // lookups whose best plan depends on the values (optional keys,
    // `$1 IS NULL OR ...`) on tables that may have been empty when a generic plan would be made.
    Result exec_custom(std::string_view sql, const Params& params = {});
    // Runs one or more statements without parameters (migrations, BEGIN/COMMIT).
    void exec_script(std::string_view sql);
    // Sends all queries in one pipeline and returns their results in order.
    std::vector<Result> pipeline(std::span<const Query> queries);

    // A function that asks the server to cancel the statement this connection is running when
    // it is called (nothing when idle), also after the connection was re-established. Take it
    // on the thread using the connection; call it from any thread, any number of times, even
    // after the connection is gone. It opens a connection of its own to the server, so it may
    // take as long as a connect.
    std::function<void()> canceller();

    bool broken() const noexcept;
    bool in_transaction() const noexcept { return tx_depth_ > 0; }

  private:
    // The libpq handle stays inside db/: CopyIn drives COPY on it directly.
    friend class Transaction;
    friend class CopyIn;
    PGconn* raw() const noexcept { return conn_.get(); }
    // Reads and frees every result still pending on the connection (after COPY).
    void discard_results() noexcept;
    struct Finish {
        void operator()(PGconn* c) const noexcept { PQfinish(c); }
    };
    void connect();
    // Runs f; a server restart kills idle connections, so outside a transaction a lost
    // connection is re-established and f run once more.
    template <typename F>
    auto retrying(F f) -> decltype(f()) {
        try {
            return f();
        } catch (const DbError& e) {
            if (e.code() != ErrorCode::kUnavailable || in_transaction() || !broken()) throw;
        }
        connect();
        return f();
    }
    const std::string& prepare(std::string_view sql);
    // Deallocates every prepared statement when `statements` more would pass kMaxPrepared.
    void make_room(size_t statements);
    // custom: an unnamed statement (planned for the values), else a prepared one.
    Result exec_once(std::string_view sql, const Params& params, bool custom);
    void exec_script_once(std::string_view sql);
    std::vector<Result> pipeline_once(std::span<const Query> queries);
    [[noreturn]] void fail(const PGresult* r, std::string_view sql);

    ConnectOptions options_;
    std::unique_ptr<PGconn, Finish> conn_;
    // The current backend's cancel handle, shared with the cancellers; replaced on connect().
    struct CancelTarget {
        std::mutex mutex;
        std::shared_ptr<PGcancel> cancel;
    };
    std::shared_ptr<CancelTarget> cancel_target_;
    void refresh_cancel_target();  // after a connect, when cancellers exist
    static constexpr size_t kMaxPrepared = 512;
    std::unordered_map<std::string, std::string> prepared_;  // sql -> statement name
    int tx_depth_ = 0;
};

}  // namespace sonique::db
