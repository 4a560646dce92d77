#include "ledger/tree.h"

#include <algorithm>
#include <bit>
#include <string>

namespace cloison::ledger {
namespace {

// The largest power of two strictly below n (n >= 2): the RFC's split point k.
uint64_t SplitPoint(uint64_t n) {
  return std::bit_floor(n - 1);
}

}  // namespace

void Tree::Append(const Hash& leaf_hash) {
  if (levels_.empty()) levels_.emplace_back();
  levels_[0].push_back(leaf_hash);
  // Each level whose count became even completed a node of the level above.
  for (size_t k = 0; levels_[k].size() % 2 == 0; ++k) {
    const std::vector<Hash>& level = levels_[k];
    Hash parent = NodeHash(level[level.size() - 2], level.back());
    if (levels_.size() == k + 1) levels_.emplace_back();
    levels_[k + 1].push_back(parent);
  }
}

void Tree::Reserve(uint64_t leaves) {
  for (size_t k = 0; (leaves >> k) > 0; ++k) {
    if (levels_.size() == k) levels_.emplace_back();
    levels_[k].reserve(leaves >> k);
  }
}

uint64_t Tree::size() const {
  return levels_.empty() ? 0 : levels_[0].size();
}

Hash Tree::RangeHash(uint64_t begin, uint64_t end) const {
  const uint64_t n = end - begin;
  if (std::has_single_bit(n) && begin % n == 0) {
    const int level = std::countr_zero(n);
    return levels_[level][begin >> level];
  }
  const uint64_t k = SplitPoint(n);
  return NodeHash(RangeHash(begin, begin + k), RangeHash(begin + k, end));
}

Result<Hash> Tree::Root(uint64_t size) const {
  if (size > this->size()) {
    return Status::InvalidArgument("tree size: got " + std::to_string(size) + ", want <= " +
                                   std::to_string(this->size()) + " (the current size)");
  }
  if (size == 0) return EmptyRoot();
  return RangeHash(0, size);
}

Hash Tree::Root() const {
  return size() == 0 ? EmptyRoot() : RangeHash(0, size());
}

Result<std::vector<Hash>> Tree::InclusionProof(uint64_t index, uint64_t size) const {
  if (size > this->size()) {
    return Status::InvalidArgument("tree size: got " + std::to_string(size) + ", want <= " +
                                   std::to_string(this->size()) + " (the current size)");
  }
  if (index >= size) {
    return Status::InvalidArgument("leaf index: got " + std::to_string(index) + ", want < " +
                                   std::to_string(size) + " (the tree size)");
  }
  // RFC 9162 2.1.3.1 PATH(m, D[lo:hi]), unrolled from the root down; the
  // proof lists the siblings from the leaf up, hence the reversal.
  std::vector<Hash> proof;
  uint64_t lo = 0;
  uint64_t hi = size;
  while (hi - lo > 1) {
    const uint64_t k = SplitPoint(hi - lo);
    if (index - lo < k) {
      proof.push_back(RangeHash(lo + k, hi));
      hi = lo + k;
    } else {
      proof.push_back(RangeHash(lo, lo + k));
      lo += k;
    }
  }
  std::reverse(proof.begin(), proof.end());
  return proof;
}

Result<std::vector<Hash>> Tree::ConsistencyProof(uint64_t size1, uint64_t size2) const {
  if (size2 > size()) {
    return Status::InvalidArgument("size2: got " + std::to_string(size2) +
                                   ", want <= " + std::to_string(size()) + " (the current size)");
  }
  if (size1 == 0 || size1 > size2) {
    return Status::InvalidArgument("size1: got " + std::to_string(size1) + ", want 1.." +
                                   std::to_string(size2) + " (size2)");
  }
  // RFC 9162 2.1.4.1 SUBPROOF(m, D[lo:hi], b), unrolled; m counts the old
  // leaves inside [lo, hi).
  std::vector<Hash> proof;
  uint64_t lo = 0;
  uint64_t hi = size2;
  uint64_t m = size1;
  bool whole_old_tree = true;  // b: the subtree [lo, hi) starts at leaf 0
  while (m != hi - lo) {
    const uint64_t k = SplitPoint(hi - lo);
    if (m <= k) {
      proof.push_back(RangeHash(lo + k, hi));
      hi = lo + k;
    } else {
      proof.push_back(RangeHash(lo, lo + k));
      lo += k;
      m -= k;
      whole_old_tree = false;
    }
  }
  if (!whole_old_tree) proof.push_back(RangeHash(lo, hi));
  std::reverse(proof.begin(), proof.end());
  return proof;
}

Result<Hash> Tree::NodeAt(int level, uint64_t index) const {
  if (level < 0 || static_cast<size_t>(level) >= levels_.size() || index >= levels_[level].size()) {
    return Status::NotFound(
        "node at level " + std::to_string(level) + " index " + std::to_string(index) +
        ": no complete subtree there in a tree of size " + std::to_string(size()));
  }
  return levels_[level][index];
}

void RootHasher::Append(const Hash& leaf_hash) {
  // Each trailing one bit of the old size is a subtree of the same height as
  // the one being completed: merge them, as Tree::Append does.
  size_t top = static_cast<size_t>(std::popcount(size_));
  Hash h = leaf_hash;
  for (uint64_t s = size_; (s & 1) != 0; s >>= 1) h = NodeHash(stack_[--top], h);
  stack_[top] = h;
  ++size_;
}

Hash RootHasher::Root() const {
  size_t top = static_cast<size_t>(std::popcount(size_));
  if (top == 0) return EmptyRoot();
  Hash root = stack_[--top];
  while (top > 0) root = NodeHash(stack_[--top], root);
  return root;
}

}  // namespace cloison::ledger
