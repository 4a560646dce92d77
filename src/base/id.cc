#include "base/id.h"

#include <cstdio>
#include <random>

namespace cloison {
namespace {

std::string Format(std::string_view prefix, uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "_%016llx", static_cast<unsigned long long>(v));
  return std::string(prefix) + buf;
}

}  // namespace

std::string RandomIdGenerator::Next(std::string_view prefix) {
  thread_local std::random_device rd;
  uint64_t v = (static_cast<uint64_t>(rd()) << 32) ^ rd();
  return Format(prefix, v);
}

std::string SequentialIdGenerator::Next(std::string_view prefix) {
  return Format(prefix, next_.fetch_add(1));
}

bool IsWellFormedId(std::string_view id) {
  auto us = id.find('_');
  if (us == std::string_view::npos || us == 0 || id.size() != us + 17) return false;
  for (size_t i = 0; i < us; ++i)
    if (id[i] < 'a' || id[i] > 'z') return false;
  for (size_t i = us + 1; i < id.size(); ++i) {
    char c = id[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace cloison
