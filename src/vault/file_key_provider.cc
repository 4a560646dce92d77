#include "vault/file_key_provider.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "crypto/aead.h"
#include "crypto/random.h"

namespace cloison::vault {
namespace {

std::string Errno(const std::string& what) {
  return what + ": " + std::strerror(errno);
}

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

// "root-000001.key" -> 1; 0 for any other name.
uint32_t EpochOf(std::string_view name) {
  if (name.size() != 15 || name.substr(0, 5) != "root-" || name.substr(11) != ".key") return 0;
  uint32_t e = 0;
  for (char c : name.substr(5, 6)) {
    if (c < '0' || c > '9') return 0;
    e = e * 10 + static_cast<uint32_t>(c - '0');
  }
  return e;
}

}  // namespace

Result<std::unique_ptr<FileKeyProvider>> FileKeyProvider::Open(
    const std::filesystem::path& key_dir) {
  std::error_code ec;
  std::filesystem::create_directories(key_dir.parent_path(), ec);
  if (::mkdir(key_dir.c_str(), 0700) != 0 && errno != EEXIST)
    return Status::IoError(Errno("mkdir " + key_dir.string()));
  struct stat st {};
  if (::stat(key_dir.c_str(), &st) != 0) return Status::IoError(Errno(key_dir.string()));
  if (!S_ISDIR(st.st_mode))
    return Status::FailedPrecondition(key_dir.string() + ": not a directory");
  return std::unique_ptr<FileKeyProvider>(new FileKeyProvider(key_dir));
}

FileKeyProvider::~FileKeyProvider() = default;

std::filesystem::path FileKeyProvider::RootPath(uint32_t epoch) const {
  char name[32];
  std::snprintf(name, sizeof name, "root-%06u.key", epoch);
  return dir_ / name;
}

std::string FileKeyProvider::Name() const {
  return "file:" + dir_.string();
}

Result<std::vector<uint32_t>> FileKeyProvider::RootEpochs() {
  DIR* d = ::opendir(dir_.c_str());
  if (d == nullptr) return Status::IoError(Errno("opendir " + dir_.string()));
  std::vector<uint32_t> out;
  while (dirent* e = ::readdir(d)) {
    uint32_t epoch = EpochOf(e->d_name);
    if (epoch != 0) out.push_back(epoch);
  }
  ::closedir(d);
  std::sort(out.begin(), out.end());
  return out;
}

// Writes a fresh key with O_EXCL: two processes racing to create it cannot
// both win.
Status FileKeyProvider::CreateRoot(uint32_t epoch) {
  if (epoch == 0 || epoch > 999999)
    return Status::InvalidArgument("epoch: got " + std::to_string(epoch) + ", want 1..999999");
  std::filesystem::path path = RootPath(epoch);
  crypto::SecretBytes key(kRootKeySize);
  RETURN_IF_ERROR(crypto::RandomBytes(key.mutable_view()));
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return Status::AlreadyExists(path.string() + ": exists");
    return Status::IoError(Errno("create " + path.string()));
  }
  ssize_t n = ::write(fd, key.view().data(), key.size());
  int sync = ::fsync(fd);
  ::close(fd);
  if (n != static_cast<ssize_t>(key.size()) || sync != 0) {
    ::unlink(path.c_str());
    return Status::IoError(Errno("write " + path.string()));
  }
  return SyncDir(dir_);
}

Status FileKeyProvider::DestroyRoot(uint32_t epoch) {
  std::lock_guard<std::mutex> lock(mu_);
  roots_.erase(epoch);
  std::filesystem::path path = RootPath(epoch);
  int fd = ::open(path.c_str(), O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Status::NotFound(path.string() + ": no such root key");
    return Status::IoError(Errno("open " + path.string()));
  }
  // Overwrite before unlinking: on file systems that rewrite in place the
  // old bytes do not linger in a freed block (a copy-on-write or journalled
  // device may still keep them; doc/formats/vault.md says so).
  std::vector<uint8_t> zeros(kRootKeySize, 0);
  ssize_t n = ::pwrite(fd, zeros.data(), zeros.size(), 0);
  int sync = ::fsync(fd);
  ::close(fd);
  if (n != static_cast<ssize_t>(zeros.size()) || sync != 0)
    return Status::IoError(Errno("overwrite " + path.string()));
  if (::unlink(path.c_str()) != 0) return Status::IoError(Errno("unlink " + path.string()));
  return SyncDir(dir_);
}

Result<const crypto::SecretBytes*> FileKeyProvider::Root(uint32_t epoch) {
  auto it = roots_.find(epoch);
  if (it != roots_.end()) return &it->second;
  std::filesystem::path path = RootPath(epoch);
  int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT)
      return Status::NotFound(path.string() + ": no root key of epoch " + std::to_string(epoch));
    return Status::IoError(Errno("open " + path.string()));
  }
  struct stat st {};
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
  auto [pos, inserted] = roots_.emplace(epoch, std::move(root));
  return &pos->second;
}

Result<std::vector<uint8_t>> FileKeyProvider::WrapUnder(uint32_t epoch,
                                                        std::span<const uint8_t> key,
                                                        std::string_view context) {
  RETURN_IF_ERROR(CheckWrapInput(key));
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(const crypto::SecretBytes* root, Root(epoch));
  ASSIGN_OR_RETURN(std::vector<uint8_t> sealed,
                   crypto::Aes256GcmSealRandomNonce(root->view(), RootWrapAad(context), key));
  sealed.insert(sealed.begin(), kRootWrapVersion);
  return sealed;
}

Result<crypto::SecretBytes> FileKeyProvider::UnwrapUnder(uint32_t epoch,
                                                         std::span<const uint8_t> wrapped,
                                                         std::string_view context) {
  RETURN_IF_ERROR(CheckUnwrapInput(wrapped));
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(const crypto::SecretBytes* root, Root(epoch));
  auto key =
      crypto::Aes256GcmOpenRandomNonce(root->view(), RootWrapAad(context), wrapped.subspan(1));
  if (!key.ok()) {
    if (key.status().code() == Code::kCorruption)
      return Status::Corruption("unwrap: wrapped key does not open with " + Name() + " epoch " +
                                std::to_string(epoch) + " for context '" + std::string(context) +
                                "'");
    return key.status();
  }
  return key;
}

}  // namespace cloison::vault
