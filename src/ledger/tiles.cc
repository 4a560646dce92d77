#include "ledger/tiles.h"

#include <algorithm>
#include <bit>
#include <limits>
#include <map>

namespace cloison::ledger {
namespace {

constexpr uint64_t kMaxEntryLength = 65535;  // a big-endian uint16 length
constexpr int kMaxLevel = 63;

// The path as quoted in messages: bounded, since it may come from anyone.
std::string Quote(std::string_view s) {
  constexpr size_t kMax = 80;
  std::string out = "\"";
  out.append(s.substr(0, kMax));
  if (s.size() <= kMax) return out.append("\"");
  return out.append("...\" (").append(std::to_string(s.size())).append(" bytes)");
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A decimal with no leading zero ("0" itself is fine), at most 3 digits
// (levels and widths both fit): nullopt otherwise.
std::optional<int> SmallDecimal(std::string_view s) {
  if (!AllDigits(s) || s.size() > 3 || (s.size() > 1 && s[0] == '0')) return std::nullopt;
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

std::string ThreeDigits(uint64_t v) {
  std::string s = std::to_string(v);
  return std::string(3 - s.size(), '0') + s;
}

std::vector<std::string_view> Split(std::string_view s) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t slash = s.find('/', start);
    if (slash == std::string_view::npos) {
      parts.push_back(s.substr(start));
      return parts;
    }
    parts.push_back(s.substr(start, slash - start));
    start = slash + 1;
  }
}

// Hashes of level `level` held by a log of `size` leaves: floor(size / 256^level).
uint64_t HashesAtLevel(uint64_t size, int level) {
  return level * kTileHeight >= 64 ? 0 : size >> (level * kTileHeight);
}

// The width of tile `index` at a level holding `hashes` hashes (0 if none).
uint64_t WidthOf(uint64_t hashes, uint64_t index) {
  if (index >= hashes / kTileWidth + 1) return 0;
  return std::min(kTileWidth, hashes - index * kTileWidth);
}

struct Parsed {
  std::vector<std::string_view> entries;  // views into the bundle
  size_t end = 0;                         // offset just past the last entry read
};

// Reads up to `max` entries from the start of `bundle`.
Result<Parsed> ParseEntries(std::string_view bundle, uint64_t max) {
  Parsed out;
  if (bundle.empty()) return Status::InvalidArgument("entry bundle: empty, want 1..256 entries");
  out.entries.reserve(std::min<uint64_t>(max, bundle.size() / 2));
  // Each length is read at an offset that the previous one gives, so without
  // help every entry waits for its cache line from memory in turn (most of
  // the time of splitting a bundle that is not yet in cache). The lines
  // ahead are requested while the walk advances; a prefetch is only a hint
  // and stays inside the bundle.
  constexpr size_t kAhead = 2048;
  size_t requested = 0;
  size_t off = 0;
  while (off < bundle.size() && out.entries.size() < max) {
    for (; requested < bundle.size() && requested < off + kAhead; requested += 64) {
      __builtin_prefetch(bundle.data() + requested);
    }
    const size_t n = out.entries.size();
    if (bundle.size() - off < 2) {
      return Status::InvalidArgument("entry bundle: truncated at byte offset " +
                                     std::to_string(off) + ": entry " + std::to_string(n) +
                                     " needs a 2-byte length, 1 byte left");
    }
    const size_t len = (static_cast<size_t>(static_cast<uint8_t>(bundle[off])) << 8) |
                       static_cast<uint8_t>(bundle[off + 1]);
    if (bundle.size() - off - 2 < len) {
      return Status::InvalidArgument("entry bundle: truncated at byte offset " +
                                     std::to_string(off) + ": entry " + std::to_string(n) +
                                     " declares " + std::to_string(len) + " bytes, " +
                                     std::to_string(bundle.size() - off - 2) + " left");
    }
    out.entries.push_back(bundle.substr(off + 2, len));
    off += 2 + len;
  }
  out.end = off;
  return out;
}

}  // namespace

std::string TilePath(const TileId& id) {
  std::string path = id.entries ? "tile/entries/" : "tile/" + std::to_string(id.level) + "/";
  // Groups of three digits, most significant first.
  std::vector<uint64_t> groups;
  uint64_t n = id.index;
  do {
    groups.push_back(n % 1000);
    n /= 1000;
  } while (n > 0);
  for (size_t i = groups.size(); i-- > 0;) {
    if (i > 0) path += "x";
    path += ThreeDigits(groups[i]);
    if (i > 0) path += "/";
  }
  if (id.width != kTileWidth) path += ".p/" + std::to_string(id.width);
  return path;
}

Result<TileId> ParseTilePath(std::string_view path) {
  auto bad = [&](const std::string& what) {
    return Status::InvalidArgument("tile path " + Quote(path) + ": " + what);
  };
  const std::vector<std::string_view> parts = Split(path);
  if (parts.size() < 3 || parts[0] != "tile") {
    return bad("want tile/<L>/<N>[.p/<W>] or tile/entries/<N>[.p/<W>]");
  }
  TileId id;
  if (parts[1] == "entries") {
    id.entries = true;
  } else {
    std::optional<int> level = SmallDecimal(parts[1]);
    if (!level || *level > kMaxLevel) {
      return bad("level: got " + Quote(parts[1]) +
                 ", want \"entries\" or 0..63 in decimal without leading zeros");
    }
    id.level = *level;
  }
  // <N>: "xDDD/" groups, then a last "DDD" group, maybe with ".p".
  size_t i = 2;
  uint64_t index = 0;
  int groups = 0;
  for (;; ++i) {
    if (i == parts.size()) return bad("index: want a last group of 3 digits without \"x\"");
    std::string_view part = parts[i];
    const bool last = part.empty() || part[0] != 'x';
    std::string_view digits = last ? part.substr(0, 3) : part.substr(1);
    if (digits.size() != 3 || !AllDigits(digits) ||
        (last && part.size() != 3 && part.substr(3) != ".p")) {
      return bad("index: got element " + Quote(part) +
                 ", want 3 digits, prefixed by \"x\" on all but the last element");
    }
    if (groups == 1 && index == 0) {
      return bad("index: a leading \"x000\" group is not canonical");
    }
    const uint64_t group = static_cast<uint64_t>(std::stoi(std::string(digits)));
    if (index > (std::numeric_limits<uint64_t>::max() - group) / 1000) {
      return bad("index: greater than 2^64 - 1");
    }
    index = index * 1000 + group;
    ++groups;
    if (last) break;
  }
  id.index = index;
  const bool partial = parts[i].size() > 3;
  ++i;
  if (!partial) {
    if (i != parts.size()) return bad("unexpected element " + Quote(parts[i]) + " after the index");
    id.width = kTileWidth;
    return id;
  }
  if (i == parts.size()) return bad("\".p\" without a width, want .p/<W>");
  std::optional<int> width = SmallDecimal(parts[i]);
  if (!width || *width < 1 || *width > 255) {
    return bad("width: got " + Quote(parts[i]) + ", want 1..255 without leading zeros");
  }
  if (i + 1 != parts.size())
    return bad("unexpected element " + Quote(parts[i + 1]) + " after the width");
  id.width = static_cast<uint64_t>(*width);
  return id;
}

std::vector<TileId> TilesForSize(uint64_t size) {
  std::vector<TileId> tiles;
  auto add_level = [&](uint64_t hashes, int level, bool entries) {
    for (uint64_t n = 0; n * kTileWidth < hashes; ++n) {
      tiles.push_back(
          TileId{.level = level, .index = n, .width = WidthOf(hashes, n), .entries = entries});
    }
  };
  for (int level = 0; level <= kMaxLevel && HashesAtLevel(size, level) > 0; ++level) {
    add_level(HashesAtLevel(size, level), level, false);
  }
  add_level(size, 0, true);
  return tiles;
}

Result<std::string> HashTile(const Tree& tree, const TileId& id) {
  if (id.entries) {
    return Status::InvalidArgument("tile " + TilePath(id) + ": an entry bundle, not a hash tile");
  }
  if (id.level < 0 || id.level > kMaxLevel) {
    return Status::InvalidArgument("tile level: got " + std::to_string(id.level) + ", want 0..63");
  }
  if (id.width < 1 || id.width > kTileWidth) {
    return Status::InvalidArgument("tile width: got " + std::to_string(id.width) + ", want 1..256");
  }
  const uint64_t hashes = HashesAtLevel(tree.size(), id.level);
  // The tile needs hashes index * 256 .. index * 256 + width - 1 of its level;
  // compared by division so that a huge index cannot overflow.
  if (id.index >= hashes / kTileWidth + 1 || WidthOf(hashes, id.index) < id.width) {
    return Status::NotFound("tile " + TilePath(id) + ": covers leaves the tree of size " +
                            std::to_string(tree.size()) + " does not hold");
  }
  std::string out;
  out.reserve(id.width * sizeof(Hash));
  const uint64_t first = id.index * kTileWidth;
  for (uint64_t i = 0; i < id.width; ++i) {
    ASSIGN_OR_RETURN(Hash h, tree.NodeAt(id.level * kTileHeight, first + i));
    out.append(reinterpret_cast<const char*>(h.data()), h.size());
  }
  return out;
}

Result<Hash> RootFromTiles(uint64_t size, const TileReader& read) {
  if (size == 0) return EmptyRoot();
  std::map<std::pair<int, uint64_t>, std::string> cache;  // (level, index) -> content
  // MTH of the complete subtree of 2^k leaves number j: 2^r hashes of tile
  // level L = k / 8 (r = k % 8), hashed up r levels.
  auto subtree = [&](int k, uint64_t j) -> Result<Hash> {
    const int level = k / kTileHeight;
    const int r = k % kTileHeight;
    const uint64_t first = j << r;  // index of the first hash at the tile level
    const uint64_t count = uint64_t{1} << r;
    const uint64_t n = first / kTileWidth;
    const uint64_t width = WidthOf(HashesAtLevel(size, level), n);
    const TileId id{.level = level, .index = n, .width = width};
    auto it = cache.find({level, n});
    if (it == cache.end()) {
      ASSIGN_OR_RETURN(std::string content, read(id));
      if (content.size() != width * sizeof(Hash)) {
        return Status::InvalidArgument("tile " + TilePath(id) + ": got " +
                                       std::to_string(content.size()) + " bytes, want " +
                                       std::to_string(width * sizeof(Hash)));
      }
      it = cache.emplace(std::make_pair(level, n), std::move(content)).first;
    }
    std::vector<Hash> hashes(count);
    const size_t offset = (first % kTileWidth) * sizeof(Hash);
    for (uint64_t i = 0; i < count; ++i) {
      std::copy_n(it->second.data() + offset + i * sizeof(Hash), sizeof(Hash),
                  reinterpret_cast<char*>(hashes[i].data()));
    }
    while (hashes.size() > 1) {
      std::vector<Hash> up(hashes.size() / 2);
      for (size_t i = 0; i < up.size(); ++i) up[i] = NodeHash(hashes[2 * i], hashes[2 * i + 1]);
      hashes = std::move(up);
    }
    return hashes[0];
  };
  // The complete subtrees of the tree of `size` leaves, left to right, one per
  // set bit of size; the root folds them from the right (RFC 9162 2.1.1).
  std::vector<Hash> parts;
  uint64_t start = 0;
  for (int k = 63; k >= 0; --k) {
    if (((size >> k) & 1) == 0) continue;
    ASSIGN_OR_RETURN(Hash h, subtree(k, start >> k));
    parts.push_back(h);
    start += uint64_t{1} << k;
  }
  Hash root = parts.back();
  for (size_t i = parts.size() - 1; i-- > 0;) root = NodeHash(parts[i], root);
  return root;
}

Result<std::string> EncodeEntryBundle(const std::vector<std::string>& entries) {
  if (entries.empty() || entries.size() > kTileWidth) {
    return Status::InvalidArgument("entry bundle: got " + std::to_string(entries.size()) +
                                   " entries, want 1..256");
  }
  size_t total = 0;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].size() > kMaxEntryLength) {
      return Status::InvalidArgument("entry " + std::to_string(i) + ": got " +
                                     std::to_string(entries[i].size()) +
                                     " bytes, want <= 65535 (uint16 length in tile/entries)");
    }
    total += 2 + entries[i].size();
  }
  std::string out;
  out.reserve(total);
  for (const std::string& e : entries) {
    out += static_cast<char>(e.size() >> 8);
    out += static_cast<char>(e.size() & 0xff);
    out += e;
  }
  return out;
}

Result<std::vector<std::string>> DecodeEntryBundle(std::string_view bundle) {
  ASSIGN_OR_RETURN(Parsed p, ParseEntries(bundle, kTileWidth));
  if (p.end != bundle.size()) {
    return Status::InvalidArgument("entry bundle: over-long: 256 entries end at byte offset " +
                                   std::to_string(p.end) + ", " +
                                   std::to_string(bundle.size() - p.end) + " bytes follow");
  }
  return std::vector<std::string>(p.entries.begin(), p.entries.end());
}

Result<std::vector<std::string_view>> SplitEntryBundle(std::string_view bundle, uint64_t width) {
  if (width < 1 || width > kTileWidth) {
    return Status::InvalidArgument("entry bundle width: got " + std::to_string(width) +
                                   ", want 1..256");
  }
  ASSIGN_OR_RETURN(Parsed p, ParseEntries(bundle, width));
  if (p.entries.size() < width) {
    return Status::InvalidArgument("entry bundle: got " + std::to_string(p.entries.size()) +
                                   " entries ending at byte offset " + std::to_string(p.end) +
                                   ", want " + std::to_string(width));
  }
  if (p.end != bundle.size()) {
    return Status::InvalidArgument("entry bundle: over-long: " + std::to_string(width) +
                                   " entries end at byte offset " + std::to_string(p.end) + ", " +
                                   std::to_string(bundle.size() - p.end) + " bytes follow");
  }
  return std::move(p.entries);
}

Result<std::vector<std::string>> DecodeEntryBundle(std::string_view bundle, uint64_t width) {
  ASSIGN_OR_RETURN(std::vector<std::string_view> views, SplitEntryBundle(bundle, width));
  return std::vector<std::string>(views.begin(), views.end());
}

}  // namespace cloison::ledger
