#include "db/transaction.hpp"

#include "core/log.hpp"

namespace sonique::db {

Transaction::Transaction(Connection& conn) : conn_(conn) {
    conn_.exec_script("BEGIN");
    ++conn_.tx_depth_;
}

Transaction::~Transaction() {
    if (done_) return;
    --conn_.tx_depth_;
    try {
        if (!conn_.broken()) conn_.exec_script("ROLLBACK");
    } catch (const std::exception& e) {
        log::warn("rollback failed: ", e.what());
    }
}

void Transaction::commit() {
    done_ = true;
    --conn_.tx_depth_;
    conn_.exec_script("COMMIT");
}

}  // namespace sonique::db
