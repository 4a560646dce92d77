// The witness: cosigns a log's checkpoint only if it extends the last one it
// cosigned (tlog-witness.md's add-checkpoint checks), and keeps that last
// checkpoint in a small text file (doc/formats/checkpoint.md).
#include "ledger/witness.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

namespace cloison::ledger {
namespace {

constexpr std::string_view kStateHeader = "cloison-witness-state/v1\n";
constexpr size_t kMaxStateBytes = 64 * 1024;
// tlog-witness.md: a client MUST NOT send more than 63 consistency proof lines.
constexpr size_t kMaxConsistencyHashes = 63;

std::string ErrnoText(int err) {
  return std::strerror(err);
}

std::string Short(const Hash& h) {
  return Base64Encode(h);
}

// Closes a descriptor on every path.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  // Closes now, reporting the error (a failed close can lose written data).
  int Close() {
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

Status WriteAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::IoError(path + ": write: " + ErrnoText(errno));
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

std::string FormatState(const WitnessState& s) {
  return std::string(kStateHeader) + FormatCheckpoint(Checkpoint{s.origin, s.size, s.root, {}});
}

}  // namespace

Result<WitnessState> LoadWitnessState(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    const int err = errno;
    if (err == ENOENT) return Status::NotFound(path + ": no witness state");
    return Status::IoError(path + ": open: " + ErrnoText(err));
  }
  std::string text;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::IoError(path + ": read: " + ErrnoText(errno));
    }
    if (n == 0) break;
    text.append(buf, static_cast<size_t>(n));
    if (text.size() > kMaxStateBytes) {
      return Status::Corruption(path + ": more than " + std::to_string(kMaxStateBytes) +
                                " bytes, not a witness state");
    }
  }
  if (text.substr(0, kStateHeader.size()) != kStateHeader) {
    return Status::Corruption(path + ": line 1: want \"cloison-witness-state/v1\"");
  }
  auto c = ParseCheckpoint(std::string_view(text).substr(kStateHeader.size()), 2);
  if (!c.ok()) return Status::Corruption(path + ": " + c.status().message());
  if (!c->extensions.empty()) {
    return Status::Corruption(path + ": line 5: want no line after the root hash");
  }
  return WitnessState{std::move(c->origin), c->size, c->root};
}

Status SaveWitnessState(const std::string& path, const WitnessState& s) {
  if (s.origin.empty() || s.origin.find('\n') != std::string::npos) {
    return Status::InvalidArgument("witness state: origin: got \"" + s.origin +
                                   "\", want one non-empty line");
  }
  const std::string text = FormatState(s);
  RETURN_IF_ERROR(CheckNoteText(text));
  // Write a temporary file beside the target, flush it to disk, then rename
  // it over the target: a crash leaves either the old state or the new one.
  std::string tmp = path + ".tmp-XXXXXX";
  Fd fd(::mkstemp(tmp.data()));
  if (fd.get() < 0) return Status::IoError(tmp + ": mkstemp: " + ErrnoText(errno));
  auto fail = [&](Status st) {
    ::unlink(tmp.c_str());
    return st;
  };
  if (Status st = WriteAll(fd.get(), text, tmp); !st.ok()) return fail(st);
  if (::fsync(fd.get()) != 0) return fail(Status::IoError(tmp + ": fsync: " + ErrnoText(errno)));
  if (fd.Close() != 0) return fail(Status::IoError(tmp + ": close: " + ErrnoText(errno)));
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    return fail(Status::IoError(path + ": rename: " + ErrnoText(errno)));
  }
  // The rename itself is durable once the directory is flushed.
  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "."
                          : slash == 0               ? "/"
                                                     : path.substr(0, slash);
  Fd dfd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dfd.get() < 0) return Status::IoError(dir + ": open: " + ErrnoText(errno));
  if (::fsync(dfd.get()) != 0) return Status::IoError(dir + ": fsync: " + ErrnoText(errno));
  return Status::Ok();
}

Result<std::string> WitnessCheckpoint(WitnessState& state, std::string_view signed_checkpoint,
                                      const std::vector<Hash>& consistency_proof,
                                      const Verifier& log_key, const Signer& witness,
                                      uint64_t unix_seconds) {
  auto parsed = ParseNote(signed_checkpoint);
  if (!parsed.ok()) return Status::InvalidArgument("checkpoint: " + parsed.status().message());
  Note note = std::move(*parsed);
  auto c = ParseCheckpoint(note.text);
  if (!c.ok()) return Status::InvalidArgument("checkpoint: " + c.status().message());

  // The log this witness follows: the state's origin, or for a witness that
  // has cosigned nothing yet and was given no origin, the log key's name.
  const std::string& want_origin = state.origin.empty() ? log_key.name : state.origin;
  if (c->origin != want_origin) {
    return Status::InvalidArgument("checkpoint: origin: got \"" + c->origin + "\", want \"" +
                                   want_origin + "\"");
  }
  Status signed_ok = VerifyNote(note, log_key);
  if (!signed_ok.ok()) {
    return Status::InvalidArgument("checkpoint: bad signature: log " + signed_ok.message());
  }
  if (c->size == 0 && c->root != EmptyRoot()) {
    return Status::InvalidArgument("checkpoint: root hash: got " + Short(c->root) +
                                   " for size 0, want the empty tree's " + Short(EmptyRoot()));
  }
  if (consistency_proof.size() > kMaxConsistencyHashes) {
    return Status::InvalidArgument("consistency proof: got " +
                                   std::to_string(consistency_proof.size()) +
                                   " hashes, want at most 63");
  }

  const std::string sizes =
      " (cosigned size " + std::to_string(state.size) + ", got " + std::to_string(c->size) + ")";
  if (c->size < state.size) {
    return Status::FailedPrecondition(
        "inconsistent: rollback: the checkpoint is smaller than the "
        "last one cosigned" +
        sizes);
  }
  if (c->size == state.size) {
    if (state.size > 0 && c->root != state.root) {
      return Status::FailedPrecondition("inconsistent: fork: same size " + std::to_string(c->size) +
                                        ", root hash " + Short(c->root) +
                                        " differs from the cosigned " + Short(state.root));
    }
    if (!consistency_proof.empty()) {
      return Status::InvalidArgument("consistency proof: got " +
                                     std::to_string(consistency_proof.size()) +
                                     " hashes for an unchanged size, want none");
    }
  } else if (state.size == 0) {
    // The empty tree is consistent with every tree: no proof to check.
    if (!consistency_proof.empty()) {
      return Status::InvalidArgument("consistency proof: got " +
                                     std::to_string(consistency_proof.size()) +
                                     " hashes from size 0, want none");
    }
  } else {
    Status consistent =
        VerifyConsistency(state.size, c->size, state.root, c->root, consistency_proof);
    if (!consistent.ok()) {
      return Status::FailedPrecondition("inconsistent: the consistency proof does not verify" +
                                        sizes + ": " + consistent.message());
    }
  }

  // One cosignature per witness key: drop any it made on an earlier submission.
  const uint32_t witness_id = KeyId(witness.name, kAlgCosignatureV1, witness.key.public_key);
  std::erase_if(note.signatures, [&](const NoteSignature& s) {
    return s.name == witness.name && s.key_id == witness_id;
  });
  if (note.signatures.size() >= kMaxNoteSignatures) {
    return Status::InvalidArgument("checkpoint: " + std::to_string(note.signatures.size()) +
                                   " signatures, no room for a cosignature");
  }
  Cosign(note, witness, unix_seconds);
  state = WitnessState{c->origin, c->size, c->root};
  return FormatNote(note);
}

}  // namespace cloison::ledger
