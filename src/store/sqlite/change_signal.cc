#include "store/sqlite/change_signal.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

namespace cloison::store::sqlite {
namespace {

constexpr size_t kFileSize = 4096;  // one page; the counters use the first 512 bytes
static_assert(ChangeSignal::kSlots * sizeof(uint64_t) <= kFileSize);

Status Errno(const std::string& what, const std::string& path) {
  return Status::IoError("store: changes file " + path + ": " + what + ": " + std::strerror(errno));
}

}  // namespace

Result<std::unique_ptr<ChangeSignal>> ChangeSignal::Open(const std::string& db_path) {
  const std::string path = db_path + "-changes";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return Errno("open", path);
  struct stat st {};
  Status s = Status::Ok();
  if (::fstat(fd, &st) != 0) {
    s = Errno("stat", path);
  } else if (!S_ISREG(st.st_mode)) {
    s = Status::IoError("store: changes file " + path + ": not a regular file");
  } else if (st.st_size < static_cast<off_t>(kFileSize) &&
             ::ftruncate(fd, static_cast<off_t>(kFileSize)) != 0) {
    // Two processes may grow it at once: both to the same size, zeros.
    s = Errno("grow", path);
  }
  void* map = MAP_FAILED;
  if (s.ok()) {
    map = ::mmap(nullptr, kFileSize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (map == MAP_FAILED) s = Errno("map", path);
  }
  ::close(fd);  // the mapping stays
  if (!s.ok()) return s;
  return std::unique_ptr<ChangeSignal>(new ChangeSignal(static_cast<uint64_t*>(map)));
}

ChangeSignal::~ChangeSignal() {
  ::munmap(slots_, kFileSize);
}

uint64_t ChangeSignal::SlotBit(std::string_view kind) {
  // FNV-1a: the same slot in every process and every build.
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : kind) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return uint64_t{1} << (h % kSlots);
}

void ChangeSignal::Bump(uint64_t mask) {
  for (int i = 0; i < kSlots; ++i)
    if (mask & (uint64_t{1} << i)) std::atomic_ref<uint64_t>(slots_[i]).fetch_add(1);
}

uint64_t ChangeSignal::Stamp(uint64_t mask) const {
  uint64_t sum = 0;
  for (int i = 0; i < kSlots; ++i)
    if (mask & (uint64_t{1} << i)) sum += std::atomic_ref<uint64_t>(slots_[i]).load();
  return sum;
}

}  // namespace cloison::store::sqlite
