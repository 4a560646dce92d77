#include "service/instance.h"

#include <toml++/toml.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "base/clock.h"
#include "base/id.h"
#include "crypto/secret.h"
#include "crypto/sha256.h"
#include "rules/check.h"
#include "rules/parser.h"
#include "service/event.h"
#include "service/files.h"
#include "vault/file_key_provider.h"

namespace cloison::service {
namespace fs = std::filesystem;
namespace {

Status WriteFile(const fs::path& p, const std::string& text) {
  fs::path tmp = p;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Status::IoError("cannot write " + tmp.string());
    out << text;
    out.flush();
    if (!out) return Status::IoError("cannot write " + tmp.string());
  }
  std::error_code ec;
  fs::rename(tmp, p, ec);
  if (ec) return Status::IoError("cannot rename " + tmp.string() + ": " + ec.message());
  return Status::Ok();
}

Status CheckClean(const rules::Rulebook& book, const std::string& name) {
  auto problems = rules::CheckRulebook(book);
  if (problems.empty()) return Status::Ok();
  std::string msg = name + ": the rulebook contradicts itself:";
  for (const auto& p : problems)
    msg += "\n  " + name + ":" + std::to_string(p.line) + ": " + p.key + ": " + p.message;
  return Status::InvalidArgument(msg);
}

// The centralising service's key pair (L. 852-3 deferred centralisation):
// collectors seal to centralising.pub; the vault opens with the private key.
Status MakeCentralisingKey(const fs::path& root) {
  seal::KeyPair pair = seal::GenerateKeyPair();
  std::string secret = seal::EncodePrivateKey(pair);
  Status wrote = WriteFileAtomically((root / kCentralisingKeyFile).string(), secret + "\n", 0600);
  crypto::WipeString(secret);
  RETURN_IF_ERROR(wrote);
  return WriteFileAtomically((root / kCentralisingPubFile).string(),
                             seal::EncodePublicKey(pair.public_key) + "\n", 0644);
}

Status InitInto(const fs::path& root, const std::string& rulebook_text) {
  ASSIGN_OR_RETURN(rules::Rulebook book, rules::ParseRulebook(rulebook_text, "rulebook.toml"));
  RETURN_IF_ERROR(CheckClean(book, "rulebook.toml"));
  RETURN_IF_ERROR(WriteFile(root / "rulebook.toml", rulebook_text));
  std::string origin = "cloison.local/" + RandomIdGenerator().Next("instance");
  std::ostringstream cfg;
  cfg << "# Cloison instance configuration (doc/architecture.md)\n"
      << "[instance]\n"
      << "origin = \"" << origin << "\"\n"
      << "rulebook = \"rulebook.toml\"\n\n"
      << "[store]\n"
      << "backend = \"sqlite\"\n"
      << "path = \"cloison.db\"\n\n"
      << "[vault]\n"
      << "# Root keys (doc/formats/vault.md): put them outside this directory\n"
      << "# so that a copy of the instance cannot undo a destruction.\n"
      << "root_key_dir = \"" << kDefaultRootKeyDir << "\"\n"
      << "max_item_size = " << (64ull << 20) << "\n";
  RETURN_IF_ERROR(WriteFile(root / "cloison.toml", cfg.str()));
  // The ledger key (doc/formats/ledger.md): made here, never leaves DIR/keys.
  ledger::Signer key = ledger::GenerateSigner(origin);
  const std::string verifier_key = ledger::FormatVerifierKey(ledger::VerifierOf(key));
  std::string secret = ledger::FormatSignerKey(key);  // one line, no newline
  Status wrote = WriteFileAtomically((root / kLedgerKeyFile).string(), secret, 0600);
  crypto::WipeString(secret);
  RETURN_IF_ERROR(wrote);
  RETURN_IF_ERROR(WriteFileAtomically((root / kLedgerPubFile).string(), verifier_key + "\n", 0644));
  RETURN_IF_ERROR(MakeCentralisingKey(root));
  ASSIGN_OR_RETURN(auto store, store::OpenSqlite((root / "cloison.db").string()));
  ASSIGN_OR_RETURN(auto tx, store->BeginWrite());
  RETURN_IF_ERROR(tx->SetMeta("origin", origin));
  RETURN_IF_ERROR(tx->SetMeta("rulebook_id", book.id));
  // Configuration is in the ledger too (invariant 5): the first event says
  // which rulebook the instance started with, by hash.
  SystemClock clock;
  store::Event e;
  e.type = "instance.initialised";
  e.body = EncodeEvent({"instance.initialised", "system", origin}, clock, clock.Now(),
                       {{"origin", origin},
                        {"rulebook_id", book.id},
                        {"rulebook_sha256", crypto::Hex(crypto::Sha256(rulebook_text))},
                        {"ledger_key", verifier_key}});
  RETURN_IF_ERROR(tx->Append(e).status());
  return tx->Commit();
}

// Reads DIR/keys/centralising.key, making the pair when it is absent.
Result<seal::KeyPair> LoadCentralisingKey(const fs::path& root) {
  const fs::path path = root / kCentralisingKeyFile;
  std::error_code ec;
  if (!fs::exists(path, ec)) RETURN_IF_ERROR(MakeCentralisingKey(root));
  auto st = fs::status(path, ec);
  if ((st.permissions() & (fs::perms::group_all | fs::perms::others_all)) != fs::perms::none)
    return Status::PermissionDenied(path.string() + ": readable by others, want mode 0600");
  ASSIGN_OR_RETURN(std::string text, ReadWholeFile(path.string()));
  auto key = seal::ParsePrivateKey(text);
  crypto::WipeString(text);
  if (!key.ok()) return Status::InvalidArgument(path.string() + ": " + key.status().message());
  return std::move(*key);
}

// Reads DIR/keys/ledger.key: an owner-only file holding a signer key named
// after the origin.
Result<ledger::Signer> LoadLedgerKey(const fs::path& root, const std::string& origin) {
  const fs::path path = root / kLedgerKeyFile;
  std::error_code ec;
  auto st = fs::status(path, ec);
  if (ec || !fs::exists(st))
    return Status::NotFound(path.string() +
                            ": no such file (the ledger key, made by cloison init)");
  if ((st.permissions() & (fs::perms::group_all | fs::perms::others_all)) != fs::perms::none)
    return Status::PermissionDenied(path.string() +
                                    ": readable by others, want mode 0600 (it signs the ledger)");
  ASSIGN_OR_RETURN(std::string text, ReadWholeFile(path.string()));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  auto key = ledger::ParseSignerKey(text);
  crypto::WipeString(text);
  if (!key.ok()) return Status::InvalidArgument(path.string() + ": " + key.status().message());
  if (key->name != origin)
    return Status::InvalidArgument(path.string() + ": key name: got \"" + key->name +
                                   "\", want the origin \"" + origin + "\"");
  return std::move(*key);
}

}  // namespace

Status InitInstance(const std::string& dir, const std::string& rulebook_text) {
  fs::path root(dir);
  std::error_code ec;
  bool existed = fs::exists(root, ec);
  if (existed && !fs::is_empty(root, ec))
    return Status::AlreadyExists("DIR: " + dir + " exists and is not empty");
  if (!existed && !fs::create_directories(root, ec))
    return Status::IoError("DIR: cannot create " + dir + ": " + ec.message());
  fs::permissions(root, fs::perms::owner_all, fs::perm_options::replace, ec);
  Status s = InitInto(root, rulebook_text);
  if (!s.ok()) {
    // Leave nothing half-made behind.
    for (const auto& entry : fs::directory_iterator(root, ec)) fs::remove_all(entry.path(), ec);
    if (!existed) fs::remove(root, ec);
  }
  return s;
}

Result<Instance> OpenInstance(const std::string& dir) {
  fs::path root(dir);
  fs::path cfg_path = root / "cloison.toml";
  if (!fs::exists(cfg_path))
    return Status::NotFound(cfg_path.string() + ": no such file (run cloison init)");
  toml::table t;
  try {
    t = toml::parse_file(cfg_path.string());
  } catch (const toml::parse_error& e) {
    std::ostringstream m;
    m << cfg_path.string() << ":" << e.source().begin.line << ": " << e.description();
    return Status::InvalidArgument(m.str());
  }
  auto origin = t["instance"]["origin"].value<std::string>();
  auto rulebook = t["instance"]["rulebook"].value<std::string>();
  auto backend = t["store"]["backend"].value<std::string>();
  auto path = t["store"]["path"].value<std::string>();
  if (!origin) return Status::InvalidArgument(cfg_path.string() + ": instance.origin: missing");
  if (!rulebook) return Status::InvalidArgument(cfg_path.string() + ": instance.rulebook: missing");
  if (!path) return Status::InvalidArgument(cfg_path.string() + ": store.path: missing");
  Instance inst;
  inst.dir = dir;
  inst.origin = *origin;
  ASSIGN_OR_RETURN(inst.rulebook, rules::LoadRulebook((root / *rulebook).string()));
  ASSIGN_OR_RETURN(inst.ledger_key, LoadLedgerKey(root, inst.origin));
  RETURN_IF_ERROR(CheckClean(inst.rulebook, *rulebook));
  auto key_dir = t["vault"]["root_key_dir"].value<std::string>();
  fs::path kd(key_dir.value_or(kDefaultRootKeyDir));
  inst.root_key_dir = (kd.is_absolute() ? kd : root / kd).string();
  if (auto max = t["vault"]["max_item_size"].value<int64_t>()) {
    if (*max <= 0)
      return Status::InvalidArgument(cfg_path.string() + ": vault.max_item_size: got " +
                                     std::to_string(*max) + ", want a positive number of bytes");
    inst.max_item_size = static_cast<uint64_t>(*max);
  }
  ASSIGN_OR_RETURN(auto keys, vault::FileKeyProvider::Open(inst.root_key_dir));
  inst.root_keys = std::move(keys);
  ASSIGN_OR_RETURN(inst.centralising, LoadCentralisingKey(root));
  // The backend is chosen here, in one place (STYLE.md 7).
  std::string b = backend.value_or("sqlite");
  if (b == "sqlite") {
    ASSIGN_OR_RETURN(inst.store, store::OpenSqlite((root / *path).string()));
  } else {
    return Status::Unimplemented(cfg_path.string() + ": store.backend: got \"" + b +
                                 "\", want \"sqlite\" (postgres is not built yet)");
  }
  return inst;
}

}  // namespace cloison::service
