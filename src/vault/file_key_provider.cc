#include "vault/file_key_provider.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "crypto/aead.h"
#include "crypto/random.h"

namespace cloison::vault {
namespace {

std::string Errno(const std::string& what) { return what + ": " + std::strerror(errno); }

std::string Octal(mode_t m) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(m & 07777));
  return buf;
}

Status SyncDir(const std::filesystem::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Status::IoError(Errno(dir.string()));
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return Status::IoError(Errno("fsync " + dir.string()));
  return Status::Ok();
}

// Writes a fresh key with O_EXCL: two processes racing to create it cannot
// both win, and the loser reads the winner's key.
Status CreateKey(const std::filesystem::path& path) {
  crypto::SecretBytes key(kRootKeySize);
  RETURN_IF_ERROR(crypto::RandomBytes(key.mutable_view()));
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return Status::Ok();
    return Status::IoError(Errno("create " + path.string()));
  }
  ssize_t n = ::write(fd, key.view().data(), key.size());
  int sync = ::fsync(fd);
  ::close(fd);
  if (n != static_cast<ssize_t>(key.size()) || sync != 0) {
    ::unlink(path.c_str());
    return Status::IoError(Errno("write " + path.string()));
  }
  return SyncDir(path.parent_path());
}

}  // namespace

Result<std::unique_ptr<FileKeyProvider>> FileKeyProvider::Open(const std::filesystem::path& dir) {
  std::filesystem::path keys = dir / "keys";
  if (::mkdir(keys.c_str(), 0700) != 0 && errno != EEXIST)
    return Status::IoError(Errno("mkdir " + keys.string()));
  std::filesystem::path path = keys / "root.key";
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno != ENOENT) return Status::IoError(Errno(path.string()));
    RETURN_IF_ERROR(CreateKey(path));
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return Status::IoError(Errno("open " + path.string()));
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return Status::IoError(Errno("stat " + path.string()));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return Status::FailedPrecondition(path.string() + ": not a regular file");
  }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    ::close(fd);
    return Status::FailedPrecondition(path.string() + ": mode " + Octal(st.st_mode) +
                                      ", want 0600 (group or others may read the root key)");
  }
  if (st.st_size != static_cast<off_t>(kRootKeySize)) {
    ::close(fd);
    return Status::Corruption(path.string() + ": " + std::to_string(st.st_size) +
                              " bytes, want 32");
  }
  crypto::SecretBytes root(kRootKeySize);
  ssize_t n = ::read(fd, root.mutable_view().data(), kRootKeySize);
  ::close(fd);
  if (n != static_cast<ssize_t>(kRootKeySize))
    return Status::IoError(Errno("read " + path.string()));
  return std::unique_ptr<FileKeyProvider>(new FileKeyProvider(path, std::move(root)));
}

std::string FileKeyProvider::Name() const { return "file:" + path_.string(); }

Result<std::vector<uint8_t>> FileKeyProvider::Wrap(std::span<const uint8_t> key,
                                                   std::string_view context) {
  RETURN_IF_ERROR(CheckWrapInput(key));
  ASSIGN_OR_RETURN(std::vector<uint8_t> sealed,
                   crypto::Aes256GcmSealRandomNonce(root_.view(), RootWrapAad(context), key));
  sealed.insert(sealed.begin(), kRootWrapVersion);
  return sealed;
}

Result<crypto::SecretBytes> FileKeyProvider::Unwrap(std::span<const uint8_t> wrapped,
                                                    std::string_view context) {
  RETURN_IF_ERROR(CheckUnwrapInput(wrapped));
  auto key = crypto::Aes256GcmOpenRandomNonce(root_.view(), RootWrapAad(context),
                                              wrapped.subspan(1));
  if (!key.ok()) {
    if (key.status().code() == Code::kCorruption)
      return Status::Corruption("unwrap: wrapped key does not open with " + Name() +
                                " for context '" + std::string(context) + "'");
    return key.status();
  }
  return key;
}

}  // namespace cloison::vault
