#include "service/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace cloison::service {
namespace fs = std::filesystem;
namespace {

Status Errno(const std::string& what) {
  return Status::IoError(what + ": " + std::strerror(errno));
}

Status WriteAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Errno("cannot write " + path);
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

}  // namespace

Status WriteFileAtomically(const std::string& path, std::string_view data, mode_t mode) {
  fs::path p(path);
  fs::path parent = p.parent_path();
  std::error_code ec;
  if (!parent.empty() && !fs::exists(parent, ec)) {
    if (!fs::create_directories(parent, ec))
      return Status::IoError("cannot create " + parent.string() + ": " + ec.message());
    if ((mode & 077) == 0)
      fs::permissions(parent, fs::perms::owner_all, fs::perm_options::replace, ec);
  }
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return Errno("cannot create " + tmp);
  // open() applies the umask; fchmod sets exactly `mode` (a umask of 0 must
  // not make a key readable, and a strict one must not hide a public file).
  Status s = ::fchmod(fd, mode) == 0 ? WriteAll(fd, data, tmp) : Errno("cannot chmod " + tmp);
  if (s.ok() && ::fsync(fd) != 0) s = Errno("cannot sync " + tmp);
  if (::close(fd) != 0 && s.ok()) s = Errno("cannot close " + tmp);
  if (s.ok() && ::rename(tmp.c_str(), path.c_str()) != 0)
    s = Errno("cannot rename " + tmp + " to " + path);
  if (!s.ok()) {
    ::unlink(tmp.c_str());
    return s;
  }
  int dfd = ::open(parent.empty() ? "." : parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return Status::Ok();
}

Result<std::string> ReadWholeFile(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return Status::NotFound(path + ": no such file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError(path + ": cannot open");
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Status::IoError(path + ": cannot read");
  return ss.str();
}

}  // namespace cloison::service
