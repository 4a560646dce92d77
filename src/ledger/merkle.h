// RFC 6962 / RFC 9162 Merkle tree hashing and proof verification.
// Leaf hash SHA-256(0x00 || entry); node hash SHA-256(0x01 || left || right).
// Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "base/status.h"
#include "crypto/sha256.h"

namespace cloison::ledger {

using Hash = crypto::Digest;  // 32 bytes

Hash LeafHash(std::span<const uint8_t> entry);
Hash NodeHash(const Hash& left, const Hash& right);
// Root of the empty tree: SHA-256 of the empty string.
Hash EmptyRoot();

// RFC 9162 2.1.3.2: verifies that `leaf` is at `index` in the tree of `size`
// leaves with root `root`. A non-OK status says why (index out of range,
// wrong proof length, root mismatch).
Status VerifyInclusion(uint64_t index, uint64_t size, const Hash& leaf,
                       std::span<const Hash> proof, const Hash& root);
// RFC 9162 2.1.4.2: verifies that the tree of size `size2` with root `root2`
// extends the tree of size `size1` with root `root1`. A consistency proof
// from size 0 is an error (shared/testdata/README.md); size1 == size2 needs
// an empty proof and equal roots.
Status VerifyConsistency(uint64_t size1, uint64_t size2, const Hash& root1, const Hash& root2,
                         std::span<const Hash> proof);

// Root of a complete list of leaf hashes (reference implementation, O(n)).
Hash RootOf(std::span<const Hash> leaves);

}  // namespace cloison::ledger
