// The C2SP tlog-tiles layout (shared/testdata/c2sp/tlog-tiles.md): paths of
// hash tiles and entry bundles, tile contents, entry bundle encoding.
// Tiles have height 8 (256 hashes or entries when full). Pure, thread-safe.
#pragma once

#include <cstdint>
#include <functional>
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
  int level = 0;         // 0..63; level L tiles hold hashes of subtrees of 256^L leaves
                         // (0 for entry bundles)
  uint64_t index = 0;    // N
  uint64_t width = 0;    // 1..256; 256 = full (no .p/ suffix)
  bool entries = false;  // an entry bundle (tile/entries/...) rather than a hash tile
  bool operator==(const TileId&) const = default;
};

// "tile/0/x001/x234/067.p/8", "tile/entries/000", ... (no leading slash).
// `id.width` must be 1..256 (anything else writes a path ParseTilePath rejects).
std::string TilePath(const TileId& id);
// Parses a path as TilePath writes it, and only those: the result writes
// back to the same path. InvalidArgument names the bad part (level 0..63 and
// W 1..255 without leading zeros; N in 3-digit groups, "x" on all but the
// last, no leading "x000" group, at most 2^64 - 1).
Result<TileId> ParseTilePath(std::string_view path);

// Every tile that a log of `size` entries publishes: full tiles plus the
// rightmost partial ones, hash tiles by level then index, then the entry
// bundles by index. Empty for size 0.
std::vector<TileId> TilesForSize(uint64_t size);

// The content of hash tile `id` (width * 32 bytes) from the tree: the hashes
// of tree level 8 * id.level at indices id.index * 256 .. + width - 1.
// InvalidArgument for an entry bundle id or a width outside 1..256; NotFound
// if the tree does not hold every leaf the tile covers.
Result<std::string> HashTile(const Tree& tree, const TileId& id);

// Reads the content of a tile (from a directory, over HTTP, from a map).
using TileReader = std::function<Result<std::string>(const TileId& id)>;
// The root of the tree of `size` leaves computed from published hash tiles
// only, reading for each level the full or partial tile that a log of that
// size publishes (what a verifier holding a checkpoint does). A reader error
// is returned as is; a tile of the wrong length is InvalidArgument.
Result<Hash> RootFromTiles(uint64_t size, const TileReader& read);

// Entry bundles: each entry as a big-endian uint16 length then its bytes,
// 1..256 entries. Entries longer than 65535 bytes cannot be logged
// (InvalidArgument naming the entry).
Result<std::string> EncodeEntryBundle(const std::vector<std::string>& entries);
// InvalidArgument naming the byte offset if the bundle is empty, truncated,
// or holds more than 256 entries.
Result<std::vector<std::string>> DecodeEntryBundle(std::string_view bundle);
// As above, and the bundle must hold exactly `width` entries (1..256, from
// its path): bytes left after the last one are an error naming their offset.
Result<std::vector<std::string>> DecodeEntryBundle(std::string_view bundle, uint64_t width);
// As DecodeEntryBundle(bundle, width), without copying: the entries as views
// into `bundle` (a verifier hashing every entry of a log needs no copies).
Result<std::vector<std::string_view>> SplitEntryBundle(std::string_view bundle, uint64_t width);

}  // namespace cloison::ledger
