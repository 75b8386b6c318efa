// libpq owners, prepared statements, errors, transactions, pipelines and COPY on a real server.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "db/connection.hpp"
#include "db/copy.hpp"
#include "db/errors.hpp"
#include "db/transaction.hpp"
#include "support/test_env.hpp"

namespace sonique::test {
namespace {

class Db : public ::testing::Test {
  protected:
    static void SetUpTestSuite() { db_ = new TestDatabase("db", false); }
    static void TearDownTestSuite() { delete db_; }
    void SetUp() override {
        conn_ = std::make_unique<db::Connection>(db::ConnectOptions{db_->url(), 300, 5});
        conn_->exec_script("DROP TABLE IF EXISTS t; CREATE TABLE t (id int PRIMARY KEY, v text)");
    }
    static TestDatabase* db_;
    std::unique_ptr<db::Connection> conn_;
};
TestDatabase* Db::db_ = nullptr;

TEST_F(Db, ParametersAndNulls) {
    conn_->exec("INSERT INTO t VALUES ($1, $2), ($3, $4)",
                db::Params(1, "it's \"quoted\"", 2, std::optional<std::string>()));
    auto r = conn_->exec("SELECT id, v FROM t ORDER BY id");
    ASSERT_EQ(r.rows(), 2);
    EXPECT_EQ(r.str(0, 1), "it's \"quoted\"");
    EXPECT_TRUE(r.is_null(1, 1));
    EXPECT_EQ(r.opt_str(1, 1), std::nullopt);
    EXPECT_EQ(r.int64(1, 0), 2);
}

TEST_F(Db, PreparedStatementsStayBounded) {
    // Generated SQL (one text per GraphQL selection) must not grow the server without end.
    for (int i = 0; i < 1200; ++i) {
        auto r = conn_->exec("SELECT $1::int + " + std::to_string(i), db::Params(1));
        ASSERT_EQ(r.int64(0, 0), i + 1);
    }
    auto n = conn_->exec("SELECT count(*) FROM pg_prepared_statements").int64(0, 0);
    EXPECT_GT(n, 0);
    EXPECT_LE(n, 512);
    // A statement prepared before the last clean-up is prepared again when it comes back.
    EXPECT_EQ(conn_->exec("SELECT $1::int + 0", db::Params(41)).int64(0, 0), 41);
}

TEST_F(Db, ExecGenericPlansOnceAndLeavesTheSessionAsItWas) {
    conn_->exec("INSERT INTO t SELECT g, 'v' || g FROM generate_series(1, 200) g");
    conn_->exec("ANALYZE t");
    const std::string sql = "SELECT count(*) FROM t WHERE id = ANY($1::int[])";
    for (int i = 0; i < 8; ++i) {
        EXPECT_EQ(conn_->exec_generic(sql, db::Params("{1,2,3}")).int64(0, 0), 3);
        EXPECT_EQ(conn_->exec(sql + " AND true", db::Params("{1}")).int64(0, 0), 1);
    }
    auto plans = [&](const std::string& text) {
        auto r = conn_->exec(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement = $1",
            db::Params(text));
        return std::make_pair(r.int64(0, 0), r.int64(0, 1));
    };
    EXPECT_EQ(plans(sql), std::make_pair(int64_t{8}, int64_t{0}));
    EXPECT_GE(plans(sql + " AND true").second, 5) << "exec() keeps PostgreSQL's choice";
    EXPECT_EQ(conn_->exec("SHOW plan_cache_mode").str(0, 0), "auto");
    // An error inside the pipeline rolls the SET back with its implicit transaction.
    EXPECT_THROW(conn_->exec_generic("SELECT 1 / (id - id) FROM t WHERE id = ANY($1::int[])",
                                     db::Params("{1}")),
                 db::DbError);
    EXPECT_EQ(conn_->exec("SHOW plan_cache_mode").str(0, 0), "auto");
}

TEST_F(Db, ExecCustomPlansForTheValuesEveryTimeAndIsNeverPrepared) {
    conn_->exec("INSERT INTO t SELECT g, 'v' || g FROM generate_series(1, 50) g");
    conn_->exec("ANALYZE t");
    auto prepared = [&] {
        return conn_->exec("SELECT count(*) FROM pg_prepared_statements").int64(0, 0);
    };
    int64_t before = prepared();
    // EXPLAIN shows the value where the plan was made for it, $1 in a generic plan.
    for (int i = 1; i <= 8; ++i) {
        auto r = conn_->exec_custom("EXPLAIN SELECT v FROM t WHERE id = $1", db::Params(i));
        std::string plan;
        for (int row = 0; row < r.rows(); ++row)
            plan += r.str(row, 0);
        EXPECT_NE(plan.find("= " + std::to_string(i) + ")"), std::string::npos) << plan;
        EXPECT_EQ(plan.find("$1"), std::string::npos) << plan;
    }
    EXPECT_EQ(conn_->exec_custom("SELECT v FROM t WHERE id = $1", db::Params(7)).str(0, 0), "v7");
    EXPECT_EQ(prepared(), before) << "nothing was prepared";
}

TEST_F(Db, CustomQueriesInAPipelineAreNotPreparedAndRepeatsPrepareOnce) {
    conn_->exec("INSERT INTO t SELECT g, 'v' || g FROM generate_series(1, 600) g");
    conn_->exec("SELECT 1 WHERE $1", db::Params(true));  // prepared before: must survive
    auto count = [&] {
        return conn_->exec("SELECT count(*) FROM pg_prepared_statements").int64(0, 0);
    };
    int64_t before = count();
    std::vector<db::Query> qs;
    for (int i = 1; i <= 600; ++i)  // more than the 512 prepared statements kept, if each counted
        qs.push_back({"SELECT v FROM t WHERE id = $1", db::Params(i), i % 2 == 0});
    auto rs = conn_->pipeline(qs);
    ASSERT_EQ(rs.size(), 600u);
    for (int i = 1; i <= 600; ++i)
        EXPECT_EQ(rs[i - 1].str(0, 0), "v" + std::to_string(i));
    EXPECT_EQ(count(), before + 1) << "the odd queries' one statement";
    EXPECT_EQ(conn_
                  ->exec("SELECT count(*) FROM pg_prepared_statements WHERE statement = $1",
                         db::Params("SELECT 1 WHERE $1"))
                  .int64(0, 0),
              1);
}

TEST_F(Db, CancellerCancelsTheRunningStatementAlsoAfterAReconnect) {
    using namespace std::chrono;
    db::Connection c(db::ConnectOptions{db_->url(), 0, 5});
    auto cancel = c.canceller();
    auto expect_cancelled = [&] {
        std::thread later([&] {
            std::this_thread::sleep_for(milliseconds(200));
            cancel();
        });
        auto start = steady_clock::now();
        std::string sqlstate;
        try {
            c.exec("SELECT pg_sleep(10)");
        } catch (const db::DbError& e) {
            sqlstate = e.sqlstate();
        }
        later.join();
        EXPECT_EQ(sqlstate, "57014");
        EXPECT_LT(steady_clock::now() - start, seconds(3));
    };
    expect_cancelled();
    // The backend goes away: the next statement reconnects (outside a transaction).
    int64_t pid = c.exec("SELECT pg_backend_pid()").int64(0, 0);
    conn_->exec("SELECT pg_terminate_backend($1)", db::Params(pid));
    EXPECT_NE(c.exec("SELECT pg_backend_pid()").int64(0, 0), pid);
    expect_cancelled();
}

TEST_F(Db, UniqueViolationIsConflict) {
    conn_->exec("INSERT INTO t VALUES ($1, 'a')", db::Params(1));
    try {
        conn_->exec("INSERT INTO t VALUES ($1, 'b')", db::Params(1));
        FAIL();
    } catch (const db::DbError& e) {
        EXPECT_EQ(e.code(), ErrorCode::kConflict);
        EXPECT_EQ(e.sqlstate(), "23505");
    }
    EXPECT_EQ(conn_->exec("SELECT count(*) FROM t").int64(0, 0), 1);
}

TEST_F(Db, TransactionRollsBackUnlessCommitted) {
    {
        db::Transaction tx(*conn_);
        conn_->exec("INSERT INTO t VALUES (1, 'gone')");
    }
    EXPECT_EQ(conn_->exec("SELECT count(*) FROM t").int64(0, 0), 0);
    {
        db::Transaction tx(*conn_);
        conn_->exec("INSERT INTO t VALUES (1, 'kept')");
        tx.commit();
    }
    EXPECT_EQ(conn_->exec("SELECT v FROM t").str(0, 0), "kept");
}

TEST_F(Db, PipelineReturnsResultsInOrderAndSurvivesErrors) {
    conn_->exec("INSERT INTO t VALUES (1, 'a'), (2, 'b')");
    std::vector<db::Query> qs{{"SELECT v FROM t WHERE id = $1", db::Params(2)},
                              {"SELECT count(*) FROM t", {}},
                              {"SELECT v FROM t WHERE id = $1", db::Params(1)}};
    auto rs = conn_->pipeline(qs);
    ASSERT_EQ(rs.size(), 3u);
    EXPECT_EQ(rs[0].str(0, 0), "b");
    EXPECT_EQ(rs[1].int64(0, 0), 2);
    EXPECT_EQ(rs[2].str(0, 0), "a");
    std::vector<db::Query> bad{{"SELECT 1", {}}, {"SELECT 1/0", {}}, {"SELECT 3", {}}};
    EXPECT_THROW(conn_->pipeline(bad), db::DbError);
    EXPECT_EQ(conn_->exec("SELECT 5").int64(0, 0), 5);  // still usable
}

TEST_F(Db, CopyRoundTripsAwkwardText) {
    std::string awkward = "tab\there\nnewline\\backslash \xc3\xa9";
    {
        db::Transaction tx(*conn_);
        db::CopyIn copy(*conn_, "COPY t (id, v) FROM STDIN");
        for (int i = 0; i < 1000; ++i)
            copy.row(
                {std::to_string(i), i % 2 ? std::optional<std::string>(awkward) : std::nullopt});
        EXPECT_EQ(copy.finish(), 1000);
        tx.commit();
    }
    auto r = conn_->exec("SELECT count(*), count(v), min(v) FROM t");
    EXPECT_EQ(r.int64(0, 0), 1000);
    EXPECT_EQ(r.int64(0, 1), 500);
    EXPECT_EQ(r.str(0, 2), awkward);
}

TEST_F(Db, StatementTimeoutIsUnavailable) {
    try {
        conn_->exec("SELECT pg_sleep(2)");
        FAIL();
    } catch (const db::DbError& e) {
        EXPECT_EQ(e.code(), ErrorCode::kUnavailable);
        EXPECT_EQ(e.sqlstate(), "57014");
    }
    EXPECT_EQ(conn_->exec("SELECT 1").int64(0, 0), 1);
}

TEST_F(Db, SessionsRunWithoutJitAndWithTheirStatementTimeout) {
    EXPECT_EQ(conn_->exec("SHOW jit").str(0, 0), "off");
    EXPECT_EQ(conn_->exec("SHOW statement_timeout").str(0, 0), "300ms");
    db::Connection plain(db::ConnectOptions{db_->url(), 0, 5});
    EXPECT_EQ(plain.exec("SHOW jit").str(0, 0), "off");
    EXPECT_EQ(plain.exec("SHOW statement_timeout").str(0, 0), "0");
}

TEST_F(Db, ByteaRoundTrip) {
    conn_->exec_script("CREATE TEMP TABLE b (d bytea)");
    std::string bytes("\0\x01\xff\\x", 5);
    conn_->exec("INSERT INTO b VALUES ($1::bytea)", db::Params(db::bytea_literal(bytes)));
    EXPECT_EQ(conn_->exec("SELECT d FROM b").bytes(0, 0), bytes);
}

}  // namespace
}  // namespace sonique::test
