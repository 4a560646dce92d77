// The C2SP tlog-tiles layout (shared/testdata/c2sp/tlog-tiles.md): paths of
// hash tiles and entry bundles, tile contents, entry bundle encoding.
// Tiles have height 8 (256 hashes or entries when full). Pure, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "ledger/merkle.h"
#include "ledger/tree.h"

namespace cloison::ledger {

inline constexpr int kTileHeight = 8;
inline constexpr uint64_t kTileWidth = 256;

struct TileId {
  int level = 0;       // 0..63; level L tiles hold hashes of subtrees of 256^L leaves
  uint64_t index = 0;  // N
  uint64_t width = 0;  // 1..256; 256 = full (no .p/ suffix)
  bool entries = false;  // an entry bundle (tile/entries/...) rather than a hash tile
  bool operator==(const TileId&) const = default;
};

// "tile/0/x001/x234/067.p/8", "tile/entries/000", ... (no leading slash).
std::string TilePath(const TileId& id);
// Parses a path as TilePath writes it; InvalidArgument names the bad part.
Result<TileId> ParseTilePath(std::string_view path);

// Every tile (hash tiles of every level, and entry bundles) that a log of
// `size` entries publishes: full tiles plus the rightmost partial ones.
std::vector<TileId> TilesForSize(uint64_t size);

// The content of hash tile `id` (width * 32 bytes) from the tree; the tree
// must hold at least the leaves the tile covers.
Result<std::string> HashTile(const Tree& tree, const TileId& id);

// Entry bundles: each entry as a big-endian uint16 length then its bytes.
// Entries longer than 65535 bytes cannot be logged (InvalidArgument).
Result<std::string> EncodeEntryBundle(const std::vector<std::string>& entries);
Result<std::vector<std::string>> DecodeEntryBundle(std::string_view bundle);

}  // namespace cloison::ledger
