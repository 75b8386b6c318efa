#include "scanner/scanner.hpp"

#include <algorithm>
#include <deque>
#include <mutex>
#include <new>
#include <optional>
#include <string_view>
#include <thread>
#include <unordered_set>

#include "bounded_queue.hpp"
#include "core/json.hpp"
#include "core/log.hpp"
#include "discovery.hpp"
#include "isolated_reader.hpp"
#include "library_state.hpp"
#include "scan_writer.hpp"

namespace sonique::scanner {
namespace {

// What steps "discover" and "skip unchanged" leave for the readers.
struct Discovered {
    std::vector<FileEntry> to_read;        // new or changed files, in path order per directory
    std::vector<FileWarning> problems;     // scan errors found on the way
    std::vector<std::string> failed_dirs;  // nothing under them is taken for deleted
};

// Steps "discover" and "skip unchanged": walks the requested directories, guards library roots
// that look unmounted, and keeps only the files that must be read. Fills summary.found,
// .unchanged and .failed_unchanged. Unchanged files that failed before are not read again: they
// become problems with their remembered reason. Never throws for file system problems; stops
// early when cancel is set (the result is then incomplete). Writer thread only.
Discovered discover_step(const ScanRequest& req, LibraryState& state, FailedFiles& failures,
                         ScanSummary& summary, const std::atomic<bool>& cancel) {
    Discovered out;
    std::optional<std::unordered_set<std::string>> mounts;  // read when first needed
    for (const auto& dir : req.directories) {
        if (cancel.load()) break;
        Discovery d = discover(dir, req.roots, &cancel);
        if (is_library_root(dir, req.library_roots) &&
            guard_empty_root(dir, state.tracks_under(dir), d))
            log::warn("scan: library root ", dir, " is missing or empty; its ",
                      state.tracks_under(dir), " tracks are kept (not mounted?)");
        if (!d.empty_dirs.empty() && state.size() > 0) {
            if (!mounts) mounts = mount_points(req.mount_tables);
            auto below = [&](const std::string& f) { return state.tracks_below(f); };
            if (guard_empty_mount_points(*mounts, below, d))
                log::warn("scan: empty mount points under ", dir,
                          " hold tracks in the library; they are kept (not mounted?)");
        }
        summary.found += static_cast<int64_t>(d.files.size());
        for (auto& f : d.files) {
            // unchanged() also marks the file as seen: keep it first.
            if (state.unchanged(f) && !req.reread) {
                ++summary.unchanged;
            } else if (auto reason = req.reread ? std::nullopt : failures.unchanged(f)) {
                ++summary.failed_unchanged;
                out.problems.push_back(
                    {f.path, *reason + " (failed before and unchanged since: not read again)"});
            } else {
                out.to_read.push_back(std::move(f));
            }
        }
        out.problems.insert(out.problems.end(), d.problems.begin(), d.problems.end());
        out.failed_dirs.insert(out.failed_dirs.end(), d.failed_dirs.begin(), d.failed_dirs.end());
    }
    return out;
}

using Clock = std::chrono::steady_clock;

struct Item {
    FileEntry entry;
    ReadOutcome outcome;
};

// Step "read": N threads pull files and push outcomes; no database access here.
class ReadStep {
  public:
    ReadStep(TagReader& reader, const ScanRequest& req, const std::vector<FileEntry>& files,
             BoundedQueue<Item>& queue, const std::atomic<bool>& cancel)
        : reader_(reader), req_(req), files_(files), queue_(queue), cancel_(cancel) {}

    void start() {
        int n = std::max(1, req_.threads);
        for (int i = 0; i < n; ++i)
            threads_.emplace_back([this] { run_thread(); });
    }
    void join() {
        for (auto& t : threads_)
            t.join();
        threads_.clear();
    }

  private:
    // A thread takes the files of one folder at a time (at most kRun of them): an album's
    // cover picture is then decoded and normalised by one reader, once, not by every reader
    // that got one of its tracks.
    struct Run {
        size_t next = 0, end = 0;
    };
    static constexpr size_t kRun = 64;

    static std::string_view folder(const std::string& path) {
        return std::string_view(path).substr(0, path.rfind('/') + 1);
    }

    // The next file of this thread's run, else (unless own_run_only) of a new run.
    const FileEntry* next(Run& run, bool own_run_only = false) {
        if (cancel_.load()) return nullptr;
        if (run.next == run.end && !own_run_only) {
            std::lock_guard lock(mutex_);
            run.next = run.end = cursor_;
            while (run.end < files_.size() && run.end - run.next < kRun &&
                   (run.end == run.next ||
                    folder(files_[run.end].path) == folder(files_[run.next].path)))
                ++run.end;
            cursor_ = run.end;
        }
        if (run.next == run.end) return nullptr;
        return &files_[run.next++];
    }

    // As a worker process does: what the reader throws is the file's error, but for running out
    // of memory, which stops this thread (below).
    static ReadOutcome process_here(FileProcessor& processor, const FileEntry& e) {
        try {
            return processor.process(e);
        } catch (const std::bad_alloc&) {
            throw;
        } catch (const std::exception& ex) {
            ReadOutcome out;
            out.error = std::string("tag reader failed: ") + ex.what();
            return out;
        }
    }

    void run_thread() {
        Run run;
        // Taken and not yet answered: one file, or a worker's window when isolated. Answers come
        // in order, so the answered file is nearly always the first.
        std::deque<const FileEntry*> taken;
        auto take = [&]() -> std::optional<FileEntry> {
            const FileEntry* e = next(run);
            if (!e) return std::nullopt;
            taken.push_back(e);
            return *e;
        };
        auto sink = [&](const FileEntry& e, ReadOutcome&& o) {
            auto it = std::find_if(taken.begin(), taken.end(),
                                   [&](const FileEntry* t) { return t->path == e.path; });
            if (it != taken.end()) taken.erase(it);
            queue_.push(Item{e, std::move(o)});
        };
        FileProcessor processor(reader_, req_.covers);
        try {
            if (!req_.isolate) {
                while (auto e = take())
                    sink(*e, process_here(processor, *e));
            } else {
                IsolatedReader isolated([&](const FileEntry& e) { return processor.process(e); },
                                        req_.file_timeout, &cancel_);
                isolated.run(take, sink);
            }
        } catch (const std::exception& e) {
            // Not the files' fault: each file this thread had taken gets an outcome that has the
            // next scan read it again; the other threads go on with the rest.
            log::error("scan: reader thread stopped: ", e.what());
            ReadOutcome lost{std::nullopt, std::string("reader stopped: ") + e.what(), true, {}};
            for (const FileEntry* f : taken)
                queue_.push(Item{*f, ReadOutcome(lost)});
            while (const FileEntry* f = next(run, true))
                queue_.push(Item{*f, ReadOutcome(lost)});
            failed_ = true;
        }
        if (running_.fetch_sub(1) != 1) return;
        if (failed_.load()) {  // the last reader: files no thread could take
            ReadOutcome lost{std::nullopt, "no reader left", true, {}};
            while (const FileEntry* f = next(run))
                queue_.push(Item{*f, ReadOutcome(lost)});
        }
        queue_.finish();
    }

    TagReader& reader_;
    const ScanRequest& req_;
    const std::vector<FileEntry>& files_;
    BoundedQueue<Item>& queue_;
    const std::atomic<bool>& cancel_;
    std::mutex mutex_;
    size_t cursor_ = 0;  // the first file no thread has taken (mutex_)
    std::atomic<int> running_{std::max(1, req_.threads)};
    std::atomic<bool> failed_{false};
    std::vector<std::thread> threads_;
};

class Progress {
  public:
    explicit Progress(const ScanHooks& hooks) : hooks_(hooks) {}
    void report(const std::string& step, int64_t current, int64_t total, bool force) {
        auto now = Clock::now();
        if (!force && step == last_step_ && now - last_ < std::chrono::milliseconds(250)) return;
        last_ = now;
        last_step_ = step;
        if (hooks_.progress) hooks_.progress(ScanProgress{step, current, total});
    }

  private:
    const ScanHooks& hooks_;
    Clock::time_point last_{};
    std::string last_step_;
};

}  // namespace

ScanSummary run_scan(db::Connection& conn, TagReader& reader, const ScanRequest& req,
                     const ScanHooks& hooks, const std::atomic<bool>& cancel) {
    auto started = Clock::now();
    ScanSummary summary;
    Progress progress(hooks);
    progress.report("discover", 0, 0, true);

    // Steps "discover" and "skip unchanged".
    LibraryState state;
    state.load(conn, req.directories);
    FailedFiles failures;
    failures.load(conn, req.directories);
    Discovered found = discover_step(req, state, failures, summary, cancel);
    auto gone = state.disappeared(found.failed_dirs);
    if (!cancel.load()) state.prepare_moves(conn, gone);

    // Steps "read" and "write".
    ScanWriter write(conn, req, state, failures, summary, std::move(found.problems),
                     hooks.committed);
    const auto& to_read = found.to_read;
    BoundedQueue<Item> queue(1024);
    ReadStep read(reader, req, to_read, queue, cancel);
    progress.report("read", write.processed(), summary.found, true);
    if (!to_read.empty() && !cancel.load()) read.start();
    try {
        std::vector<Item> items;
        bool open = !to_read.empty() && !cancel.load();
        while (open) {
            if (cancel.load()) {  // what was read so far is written below; the rest is dropped
                queue.close();
                break;
            }
            items.clear();
            open = queue.pop_some(items, req.batch_size, std::chrono::milliseconds(500));
            for (auto& it : items)
                write.add(std::move(it.entry), std::move(it.outcome));
            if (write.batch_full() || (!open && write.has_pending()) ||
                (items.empty() && write.has_pending()))
                write.flush();
            progress.report("read", write.processed(), summary.found, false);
        }
        write.flush();
    } catch (...) {
        queue.close();
        read.join();
        throw;
    }
    read.join();
    summary.cancelled = cancel.load();

    // Step "remove what disappeared".
    progress.report("cleanup", write.processed(), summary.found, true);
    if (!summary.cancelled) write.remove_disappeared(gone, found.failed_dirs);
    summary.seconds = std::chrono::duration<double>(Clock::now() - started).count();
    progress.report("done", write.processed(), summary.found, true);
    return summary;
}

}  // namespace sonique::scanner
