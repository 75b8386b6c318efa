#pragma once
// The tree snapshot's life (docs/dlna.md, "The tree snapshot"): loaded on a thread of its own at
// the lowest priority through the background pool when a Browse finds it missing or stale, and
// handed to a Browse only after one statement has checked that the library has not changed
// since it was read: the SystemUpdateID sequence is where it was, and no transaction that was in
// flight then has ended (its change may be missing from the snapshot). A stale snapshot is
// never answered from: the SQL path answers while the next one loads.
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tree_snapshot.hpp"

namespace sonique::db {
class Pool;
}

namespace sonique::dlna {

class TreeSnapshots {
  public:
    // requests: the pool of the request threads (the check); loads: the background pool.
    // min_gap: the least time between the end of a load and the start of the next (a scan
    // changes the library all along: a load then would be stale at once).
    // music_roots: the library roots (the Folders tree).
    TreeSnapshots(db::Pool& requests, db::Pool& loads, std::vector<std::string> music_roots,
                  std::chrono::milliseconds min_gap = std::chrono::milliseconds(1000));
    ~TreeSnapshots();
    TreeSnapshots(const TreeSnapshots&) = delete;
    TreeSnapshots& operator=(const TreeSnapshots&) = delete;

    // The snapshot when it is current (one statement on the request pool), else nullptr and a
    // load is asked for. Throws the pool's errors (Error kUnavailable). Any thread.
    std::shared_ptr<const TreeSnapshot> fresh();
    // Waits until fresh() gives a snapshot, up to `timeout`; false when none came (tests).
    // Any thread.
    bool wait_fresh(std::chrono::milliseconds timeout);

  private:
    void run();
    void ask();
    db::Pool& requests_;
    db::Pool& loads_;
    std::vector<std::string> roots_;
    std::chrono::milliseconds min_gap_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::shared_ptr<const TreeSnapshot> snapshot_;
    bool wanted_ = true;  // the first load starts at once
    bool stop_ = false;
    std::thread thread_;
};

}  // namespace sonique::dlna
