// Test-only: loads the RFC 6962 / RFC 9162 proof vectors of
// testdata/third_party/merkle/ (transparency-dev/merkle testdata), JSON files
// with flat objects whose hashes are base64 strings, and the eight leaves of
// the RFC 6962 test tree that their happy paths are built on.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "ledger/merkle.h"

namespace cloison::ledger::testing {

inline std::string VectorDir() {
  return std::string(CLOISON_SOURCE_DIR) + "/testdata/third_party/merkle";
}

// The leaves (hex) of the test tree of RFC 6962's reference implementation,
// on which every happy-path vector is built.
inline std::vector<std::vector<uint8_t>> TestTreeLeaves() {
  const char* hex[] = {"",
                       "00",
                       "10",
                       "2021",
                       "3031",
                       "40414243",
                       "5051525354555657",
                       "606162636465666768696a6b6c6d6e6f"};
  std::vector<std::vector<uint8_t>> leaves;
  for (const char* h : hex) {
    std::vector<uint8_t> bytes;
    for (size_t i = 0; h[i] != '\0'; i += 2) {
      bytes.push_back(static_cast<uint8_t>(std::stoi(std::string(h + i, 2), nullptr, 16)));
    }
    leaves.push_back(bytes);
  }
  return leaves;
}

// Standard base64 with padding; nullopt if malformed.
inline std::optional<std::vector<uint8_t>> Base64Decode(const std::string& s) {
  static const std::string kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  if (s.size() % 4 != 0) return std::nullopt;
  std::vector<uint8_t> out;
  for (size_t i = 0; i < s.size(); i += 4) {
    uint32_t acc = 0;
    int pad = 0;
    for (size_t j = 0; j < 4; ++j) {
      char c = s[i + j];
      uint32_t v = 0;
      if (c == '=' && i + 4 == s.size() && j >= 2) {
        ++pad;
      } else {
        if (pad > 0) return std::nullopt;
        size_t pos = kAlphabet.find(c);
        if (pos == std::string::npos) return std::nullopt;
        v = static_cast<uint32_t>(pos);
      }
      acc = (acc << 6) | v;
    }
    out.push_back(static_cast<uint8_t>(acc >> 16));
    if (pad < 2) out.push_back(static_cast<uint8_t>(acc >> 8));
    if (pad < 1) out.push_back(static_cast<uint8_t>(acc));
  }
  return out;
}

// A JSON value of the vector files: null, bool, unsigned integer, string, or
// array of strings. Enough for these files, not a general parser.
using Value = std::variant<std::monostate, bool, uint64_t, std::string, std::vector<std::string>>;

class FlatJson {
 public:
  explicit FlatJson(std::string text) : s_(std::move(text)) {}

  // Parses `{"key": value, ...}`; adds a gtest failure and returns {} if not.
  std::map<std::string, Value> Object() {
    std::map<std::string, Value> out;
    Expect('{');
    if (Peek() == '}') return out;
    while (ok_) {
      std::string key = String();
      Expect(':');
      out[key] = Any();
      if (Peek() == ',') {
        ++i_;
        continue;
      }
      Expect('}');
      break;
    }
    if (!ok_) return {};
    return out;
  }

 private:
  char Peek() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
    return i_ < s_.size() ? s_[i_] : '\0';
  }
  void Expect(char c) {
    if (Peek() != c) {
      ok_ = false;
      ADD_FAILURE() << "JSON: want '" << c << "' at offset " << i_;
      return;
    }
    ++i_;
  }
  std::string String() {
    std::string out;
    Expect('"');
    while (ok_ && i_ < s_.size() && s_[i_] != '"') {
      if (s_[i_] == '\\' && i_ + 1 < s_.size()) ++i_;  // \" \\ \/ only
      out += s_[i_++];
    }
    Expect('"');
    return out;
  }
  Value Any() {
    char c = Peek();
    if (c == '"') return String();
    if (c == '[') {
      ++i_;
      std::vector<std::string> items;
      if (Peek() == ']') {
        ++i_;
        return items;
      }
      while (ok_) {
        items.push_back(String());
        if (Peek() == ',') {
          ++i_;
          continue;
        }
        Expect(']');
        break;
      }
      return items;
    }
    for (const char* word : {"null", "true", "false"}) {
      std::string w(word);
      if (s_.compare(i_, w.size(), w) == 0) {
        i_ += w.size();
        if (w == "null") return std::monostate{};
        return w == "true";
      }
    }
    if (std::isdigit(static_cast<unsigned char>(c))) {
      uint64_t v = 0;
      while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) {
        v = v * 10 + static_cast<uint64_t>(s_[i_++] - '0');
      }
      return v;
    }
    ok_ = false;
    ADD_FAILURE() << "JSON: unexpected '" << c << "' at offset " << i_;
    return std::monostate{};
  }

  std::string s_;
  size_t i_ = 0;
  bool ok_ = true;
};

// A hash field: nullopt when it does not decode to 32 bytes (the convention
// of shared/testdata/README.md: such a hash is invalid).
inline std::optional<Hash> ToHash(const std::string& b64) {
  auto bytes = Base64Decode(b64);
  if (!bytes || bytes->size() != 32) return std::nullopt;
  Hash h;
  std::copy(bytes->begin(), bytes->end(), h.begin());
  return h;
}

struct Vector {
  std::string file;  // relative to VectorDir()
  std::string desc;
  bool want_err = false;
  // False when a hash field is not 32 bytes: the case cannot be expressed
  // with the 32-byte Hash type and is invalid by convention.
  bool hashes_valid = true;
  // Inclusion: index, size, leaf, root. Consistency: size1, size2, root1, root2.
  uint64_t a = 0, b = 0;
  Hash h1{}, h2{};
  std::vector<Hash> proof;
};

// Every *.json under VectorDir()/<sub>, sorted by path. `inclusion` selects the
// field names of inclusion vectors, else those of consistency vectors.
inline std::vector<Vector> LoadVectors(const std::string& sub, bool inclusion) {
  std::vector<Vector> out;
  const std::filesystem::path root = VectorDir();
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(root / sub)) {
    if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    auto obj = FlatJson(text.str()).Object();
    Vector v;
    v.file = std::filesystem::relative(path, root).string();
    auto str = [&](const char* k) {
      auto* p = std::get_if<std::string>(&obj[k]);
      if (p == nullptr) ADD_FAILURE() << v.file << ": no string " << k;
      return p ? *p : std::string();
    };
    auto num = [&](const char* k) {
      auto* p = std::get_if<uint64_t>(&obj[k]);
      if (p == nullptr) ADD_FAILURE() << v.file << ": no number " << k;
      return p ? *p : 0;
    };
    auto hash = [&](const std::string& b64, Hash& h) {
      auto d = ToHash(b64);
      if (d) {
        h = *d;
      } else {
        v.hashes_valid = false;
      }
    };
    v.desc = str("desc");
    auto* want = std::get_if<bool>(&obj["wantErr"]);
    if (want == nullptr) ADD_FAILURE() << v.file << ": no wantErr";
    v.want_err = want ? *want : true;
    v.a = num(inclusion ? "leafIdx" : "size1");
    v.b = num(inclusion ? "treeSize" : "size2");
    hash(str(inclusion ? "leafHash" : "root1"), v.h1);
    hash(str(inclusion ? "root" : "root2"), v.h2);
    if (auto* p = std::get_if<std::vector<std::string>>(&obj["proof"])) {
      for (const auto& s : *p) {
        Hash h{};
        hash(s, h);
        v.proof.push_back(h);
      }
    } else if (!std::holds_alternative<std::monostate>(obj["proof"])) {
      ADD_FAILURE() << v.file << ": proof is neither an array nor null";
    }
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace cloison::ledger::testing
