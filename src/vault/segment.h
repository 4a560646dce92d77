// Segment files: the envelopes of one bucket appended to one file,
// VAULTDIR/<compartment>/<YYYY-MM-DD>.seg (doc/formats/vault.md). A bucket's
// items are destroyed together by destroying its key and then this file;
// one item is destroyed early by overwriting its envelope header (the
// wrapped data key) with zeros in place.
//
// Files are made 0600 in 0700 directories. Appends are made durable in
// batches: many Append or Extend calls, then one Sync (fdatasync, and an
// fsync of the directory when the file is new). Extend gives bytes to fill
// in place in a write buffer (the vault seals envelopes straight into it),
// so a batch of small items is one write, and a large item is never copied
// between buffers; StartWriteback lets the disk work while the caller
// prepares the records that will point at the bytes.
//
// Thread-safety: a SegmentAppender is not thread-safe; the free functions
// are, but callers serialise writers to one file themselves (the vault does
// every change under the store's write lock).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace cloison::vault {

// VAULTDIR/<compartment>/<day>.seg for bucket id "<compartment>/<day>".
// InvalidArgument when the id is not of that form (no '/', '..', ...).
Result<std::filesystem::path> SegmentPath(const std::filesystem::path& vault_dir,
                                          std::string_view bucket_id);

struct SegmentRef {
  uint64_t offset = 0;
  uint64_t length = 0;
};

// Appends to several segment files and makes all of them durable at once.
class SegmentAppender {
 public:
  explicit SegmentAppender(std::filesystem::path vault_dir) : dir_(std::move(vault_dir)) {}
  ~SegmentAppender();
  SegmentAppender(const SegmentAppender&) = delete;
  SegmentAppender& operator=(const SegmentAppender&) = delete;

  // Appends `bytes` to the segment of `bucket_id` (created if absent) and
  // says where they are. Not durable before Sync().
  Result<SegmentRef> Append(std::string_view bucket_id, std::span<const uint8_t> bytes);
  // Reserves `length` bytes at the end of the segment of `bucket_id`
  // (created if absent) for the caller to fill in place: where they will be
  // in the file, and the bytes (uninitialised), valid until the next call
  // on this appender. Written by the next Sync or StartWriteback (or
  // earlier, when the file's buffer passes kFlushBytes); not durable
  // before Sync(). Bytes reserved and not filled would be written as they
  // are: fill all of them.
  struct Extent {
    SegmentRef ref;
    std::span<uint8_t> bytes;
  };
  Result<Extent> Extend(std::string_view bucket_id, size_t length);
  // Writes what is buffered and asks the kernel to start writing it back
  // (sync_file_range on Linux), without waiting: the Sync() that follows
  // then waits less. Durability still comes only from Sync().
  Status StartWriteback();
  // fdatasync of every file appended to, fsync of every directory in which
  // a file or a directory was created.
  Status Sync();

  // A file's buffer is written out when an Extend would take it past this.
  static constexpr size_t kFlushBytes = 1 << 20;

 private:
  struct File {
    int fd = -1;
    uint64_t end = 0;                // end of the segment, buffered bytes included
    uint64_t written = 0;            // end of what has been written to the file
    std::unique_ptr<uint8_t[]> buf;  // bytes [written, end)
    size_t cap = 0;
  };
  Result<File*> Open(std::string_view bucket_id);
  Status Flush(std::string_view bucket_id, File& f);
  std::filesystem::path dir_;
  std::map<std::string, File, std::less<>> files_;
  std::vector<std::filesystem::path> new_dirs_;  // directories to fsync
};

// Reads `length` bytes at `offset` of the segment of `bucket_id`. NotFound
// when the segment does not exist (destroyed); Corruption when it is
// shorter than the range.
Result<std::vector<uint8_t>> ReadSegment(const std::filesystem::path& vault_dir,
                                         std::string_view bucket_id, SegmentRef ref);

// Overwrites `ref` with zeros in place and fsyncs the file: an early
// destruction erases the envelope's header (its wrapped data key).
Status EraseInSegment(const std::filesystem::path& vault_dir, std::string_view bucket_id,
                      SegmentRef ref);

// Unlinks the segment and fsyncs its directory. OK when it does not exist
// (a destruction run twice).
Status DestroySegment(const std::filesystem::path& vault_dir, std::string_view bucket_id);

}  // namespace cloison::vault
