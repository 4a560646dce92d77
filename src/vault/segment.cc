#include "vault/segment.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace cloison::vault {
namespace {

std::string Errno(const std::string& what) {
  return what + ": " + std::strerror(errno);
}

bool SafeName(std::string_view s) {
  if (s.empty() || s == "." || s == "..") return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Status SyncDir(const std::filesystem::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Status::IoError(Errno(dir.string()));
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return Status::IoError(Errno("fsync " + dir.string()));
  return Status::Ok();
}

// mkdir 0700; true when it was created now.
Result<bool> MakeDir(const std::filesystem::path& dir) {
  if (::mkdir(dir.c_str(), 0700) == 0) return true;
  if (errno == EEXIST) return false;
  return Status::IoError(Errno("mkdir " + dir.string()));
}

}  // namespace

Result<std::filesystem::path> SegmentPath(const std::filesystem::path& vault_dir,
                                          std::string_view bucket_id) {
  size_t slash = bucket_id.find('/');
  if (slash == std::string_view::npos || !SafeName(bucket_id.substr(0, slash)) ||
      !SafeName(bucket_id.substr(slash + 1)))
    return Status::InvalidArgument("bucket id: got '" + std::string(bucket_id) +
                                   "', want <compartment>/<YYYY-MM-DD>");
  return vault_dir / std::string(bucket_id.substr(0, slash)) /
         (std::string(bucket_id.substr(slash + 1)) + ".seg");
}

SegmentAppender::~SegmentAppender() {
  for (auto& [id, f] : files_)
    if (f.fd >= 0) ::close(f.fd);
}

Result<SegmentAppender::File*> SegmentAppender::Open(std::string_view bucket_id) {
  auto it = files_.find(bucket_id);
  if (it != files_.end()) return &it->second;
  ASSIGN_OR_RETURN(std::filesystem::path path, SegmentPath(dir_, bucket_id));
  ASSIGN_OR_RETURN(bool made_root, MakeDir(dir_));
  if (made_root) new_dirs_.push_back(dir_.parent_path());
  ASSIGN_OR_RETURN(bool made, MakeDir(path.parent_path()));
  if (made) new_dirs_.push_back(dir_);
  int fd = ::open(path.c_str(), O_RDWR | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) {
    fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd >= 0) new_dirs_.push_back(path.parent_path());
  }
  if (fd < 0) return Status::IoError(Errno("open " + path.string()));
  off_t end = ::lseek(fd, 0, SEEK_END);
  if (end < 0) {
    ::close(fd);
    return Status::IoError(Errno("seek " + path.string()));
  }
  File f;
  f.fd = fd;
  f.end = f.written = static_cast<uint64_t>(end);
  return &files_.emplace(std::string(bucket_id), std::move(f)).first->second;
}

namespace {

Status WriteAll(int fd, const uint8_t* p, size_t n, uint64_t at, std::string_view bucket_id) {
  size_t done = 0;
  while (done < n) {
    ssize_t w = ::pwrite(fd, p + done, n - done, static_cast<off_t>(at + done));
    if (w < 0) {
      if (errno == EINTR) continue;
      return Status::IoError(Errno("write segment " + std::string(bucket_id)));
    }
    done += static_cast<size_t>(w);
  }
  return Status::Ok();
}

}  // namespace

Status SegmentAppender::Flush(std::string_view bucket_id, File& f) {
  if (f.end == f.written) return Status::Ok();
  RETURN_IF_ERROR(WriteAll(f.fd, f.buf.get(), f.end - f.written, f.written, bucket_id));
  f.written = f.end;
  // A buffer grown for one large item is not kept.
  if (f.cap > 4 * kFlushBytes) {
    f.buf.reset();
    f.cap = 0;
  }
  return Status::Ok();
}

Result<SegmentRef> SegmentAppender::Append(std::string_view bucket_id,
                                           std::span<const uint8_t> bytes) {
  ASSIGN_OR_RETURN(File * f, Open(bucket_id));
  RETURN_IF_ERROR(Flush(bucket_id, *f));
  RETURN_IF_ERROR(WriteAll(f->fd, bytes.data(), bytes.size(), f->end, bucket_id));
  SegmentRef ref{f->end, bytes.size()};
  f->end += bytes.size();
  f->written = f->end;
  return ref;
}

Result<SegmentAppender::Extent> SegmentAppender::Extend(std::string_view bucket_id, size_t length) {
  ASSIGN_OR_RETURN(File * f, Open(bucket_id));
  size_t used = f->end - f->written;
  if (used > 0 && used + length > kFlushBytes) {
    RETURN_IF_ERROR(Flush(bucket_id, *f));
    used = 0;
  }
  if (used + length > f->cap) {
    // Uninitialised on purpose: the caller fills every byte.
    size_t cap = std::max({used + length, kFlushBytes, f->cap * 2});
    std::unique_ptr<uint8_t[]> grown(new uint8_t[cap]);
    if (used > 0) std::memcpy(grown.get(), f->buf.get(), used);
    f->buf = std::move(grown);
    f->cap = cap;
  }
  Extent e{{f->end, length}, std::span<uint8_t>(f->buf.get() + used, length)};
  f->end += length;
  return e;
}

Status SegmentAppender::StartWriteback() {
  for (auto& [id, f] : files_) {
    RETURN_IF_ERROR(Flush(id, f));
#ifdef __linux__
    // Advisory: an error here only means Sync() does all the waiting.
    (void)::sync_file_range(f.fd, 0, 0, SYNC_FILE_RANGE_WRITE);
#endif
  }
  return Status::Ok();
}

Status SegmentAppender::Sync() {
  for (auto& [id, f] : files_) RETURN_IF_ERROR(Flush(id, f));
  for (auto& [id, f] : files_)
    if (::fdatasync(f.fd) != 0) return Status::IoError(Errno("fdatasync segment " + id));
  for (const auto& d : new_dirs_) RETURN_IF_ERROR(SyncDir(d));
  new_dirs_.clear();
  return Status::Ok();
}

Result<std::vector<uint8_t>> ReadSegment(const std::filesystem::path& vault_dir,
                                         std::string_view bucket_id, SegmentRef ref) {
  ASSIGN_OR_RETURN(std::filesystem::path path, SegmentPath(vault_dir, bucket_id));
  int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Status::NotFound("segment " + std::string(bucket_id) + ": gone");
    return Status::IoError(Errno("open " + path.string()));
  }
  std::vector<uint8_t> out(ref.length);
  size_t done = 0;
  while (done < out.size()) {
    ssize_t n =
        ::pread(fd, out.data() + done, out.size() - done, static_cast<off_t>(ref.offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      if (n == 0)
        return Status::Corruption("segment " + std::string(bucket_id) + ": ends before " +
                                  std::to_string(ref.offset + ref.length));
      return Status::IoError(Errno("read " + path.string()));
    }
    done += static_cast<size_t>(n);
  }
  ::close(fd);
  return out;
}

Status EraseInSegment(const std::filesystem::path& vault_dir, std::string_view bucket_id,
                      SegmentRef ref) {
  ASSIGN_OR_RETURN(std::filesystem::path path, SegmentPath(vault_dir, bucket_id));
  int fd = ::open(path.c_str(), O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Status::Ok();  // the whole segment is gone already
    return Status::IoError(Errno("open " + path.string()));
  }
  std::vector<uint8_t> zeros(ref.length, 0);
  ssize_t n = ::pwrite(fd, zeros.data(), zeros.size(), static_cast<off_t>(ref.offset));
  int sync = ::fdatasync(fd);
  ::close(fd);
  if (n != static_cast<ssize_t>(zeros.size()) || sync != 0)
    return Status::IoError(Errno("erase in " + path.string()));
  return Status::Ok();
}

Status DestroySegment(const std::filesystem::path& vault_dir, std::string_view bucket_id) {
  ASSIGN_OR_RETURN(std::filesystem::path path, SegmentPath(vault_dir, bucket_id));
  if (::unlink(path.c_str()) != 0) {
    if (errno == ENOENT) return Status::Ok();
    return Status::IoError(Errno("unlink " + path.string()));
  }
  return SyncDir(path.parent_path());
}

}  // namespace cloison::vault
