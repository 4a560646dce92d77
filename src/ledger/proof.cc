// C2SP tlog-proof@v1: an index, an inclusion proof and a signed checkpoint
// in one text, verifiable offline.
#include "ledger/proof.h"

#include <algorithm>

namespace cloison::ledger {
namespace {

constexpr std::string_view kHeader = "c2sp.org/tlog-proof@v1";
// A tree of at most 2^64 leaves has inclusion proofs of at most 64 hashes.
constexpr size_t kMaxInclusionHashes = 64;

std::string LinePrefix(int line) {
  return "line " + std::to_string(line) + ": ";
}

std::string Clip(std::string_view s) {
  return std::string(s.substr(0, 60)) + (s.size() > 60 ? "..." : "");
}

}  // namespace

std::string FormatTlogProof(const TlogProof& p) {
  std::string out(kHeader);
  out += '\n';
  if (p.extra) out += "extra " + Base64Encode(*p.extra) + "\n";
  out += "index " + std::to_string(p.index) + "\n";
  for (const Hash& h : p.inclusion) out += Base64Encode(h) + "\n";
  out += '\n';
  out += p.checkpoint;
  return out;
}

Result<TlogProof> ParseTlogProof(std::string_view text) {
  TlogProof p;
  int line = 1;
  // Takes the next line (without its newline); false if there is none.
  auto next = [&](std::string_view& l) {
    const size_t nl = text.find('\n');
    if (nl == std::string_view::npos) return false;
    l = text.substr(0, nl);
    text.remove_prefix(nl + 1);
    return true;
  };
  std::string_view l;
  if (!next(l) || l != kHeader) {
    return Status::InvalidArgument(LinePrefix(1) + "header: got \"" + Clip(l) + "\", want \"" +
                                   std::string(kHeader) + "\"");
  }
  ++line;
  if (!next(l)) return Status::InvalidArgument(LinePrefix(line) + "index: missing");
  if (l.substr(0, 6) == "extra ") {
    p.extra = Base64Decode(l.substr(6));
    if (!p.extra) {
      return Status::InvalidArgument(LinePrefix(line) + "extra: got \"" + Clip(l.substr(6)) +
                                     "\", want canonical base64");
    }
    ++line;
    if (!next(l)) return Status::InvalidArgument(LinePrefix(line) + "index: missing");
  }
  const std::optional<uint64_t> index =
      l.substr(0, 6) == "index " ? ParseDecimal(l.substr(6)) : std::nullopt;
  if (!index) {
    return Status::InvalidArgument(LinePrefix(line) + "index: got \"" + Clip(l) +
                                   "\", want \"index <decimal without leading zeros>\"");
  }
  p.index = *index;
  ++line;
  for (;;) {
    if (!next(l)) {
      return Status::InvalidArgument(LinePrefix(line) + "want an empty line, then the checkpoint");
    }
    if (l.empty()) break;
    if (p.inclusion.size() == kMaxInclusionHashes) {
      return Status::InvalidArgument(LinePrefix(line) + "inclusion proof: more than " +
                                     std::to_string(kMaxInclusionHashes) + " hashes");
    }
    const std::optional<std::string> h = Base64Decode(l);
    Hash hash{};
    if (!h || h->size() != hash.size()) {
      return Status::InvalidArgument(LinePrefix(line) + "inclusion proof: got \"" + Clip(l) +
                                     "\", want the base64 of a 32-byte hash");
    }
    std::copy(h->begin(), h->end(), hash.begin());
    p.inclusion.push_back(hash);
    ++line;
  }
  ++line;
  // The checkpoint is kept verbatim; it must be a well-formed signed note
  // holding a checkpoint, with errors numbered as lines of the whole proof.
  ASSIGN_OR_RETURN(Note note, ParseNote(text, line));
  RETURN_IF_ERROR(ParseCheckpoint(note.text, line).status());
  p.checkpoint = std::string(text);
  return p;
}

Status VerifyTlogProof(const TlogProof& p, std::string_view entry, const Verifier& log_key,
                       std::string_view origin, const std::vector<Verifier>& witnesses,
                       int min_cosignatures) {
  if (min_cosignatures > static_cast<int>(witnesses.size())) {
    return Status::InvalidArgument("min_cosignatures: got " + std::to_string(min_cosignatures) +
                                   ", want at most " + std::to_string(witnesses.size()) +
                                   " (the number of witnesses)");
  }
  // 2. The origin and the log's signature.
  ASSIGN_OR_RETURN(Note note, ParseNote(p.checkpoint));
  ASSIGN_OR_RETURN(Checkpoint c, ParseCheckpoint(note.text));
  if (c.origin != origin) {
    return Status::InvalidArgument("checkpoint: origin: got \"" + c.origin + "\", want \"" +
                                   std::string(origin) + "\"");
  }
  Status log_ok = VerifyNote(note, log_key);
  if (!log_ok.ok()) return Status(log_ok.code(), "checkpoint: log " + log_ok.message());

  // 3. Cosignatures of the known witnesses: a failing one spoils the proof,
  // a missing one does not count. Each witness counts once.
  int valid = 0;
  std::vector<const Verifier*> counted;
  for (const Verifier& w : witnesses) {
    const bool duplicate = std::any_of(counted.begin(), counted.end(), [&](const Verifier* o) {
      return o->key == w.key || (o->name == w.name && o->key_id == w.key_id);
    });
    if (duplicate) continue;
    counted.push_back(&w);
    Result<uint64_t> t = VerifyCosignature(note, w);
    if (t.ok()) {
      ++valid;
    } else if (t.status().code() != Code::kNotFound) {
      return Status(t.status().code(), "checkpoint: " + t.status().message());
    }
  }
  if (valid < min_cosignatures) {
    return Status::FailedPrecondition("cosignatures: got " + std::to_string(valid) + " valid of " +
                                      std::to_string(counted.size()) +
                                      " known witnesses, want at least " +
                                      std::to_string(min_cosignatures));
  }

  // 4. The entry is at p.index in the checkpointed tree.
  if (p.index >= c.size) {
    return Status::InvalidArgument("index: got " + std::to_string(p.index) +
                                   ", want less than the checkpoint size " +
                                   std::to_string(c.size));
  }
  const Hash leaf =
      LeafHash(std::span(reinterpret_cast<const uint8_t*>(entry.data()), entry.size()));
  Status included = VerifyInclusion(p.index, c.size, leaf, p.inclusion, c.root);
  if (!included.ok()) {
    return Status(included.code(), "inclusion proof of index " + std::to_string(p.index) +
                                       " in size " + std::to_string(c.size) + ": " +
                                       included.message());
  }
  return Status::Ok();
}

}  // namespace cloison::ledger
