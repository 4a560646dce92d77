// Counters of committed changes, shared by every process that opens a
// store: a page of 64 counters in a file beside the database ("<db>-changes",
// mode 0600), mapped MAP_SHARED. Each kind of record falls into one slot (a
// hash of its name); a commit that changed records adds one to each slot it
// touched, after SQLite's COMMIT has returned. Store::ChangeStamp is the sum
// of the slots of the kinds asked for: it only grows, and a stamp read after
// a commit has returned differs from every stamp read before it.
//
// Like SQLite's own "-shm" file, it must not be deleted or replaced while a
// process has the store open (a process would keep counting in the old one).
// Its content needs no recovery: only changes while processes run matter.
//
// Thread-safety: thread-safe (atomic operations on the shared page).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "base/status.h"

namespace cloison::store::sqlite {

class ChangeSignal {
 public:
  static constexpr int kSlots = 64;
  // The file for the database at `db_path`, created if missing.
  static Result<std::unique_ptr<ChangeSignal>> Open(const std::string& db_path);
  ~ChangeSignal();
  ChangeSignal(const ChangeSignal&) = delete;
  ChangeSignal& operator=(const ChangeSignal&) = delete;

  // The slot a kind falls into, as a bit of a mask.
  static uint64_t SlotBit(std::string_view kind);
  // Adds one to each slot of `mask`.
  void Bump(uint64_t mask);
  // The sum of the slots of `mask`.
  uint64_t Stamp(uint64_t mask) const;

 private:
  explicit ChangeSignal(uint64_t* slots) : slots_(slots) {}
  uint64_t* slots_;  // kSlots counters in the shared mapping
};

}  // namespace cloison::store::sqlite
