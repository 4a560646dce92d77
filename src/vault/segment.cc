#include "vault/segment.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

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

Result<SegmentRef> SegmentAppender::Append(std::string_view bucket_id,
                                           std::span<const uint8_t> bytes) {
  auto it = files_.find(bucket_id);
  if (it == files_.end()) {
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
    it = files_.emplace(std::string(bucket_id), File{fd, static_cast<uint64_t>(end)}).first;
  }
  File& f = it->second;
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n =
        ::pwrite(f.fd, bytes.data() + done, bytes.size() - done, static_cast<off_t>(f.end + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::IoError(Errno("write segment " + std::string(bucket_id)));
    }
    done += static_cast<size_t>(n);
  }
  SegmentRef ref{f.end, bytes.size()};
  f.end += bytes.size();
  return ref;
}

Status SegmentAppender::Sync() {
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
