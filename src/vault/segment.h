// Segment files: the envelopes of one bucket appended to one file,
// VAULTDIR/<compartment>/<YYYY-MM-DD>.seg (doc/formats/vault.md). A bucket's
// items are destroyed together by destroying its key and then this file;
// one item is destroyed early by overwriting its envelope header (the
// wrapped data key) with zeros in place.
//
// Files are made 0600 in 0700 directories. Appends are made durable in
// batches: many Append calls, then one Sync (fdatasync, and an fsync of the
// directory when the file is new).
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
  // fdatasync of every file appended to, fsync of every directory in which
  // a file or a directory was created.
  Status Sync();

 private:
  struct File {
    int fd = -1;
    uint64_t end = 0;
  };
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
