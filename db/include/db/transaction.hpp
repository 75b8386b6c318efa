#pragma once
// BEGIN on construction; ROLLBACK on destruction unless commit() was called.
#include "db/connection.hpp"

namespace sonique::db {

class Transaction {
  public:
    // Throws DbError when BEGIN fails. Same thread as the connection's user.
    explicit Transaction(Connection& conn);
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction();
    // Throws DbError when COMMIT fails (the transaction is then rolled back by the server).
    void commit();

  private:
    Connection& conn_;
    bool done_ = false;
};

}  // namespace sonique::db
