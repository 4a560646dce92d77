// An append-only Merkle tree kept in memory by levels: level 0 holds every
// leaf hash, level k every complete subtree of 2^k leaves. Roots and proofs
// for any size up to the current one cost O(log n) hash reads and at most
// O(log n) hashings, which is what the 10^7-entry proof target needs
// (32 bytes x 2 per leaf in memory).
//
// Thread-safety: not thread-safe; callers serialise appends with reads (the
// ledger service holds a shared_mutex).
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "base/status.h"
#include "ledger/merkle.h"

namespace cloison::ledger {

class Tree {
 public:
  // Appends one leaf hash (LeafHash of the entry); hashes the subtrees it
  // completes, one NodeHash per trailing one bit of the new size - 1.
  void Append(const Hash& leaf_hash);
  // Reserves room for `leaves` leaves in every level, so that a log of known
  // size does not reallocate (and briefly double) its hashes as it grows.
  void Reserve(uint64_t leaves);
  uint64_t size() const;
  // The root of the first `size` leaves (size <= this->size()); EmptyRoot()
  // for 0. InvalidArgument if size > this->size().
  Result<Hash> Root(uint64_t size) const;
  Hash Root() const;
  // RFC 9162 inclusion proof of leaf `index` in the tree of `size` leaves
  // (index < size <= this->size(), else InvalidArgument).
  Result<std::vector<Hash>> InclusionProof(uint64_t index, uint64_t size) const;
  // RFC 9162 consistency proof from `size1` to `size2` (0 < size1 <= size2 <=
  // this->size(), else InvalidArgument); empty when size1 == size2.
  Result<std::vector<Hash>> ConsistencyProof(uint64_t size1, uint64_t size2) const;
  // The stored hash of the complete subtree at `level` and `index` (its
  // 2^level leaves start at index * 2^level); NotFound if incomplete.
  Result<Hash> NodeAt(int level, uint64_t index) const;

 private:
  // MTH(D[begin:end]) (RFC 9162 2.1.1) for 0 <= begin < end <= size(): the
  // stored node when the range is a complete aligned subtree, else hashed
  // on the fly from stored nodes (the ragged right edge).
  Hash RangeHash(uint64_t begin, uint64_t end) const;

  // levels_[k][i] = MTH of leaves [i * 2^k, (i + 1) * 2^k).
  std::vector<std::vector<Hash>> levels_;
};

// The root of a tree whose leaf hashes are appended in order, kept in
// O(log n) memory: one hash per set bit of the size (the complete subtrees of
// the left edge). What a verifier that reads every entry needs, where Tree
// would keep every level to serve proofs.
//
// Thread-safety: not thread-safe.
class RootHasher {
 public:
  void Append(const Hash& leaf_hash);
  uint64_t size() const { return size_; }
  // The root of the leaves appended so far; EmptyRoot() for none.
  Hash Root() const;

 private:
  uint64_t size_ = 0;
  // The complete subtrees, largest (leftmost) first: the first
  // popcount(size_) hold them, subtree i covering 2^k leaves where k is the
  // i-th set bit of size_ from the top. A fixed array (64 set bits at most)
  // so that an append touches no allocator and no capacity check.
  std::array<Hash, 64> stack_{};
};

}  // namespace cloison::ledger
