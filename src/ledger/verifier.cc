#include "ledger/verifier.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "ledger/tiles.h"

namespace cloison::ledger {
namespace {

std::string HexOf(const Hash& h) {
  return crypto::Hex(h);
}

std::string At(uint64_t index) {
  return "index " + std::to_string(index) + ": ";
}

uint64_t Pow256(int level) {
  return uint64_t{1} << (8 * level);
}

// A compact Merkle range from index 0 (RFC 9162's "frontier"): the roots of
// the perfect subtrees that make up the first `size` leaves, largest first.
// Pushing a perfect subtree of height h requires size to be a multiple of
// 2^h, which holds for whole tiles pushed in order.
class Frontier {
 public:
  void Push(const Hash& h, int height) {
    Hash cur = h;
    int ht = height;
    while (!stack_.empty() && stack_.back().height == ht) {
      cur = NodeHash(stack_.back().hash, cur);
      stack_.pop_back();
      ++ht;
    }
    stack_.push_back({cur, ht});
    size_ += uint64_t{1} << height;
  }
  uint64_t size() const { return size_; }
  // RFC 6962 MTH of the first size() leaves.
  Hash Root() const {
    if (stack_.empty()) return EmptyRoot();
    Hash r = stack_.back().hash;
    for (size_t i = stack_.size() - 1; i-- > 0;) r = NodeHash(stack_[i].hash, r);
    return r;
  }

 private:
  struct Node {
    Hash hash;
    int height;
  };
  std::vector<Node> stack_;
  uint64_t size_ = 0;
};

// Fetches a tile; a missing one names the first entry it covers.
Result<std::string> FetchTile(TileSource& source, const TileId& id, uint64_t first_index) {
  std::string path = TilePath(id);
  auto r = source.Fetch(path);
  if (r.ok()) return r;
  if (r.status().code() == Code::kNotFound)
    return Status::NotFound(At(first_index) + path + ": missing");
  return Status(r.status().code(), At(first_index) + path + ": " + r.status().message());
}

// Splits a hash tile into hashes; a tile of the wrong length names the first
// hash it lacks (truncated) or the first one past its width (too long).
Result<std::vector<Hash>> TileHashes(const std::string& bytes, const TileId& id,
                                     uint64_t first_index, uint64_t per_hash) {
  const uint64_t want = id.width * 32;
  if (bytes.size() != want) {
    uint64_t bad = std::min<uint64_t>(bytes.size() / 32, id.width);
    return Status::Corruption(At(first_index + bad * per_hash) + TilePath(id) + ": got " +
                              std::to_string(bytes.size()) + " bytes, want " +
                              std::to_string(want) + " (" + std::to_string(id.width) + " hashes)");
  }
  std::vector<Hash> out(id.width);
  for (uint64_t i = 0; i < id.width; ++i)
    std::copy_n(reinterpret_cast<const uint8_t*>(bytes.data()) + i * 32, 32, out[i].begin());
  return out;
}

// The tiles of a log of `size` entries, computed one at a time (the layout
// of tlog-tiles.md, as TilesForSize lists them): a checkpoint claiming a huge
// size costs nothing until its tiles are actually fetched and checked.
uint64_t HashesAt(uint64_t size, size_t level) {
  return level * kTileHeight >= 64 ? 0 : size >> (level * kTileHeight);
}
uint64_t TilesAt(uint64_t size, size_t level) {
  const uint64_t h = HashesAt(size, level);
  return h / kTileWidth + (h % kTileWidth != 0 ? 1 : 0);
}
TileId TileAt(uint64_t size, size_t level, uint64_t n, bool entries) {
  const uint64_t h = HashesAt(size, level);
  return {static_cast<int>(level), n, std::min<uint64_t>(kTileWidth, h - n * kTileWidth), entries};
}

// Checks the entries of bundle `bundle` against the leaf hashes of the level-0
// tile that covers them, entry by entry, so that the first bad entry is named
// whether it was flipped, deleted, reordered or cut short.
Status CheckBundle(const std::string& bytes, const TileId& bundle, const std::string& tile_path,
                   const std::vector<Hash>& leaves) {
  const uint64_t base = bundle.index * kTileWidth;
  const std::string path = TilePath(bundle);
  size_t pos = 0;
  for (uint64_t k = 0; k < leaves.size(); ++k) {
    if (bytes.size() - pos < 2)
      return Status::Corruption(At(base + k) + path + ": ends after " + std::to_string(k) +
                                " entries, want " + std::to_string(leaves.size()));
    size_t len = (static_cast<uint8_t>(bytes[pos]) << 8) | static_cast<uint8_t>(bytes[pos + 1]);
    pos += 2;
    if (bytes.size() - pos < len)
      return Status::Corruption(At(base + k) + path + ": entry " + std::to_string(base + k) +
                                " is cut short: " + std::to_string(bytes.size() - pos) +
                                " bytes left, its length says " + std::to_string(len));
    Hash got = LeafHash(
        std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()) + pos, len));
    pos += len;
    if (got != leaves[k])
      return Status::Corruption(At(base + k) + path + ": entry " + std::to_string(base + k) +
                                " has leaf hash " + HexOf(got) + ", " + tile_path + " says " +
                                HexOf(leaves[k]));
  }
  if (pos != bytes.size())
    return Status::Corruption(At(base + leaves.size()) + path + ": " +
                              std::to_string(bytes.size() - pos) + " bytes after the last of " +
                              std::to_string(leaves.size()) + " entries");
  return Status::Ok();
}

Status Inconsistent(std::string what) {
  return Status::FailedPrecondition("inconsistent: " + what);
}

}  // namespace

Result<std::string> DirectorySource::Fetch(std::string_view path) {
  namespace fs = std::filesystem;
  fs::path rel{std::string(path)};
  if (path.empty() || rel.is_absolute())
    return Status::InvalidArgument("path: got \"" + std::string(path) + "\", want a relative path");
  for (const auto& part : rel)
    if (part == "..")
      return Status::InvalidArgument("path: got \"" + std::string(path) + "\", want no \"..\"");
  fs::path full = fs::path(dir_) / rel;
  std::error_code ec;
  auto st = fs::status(full, ec);
  if (ec || !fs::exists(st)) return Status::NotFound(full.string() + ": no such file");
  if (!fs::is_regular_file(st)) return Status::IoError(full.string() + ": not a regular file");
  auto size = fs::file_size(full, ec);
  if (ec) return Status::IoError(full.string() + ": " + ec.message());
  if (size > kMaxResourceBytes)
    return Status::IoError(full.string() + ": " + std::to_string(size) + " bytes, want at most " +
                           std::to_string(kMaxResourceBytes));
  std::ifstream in(full, std::ios::binary);
  if (!in) return Status::IoError(full.string() + ": cannot open");
  std::string out(size, '\0');
  in.read(out.data(), static_cast<std::streamsize>(size));
  if (static_cast<uint64_t>(in.gcount()) != size)
    return Status::IoError(full.string() + ": short read");
  return out;
}

Result<Report> VerifyLog(TileSource& source, const Verifier& log_key, std::string_view origin,
                         const std::optional<WitnessState>& saved, const ProgressFn& progress) {
  const std::string want_origin = origin.empty() ? log_key.name : std::string(origin);
  Report report;
  {
    auto note = source.Fetch("checkpoint");
    if (!note.ok()) return Status(note.status().code(), "checkpoint: " + note.status().message());
    report.checkpoint_note = std::move(*note);
  }
  {
    auto cp = OpenCheckpoint(report.checkpoint_note, log_key, want_origin);
    if (!cp.ok()) {
      const std::string& m = cp.status().message();
      return Status::PermissionDenied(m.rfind("checkpoint", 0) == 0 ? m : "checkpoint: " + m);
    }
    report.checkpoint = std::move(*cp);
  }
  if (auto note = ParseNote(report.checkpoint_note); note.ok()) {
    for (const auto& s : note->signatures)
      if (s.name != log_key.name || s.key_id != log_key.key_id)
        report.other_signers.push_back(s.name);
  }
  const uint64_t size = report.checkpoint.size;
  if (saved) {
    if (saved->origin != want_origin)
      return Status::InvalidArgument("saved state: origin: got \"" + saved->origin + "\", want \"" +
                                     want_origin + "\"");
    if (saved->size > size)
      return Inconsistent("the log went back: its checkpoint has size " + std::to_string(size) +
                          ", a checkpoint of size " + std::to_string(saved->size) +
                          " was seen before");
  }
  const uint64_t saved_size = saved ? saved->size : 0;
  std::optional<Hash> saved_root_here;  // Root(saved_size) recomputed from the tiles
  if (saved_size == size && saved) saved_root_here = report.checkpoint.root;

  Frontier frontier;
  // MTH of every full tile of the level being checked, in order: what the
  // level above must hold.
  std::vector<Hash> full_below;

  // Level 0: entries against leaf hashes, and the frontier of the whole tree.
  {
    for (uint64_t n = 0; n < TilesAt(size, 0); ++n) {
      const TileId id = TileAt(size, 0, n, false);
      const uint64_t base = n * kTileWidth;
      if (saved && frontier.size() == saved_size && saved_size > 0)
        saved_root_here = frontier.Root();
      ASSIGN_OR_RETURN(std::string tile, FetchTile(source, id, base));
      ++report.hash_tiles;
      ASSIGN_OR_RETURN(std::vector<Hash> leaves, TileHashes(tile, id, base, 1));
      const TileId bundle_id = TileAt(size, 0, n, true);
      ASSIGN_OR_RETURN(std::string bundle, FetchTile(source, bundle_id, base));
      ++report.entry_bundles;
      RETURN_IF_ERROR(CheckBundle(bundle, bundle_id, TilePath(id), leaves));
      report.entries += leaves.size();

      const bool full = id.width == kTileWidth;
      const bool saved_inside = saved && saved_size > base && saved_size < base + id.width;
      if (full) full_below.push_back(RootOf(leaves));
      if (full && !saved_inside) {
        frontier.Push(full_below.back(), kTileHeight);
      } else {
        for (const Hash& h : leaves) {
          frontier.Push(h, 0);
          if (saved_inside && frontier.size() == saved_size) saved_root_here = frontier.Root();
        }
      }
      if (progress) progress(report.entries, size);
    }
  }
  if (saved && saved_size > 0 && frontier.size() == saved_size && !saved_root_here)
    saved_root_here = frontier.Root();

  // Upper levels: each hash is the MTH of a full tile of the level below.
  for (size_t level = 1; TilesAt(size, level) > 0; ++level) {
    const uint64_t per_hash = Pow256(static_cast<int>(level));
    std::vector<Hash> full_here;
    for (uint64_t n = 0; n < TilesAt(size, level); ++n) {
      const TileId id = TileAt(size, level, n, false);
      const uint64_t first = n * kTileWidth;  // index of its first hash in full_below
      ASSIGN_OR_RETURN(std::string tile, FetchTile(source, id, first * per_hash));
      ++report.hash_tiles;
      ASSIGN_OR_RETURN(std::vector<Hash> hashes, TileHashes(tile, id, first * per_hash, per_hash));
      for (uint64_t k = 0; k < hashes.size(); ++k) {
        const uint64_t j = first + k;
        if (j >= full_below.size())
          return Status::Internal("tile plan: level " + std::to_string(level) + " wants " +
                                  std::to_string(j + 1) + " full tiles below");
        if (hashes[k] != full_below[j]) {
          TileId below{static_cast<int>(level) - 1, j, kTileWidth, false};
          return Status::Corruption(At(j * per_hash) + TilePath(id) + ": hash " +
                                    std::to_string(k) + " is " + HexOf(hashes[k]) + ", " +
                                    TilePath(below) + " (entries " + std::to_string(j * per_hash) +
                                    "-" + std::to_string((j + 1) * per_hash - 1) + ") hashes to " +
                                    HexOf(full_below[j]));
        }
      }
      if (id.width == kTileWidth) full_here.push_back(RootOf(hashes));
    }
    full_below = std::move(full_here);
  }

  const Hash root = frontier.Root();
  if (frontier.size() != size)
    return Status::Internal("tile plan covers " + std::to_string(frontier.size()) +
                            " entries, want " + std::to_string(size));
  if (root != report.checkpoint.root)
    return Status::Corruption("root: the entries and tiles hash to " + HexOf(root) + " for size " +
                              std::to_string(size) + ", the signed checkpoint says " +
                              HexOf(report.checkpoint.root) +
                              " (entries and tiles were changed together, or they are not this "
                              "checkpoint's)");
  if (saved && saved_size > 0) {
    if (!saved_root_here)
      return Status::Internal("saved size " + std::to_string(saved_size) + " not reached");
    if (*saved_root_here != saved->root)
      return Inconsistent("the first " + std::to_string(saved_size) + " entries now hash to " +
                          HexOf(*saved_root_here) + ", the checkpoint seen before says " +
                          HexOf(saved->root) + ": the log rewrote its history");
    report.consistent_with_size = saved_size;
  }
  return report;
}

Result<Tree> TreeFromTiles(TileSource& source, uint64_t size, const Hash& root) {
  Tree tree;
  {
    for (uint64_t n = 0; n < TilesAt(size, 0); ++n) {
      const TileId id = TileAt(size, 0, n, false);
      const uint64_t base = n * kTileWidth;
      ASSIGN_OR_RETURN(std::string tile, FetchTile(source, id, base));
      ASSIGN_OR_RETURN(std::vector<Hash> leaves, TileHashes(tile, id, base, 1));
      for (const Hash& h : leaves) tree.Append(h);
    }
  }
  if (tree.size() != size)
    return Status::Internal("level-0 tiles cover " + std::to_string(tree.size()) +
                            " entries, want " + std::to_string(size));
  if (tree.Root() != root)
    return Status::Corruption("root: the level-0 tiles hash to " + HexOf(tree.Root()) +
                              " for size " + std::to_string(size) +
                              ", the signed checkpoint says " + HexOf(root));
  return tree;
}

}  // namespace cloison::ledger
