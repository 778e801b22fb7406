// A RocksDB file system whose disk can "fill up": while full, every append,
// sync and new file returns IOStatus::NoSpace (ENOSPC), as the kernel does;
// reads and deletes keep working. Header-only test seam (storage takes it
// through StoreOptions::env).
#ifndef JOBMATCH_TESTS_STORAGE_FULL_DISK_FILE_SYSTEM_H_
#define JOBMATCH_TESTS_STORAGE_FULL_DISK_FILE_SYSTEM_H_

#include <atomic>
#include <memory>
#include <string>

#include "rocksdb/env.h"
#include "rocksdb/file_system.h"

namespace jobmatch::testing {

class FullDiskFileSystem : public rocksdb::FileSystemWrapper {
 public:
  explicit FullDiskFileSystem(std::shared_ptr<rocksdb::FileSystem> base)
      : FileSystemWrapper(std::move(base)) {}
  const char* Name() const override { return "FullDiskFileSystem"; }

  void SetFull(bool full) { full_ = full; }
  // A milder fault: logs still grow, but no new table file can be made (a
  // flush or compaction fails, a write to the log succeeds).
  void SetRefuseNewTables(bool refuse) { refuse_new_tables_ = refuse; }
  bool full() const { return full_; }
  // Writes refused since construction.
  int refused() const { return refused_; }

  rocksdb::IOStatus NewWritableFile(const std::string& fname, const rocksdb::FileOptions& opts,
                                    std::unique_ptr<rocksdb::FSWritableFile>* result,
                                    rocksdb::IODebugContext* dbg) override {
    if (full_ || (refuse_new_tables_ && fname.size() > 4 &&
                  fname.compare(fname.size() - 4, 4, ".sst") == 0)) {
      return Refuse();
    }
    rocksdb::IOStatus s = target()->NewWritableFile(fname, opts, result, dbg);
    if (s.ok()) result->reset(new File(std::move(*result), this));
    return s;
  }
  rocksdb::IOStatus ReopenWritableFile(const std::string& fname, const rocksdb::FileOptions& opts,
                                       std::unique_ptr<rocksdb::FSWritableFile>* result,
                                       rocksdb::IODebugContext* dbg) override {
    if (full_) return Refuse();
    rocksdb::IOStatus s = target()->ReopenWritableFile(fname, opts, result, dbg);
    if (s.ok()) result->reset(new File(std::move(*result), this));
    return s;
  }
  rocksdb::IOStatus GetFreeSpace(const std::string& path, const rocksdb::IOOptions& options,
                                 uint64_t* free_bytes, rocksdb::IODebugContext* dbg) override {
    if (full_) {
      *free_bytes = 0;
      return rocksdb::IOStatus::OK();
    }
    return target()->GetFreeSpace(path, options, free_bytes, dbg);
  }

 private:
  rocksdb::IOStatus Refuse() {
    ++refused_;
    return rocksdb::IOStatus::NoSpace("No space left on device (FullDiskFileSystem)");
  }

  class File : public rocksdb::FSWritableFileOwnerWrapper {
   public:
    File(std::unique_ptr<rocksdb::FSWritableFile> base, FullDiskFileSystem* fs)
        : FSWritableFileOwnerWrapper(std::move(base)), fs_(fs) {}
    rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                             rocksdb::IODebugContext* dbg) override {
      if (fs_->full_) return fs_->Refuse();
      return target()->Append(data, options, dbg);
    }
    rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                             const rocksdb::DataVerificationInfo& info,
                             rocksdb::IODebugContext* dbg) override {
      if (fs_->full_) return fs_->Refuse();
      return target()->Append(data, options, info, dbg);
    }
    rocksdb::IOStatus PositionedAppend(const rocksdb::Slice& data, uint64_t offset,
                                       const rocksdb::IOOptions& options,
                                       rocksdb::IODebugContext* dbg) override {
      if (fs_->full_) return fs_->Refuse();
      return target()->PositionedAppend(data, offset, options, dbg);
    }
    rocksdb::IOStatus Sync(const rocksdb::IOOptions& options, rocksdb::IODebugContext* dbg) override {
      if (fs_->full_) return fs_->Refuse();
      return target()->Sync(options, dbg);
    }
    rocksdb::IOStatus Fsync(const rocksdb::IOOptions& options,
                            rocksdb::IODebugContext* dbg) override {
      if (fs_->full_) return fs_->Refuse();
      return target()->Fsync(options, dbg);
    }

   private:
    FullDiskFileSystem* const fs_;
  };

  std::atomic<bool> full_{false};
  std::atomic<bool> refuse_new_tables_{false};
  std::atomic<int> refused_{0};
};

}  // namespace jobmatch::testing

#endif  // JOBMATCH_TESTS_STORAGE_FULL_DISK_FILE_SYSTEM_H_
