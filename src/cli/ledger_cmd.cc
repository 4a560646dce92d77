#include "cli/ledger_cmd.h"

#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include "base/clock.h"
#include "cli/args.h"
#include "cli/http_source.h"
#include "crypto/secret.h"
#include "ledger/checkpoint.h"
#include "ledger/note.h"
#include "ledger/proof.h"
#include "ledger/verifier.h"
#include "ledger/witness.h"
#include "service/files.h"
#include "service/instance.h"
#include "service/ledger.h"

namespace cloison::cli {

const std::string_view kLedgerUsage = R"(ledger (the instance's own log; doc/formats/ledger.md):
  ledger checkpoint --data DIR
                        sign a checkpoint of every event so far; prints it
  ledger export --data DIR --out DIR2
                        write the C2SP tlog-tiles layout of the latest checkpoint
  ledger proof --data DIR --index N [--out FILE] [--entry FILE]
                        a C2SP tlog-proof of entry N (and the entry's bytes)
  ledger key --data DIR print the log's verifier key (also DIR/ledger.pub)
  ledger cosign --data DIR --cosigned FILE [--witness-key VKEY]
                        store a witness's cosignature of the latest checkpoint
verifier and witness (trust only a public key; VKEY is a key or a file holding one):
  verify --key VKEY (--dir DIR | --url URL) [--origin O] [--state FILE]
         [--cacert FILE] [--witness VKEY]
                        verify any C2SP tlog-tiles log; exit 0 only if all verifies
  verify-proof --key VKEY FILE ENTRY [--origin O] [--witness VKEY]
                        check an offline tlog-proof FILE for the entry in file ENTRY
  witness keygen --name NAME --out FILE
                        make a witness key (FILE, mode 0600); prints its verifier key
  witness --key FILE --log-key VKEY --origin O --state FILE (--dir DIR | --url URL)
          [--out FILE] [--cacert FILE]
                        cosign the log's checkpoint if it extends the last one seen
)";

namespace {

namespace fs = std::filesystem;

int Usage(std::ostream& err, const std::string& what) {
  err << "cloison: " << what << "\nrun 'cloison help' for usage\n";
  return 2;
}

int Fail(std::ostream& err, std::string_view cmd, const Status& s) {
  err << cmd << ": " << s.message() << "\n";
  return 1;
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string B64(const ledger::Hash& h) {
  return ledger::Base64Encode(std::span<const uint8_t>(h));
}

// A verifier key given inline, or the path of a file holding one.
Result<ledger::Verifier> KeyArg(const std::string& flag, const std::string& value) {
  std::string text = value;
  std::error_code ec;
  if (fs::is_regular_file(value, ec)) {
    ASSIGN_OR_RETURN(text, service::ReadWholeFile(value));
    text = Trim(text);
  }
  auto v = ledger::ParseVerifierKey(text);
  if (!v.ok()) return Status::InvalidArgument(flag + ": " + v.status().message());
  return v;
}

// --dir or --url (exactly one), as a TileSource.
Result<std::unique_ptr<ledger::TileSource>> SourceArg(const Args& a) {
  if (a.has("--dir") == a.has("--url"))
    return Status::InvalidArgument("want exactly one of --dir DIR and --url URL");
  if (a.has("--dir")) {
    if (a.has("--cacert")) return Status::InvalidArgument("--cacert: only with --url");
    return std::unique_ptr<ledger::TileSource>(
        std::make_unique<ledger::DirectorySource>(a.get("--dir")));
  }
  HttpOptions opts;
  opts.cacert = a.get("--cacert");
  ASSIGN_OR_RETURN(auto http, HttpSource::Open(a.get("--url"), opts));
  return std::unique_ptr<ledger::TileSource>(std::move(http));
}

// A progress bar on stderr, only when it is a terminal and the log is large.
ledger::ProgressFn ProgressBar(std::ostream& err) {
  if (&err != &std::cerr || !::isatty(STDERR_FILENO)) return {};
  auto last = std::make_shared<int>(-1);
  return [&err, last](uint64_t done, uint64_t total) {
    if (total < 100'000) return;
    const int pct = static_cast<int>(done * 100 / total);
    if (pct == *last) return;
    *last = pct;
    const int bar = pct * 40 / 100;
    err << "\r[" << std::string(bar, '#') << std::string(40 - bar, '.') << "] " << pct << "% "
        << done << "/" << total << " entries" << (done == total ? "\n" : "") << std::flush;
  };
}

// --- The instance's commands. ---

struct Opened {
  service::Instance inst;
  std::unique_ptr<service::Ledger> ledger;
};

SystemClock& TheClock() {
  static SystemClock clock;
  return clock;
}

Result<std::unique_ptr<Opened>> OpenLedger(const Args& a) {
  if (!a.has("--data")) return Status::InvalidArgument("--data DIR is required");
  ASSIGN_OR_RETURN(service::Instance inst, service::OpenInstance(a.get("--data")));
  auto o = std::make_unique<Opened>(Opened{std::move(inst), nullptr});
  ASSIGN_OR_RETURN(o->ledger,
                   service::Ledger::Open(*o->inst.store, o->inst.ledger_key, TheClock()));
  return o;
}

int LedgerCheckpoint(const Args& a, std::ostream& out, std::ostream& err) {
  auto o = OpenLedger(a);
  if (!o.ok()) return Fail(err, "ledger checkpoint", o.status());
  auto note = (*o)->ledger->IssueCheckpoint();
  if (!note.ok()) return Fail(err, "ledger checkpoint", note.status());
  out << *note;
  return 0;
}

int LedgerExport(const Args& a, std::ostream& out, std::ostream& err) {
  if (!a.has("--out")) return Usage(err, "ledger export: --out DIR2 is required");
  auto o = OpenLedger(a);
  if (!o.ok()) return Fail(err, "ledger export", o.status());
  Status s = (*o)->ledger->ExportTiles(a.get("--out"));
  if (!s.ok()) return Fail(err, "ledger export", s);
  auto note = (*o)->ledger->LatestCheckpoint();
  if (!note.ok()) return Fail(err, "ledger export", note.status());
  auto cp = ledger::OpenCheckpoint(*note, (*o)->ledger->verifier(), (*o)->inst.origin);
  if (!cp.ok()) return Fail(err, "ledger export", cp.status());
  out << "exported " << (*o)->inst.origin << " size " << cp->size << " to " << a.get("--out")
      << "\n";
  return 0;
}

int LedgerProof(const Args& a, std::ostream& out, std::ostream& err) {
  auto index = ledger::ParseDecimal(a.get("--index"));
  if (!index)
    return Usage(err,
                 "ledger proof: --index: got \"" + a.get("--index") + "\", want an entry index");
  auto o = OpenLedger(a);
  if (!o.ok()) return Fail(err, "ledger proof", o.status());
  auto proof = (*o)->ledger->Proof(*index);
  if (!proof.ok()) return Fail(err, "ledger proof", proof.status());
  if (a.has("--entry")) {
    auto entry = (*o)->ledger->Entry(*index);
    if (!entry.ok()) return Fail(err, "ledger proof", entry.status());
    if (Status s = service::WriteFileAtomically(a.get("--entry"), *entry); !s.ok())
      return Fail(err, "ledger proof", s);
  }
  if (!a.has("--out")) {
    out << *proof;
    return 0;
  }
  if (Status s = service::WriteFileAtomically(a.get("--out"), *proof); !s.ok())
    return Fail(err, "ledger proof", s);
  out << "wrote the proof of entry " << *index << " to " << a.get("--out") << "\n";
  return 0;
}

int LedgerKey(const Args& a, std::ostream& out, std::ostream& err) {
  if (!a.has("--data")) return Usage(err, "ledger key: --data DIR is required");
  auto inst = service::OpenInstance(a.get("--data"));
  if (!inst.ok()) return Fail(err, "ledger key", inst.status());
  out << ledger::FormatVerifierKey(ledger::VerifierOf(inst->ledger_key)) << "\n";
  return 0;
}

int LedgerCosign(const Args& a, std::ostream& out, std::ostream& err) {
  if (!a.has("--cosigned")) return Usage(err, "ledger cosign: --cosigned FILE is required");
  std::vector<ledger::Verifier> witnesses;
  if (a.has("--witness-key")) {
    auto w = KeyArg("--witness-key", a.get("--witness-key"));
    if (!w.ok()) return Usage(err, w.status().message());
    witnesses.push_back(*w);
  }
  auto text = service::ReadWholeFile(a.get("--cosigned"));
  if (!text.ok()) return Fail(err, "ledger cosign", text.status());
  auto o = OpenLedger(a);
  if (!o.ok()) return Fail(err, "ledger cosign", o.status());
  Status s = (*o)->ledger->AddCosignatures(*text, witnesses);
  if (!s.ok()) return Fail(err, "ledger cosign", s);
  out << "stored the cosigned checkpoint; the next export publishes it\n";
  return 0;
}

// --- The verifier. ---

int Verify(const Args& a, std::ostream& out, std::ostream& err) {
  if (!a.has("--key")) return Usage(err, "verify: --key VKEY is required");
  auto key = KeyArg("--key", a.get("--key"));
  if (!key.ok()) return Usage(err, "verify: " + key.status().message());
  std::optional<ledger::Verifier> witness;
  if (a.has("--witness")) {
    auto w = KeyArg("--witness", a.get("--witness"));
    if (!w.ok()) return Usage(err, "verify: " + w.status().message());
    witness = *w;
  }
  auto source = SourceArg(a);
  if (!source.ok()) {
    if (source.status().code() == Code::kInvalidArgument)
      return Usage(err, "verify: " + source.status().message());
    return Fail(err, "verify", source.status());
  }
  const std::string origin = a.has("--origin") ? a.get("--origin") : key->name;
  std::optional<ledger::WitnessState> saved;
  if (a.has("--state")) {
    auto st = ledger::LoadWitnessState(a.get("--state"));
    if (st.ok()) {
      saved = *st;
    } else if (st.status().code() != Code::kNotFound) {
      return Fail(err, "verify", st.status());
    }
  }
  out << "log         " << origin << "\n"
      << "key         " << ledger::FormatVerifierKey(*key) << "\n"
      << "source      " << (a.has("--dir") ? a.get("--dir") : a.get("--url")) << "\n";
  auto report = ledger::VerifyLog(**source, *key, origin, saved, ProgressBar(err));
  if (!report.ok()) {
    out << "result      FAILED\n";
    err << "verify: FAILED: " << report.status().message() << "\n";
    return 1;
  }
  const auto& cp = report->checkpoint;
  out << "checkpoint  size " << cp.size << ", root " << B64(cp.root) << "\n"
      << "signature   ok\n"
      << "entries     " << report->entries << " in " << report->entry_bundles
      << " bundles: every leaf hash matches its tile\n"
      << "tiles       " << report->hash_tiles
      << " hash tiles: every level and the root recomputed, ok\n";
  if (report->consistent_with_size) {
    out << "state       consistent with size " << *report->consistent_with_size << " seen before\n";
  } else if (a.has("--state")) {
    out << "state       nothing seen before: first run\n";
  }
  if (!report->other_signers.empty()) {
    out << "cosigned by";
    for (const auto& n : report->other_signers) out << " " << n;
    out << (witness ? "\n" : " (not checked: pass --witness VKEY)\n");
  }
  if (witness) {
    auto note = ledger::ParseNote(report->checkpoint_note);
    auto t =
        note.ok() ? ledger::VerifyCosignature(*note, *witness) : Result<uint64_t>(note.status());
    if (!t.ok()) {
      out << "result      FAILED\n";
      err << "verify: FAILED: witness " << witness->name << ": " << t.status().message() << "\n";
      return 1;
    }
    out << "witness     " << witness->name << " cosigned at "
        << FormatTime(FromMicros(static_cast<int64_t>(*t) * 1'000'000)) << "\n";
  }
  if (a.has("--state")) {
    if (Status s = ledger::SaveWitnessState(a.get("--state"), report->State()); !s.ok())
      return Fail(err, "verify", s);
    out << "state       saved size " << cp.size << " to " << a.get("--state") << "\n";
  }
  out << "result      verified\n";
  return 0;
}

int VerifyProof(const Args& a, std::ostream& out, std::ostream& err) {
  if (!a.has("--key")) return Usage(err, "verify-proof: --key VKEY is required");
  if (a.positional.size() != 2)
    return Usage(err, "verify-proof: want FILE (the proof) and ENTRY (a file with the entry)");
  auto key = KeyArg("--key", a.get("--key"));
  if (!key.ok()) return Usage(err, "verify-proof: " + key.status().message());
  std::vector<ledger::Verifier> witnesses;
  if (a.has("--witness")) {
    auto w = KeyArg("--witness", a.get("--witness"));
    if (!w.ok()) return Usage(err, "verify-proof: " + w.status().message());
    witnesses.push_back(*w);
  }
  auto text = service::ReadWholeFile(a.positional[0]);
  if (!text.ok()) return Fail(err, "verify-proof", text.status());
  auto entry = service::ReadWholeFile(a.positional[1]);
  if (!entry.ok()) return Fail(err, "verify-proof", entry.status());
  auto proof = ledger::ParseTlogProof(*text);
  if (!proof.ok())
    return Fail(err, "verify-proof",
                Status(proof.status().code(), a.positional[0] + ": " + proof.status().message()));
  const std::string origin = a.has("--origin") ? a.get("--origin") : key->name;
  Status s = ledger::VerifyTlogProof(*proof, *entry, *key, origin, witnesses,
                                     static_cast<int>(witnesses.size()));
  if (!s.ok()) {
    err << "verify-proof: FAILED: entry " << proof->index << ": " << s.message() << "\n";
    return 1;
  }
  out << "verified: entry " << proof->index << " is in " << origin
      << (witnesses.empty() ? "" : ", cosigned by ") << (witnesses.empty() ? "" : witnesses[0].name)
      << "\n";
  return 0;
}

// --- The witness. ---

// A witness key file: a signer key used for cosignature/v1 (key ids of type
// 0x04, whatever type the file names).
Result<ledger::Signer> LoadWitnessKey(const std::string& path) {
  ASSIGN_OR_RETURN(std::string text, service::ReadWholeFile(path));
  text = Trim(std::move(text));
  auto s = ledger::ParseSignerKey(text);
  crypto::WipeString(text);
  if (!s.ok()) return Status::InvalidArgument(path + ": " + s.status().message());
  s->algorithm = ledger::kAlgCosignatureV1;
  s->key_id = ledger::KeyId(s->name, ledger::kAlgCosignatureV1, s->key.public_key);
  return s;
}

int WitnessKeygen(const Args& a, std::ostream& out, std::ostream& err) {
  if (!a.has("--name") || !a.has("--out"))
    return Usage(err, "witness keygen: --name NAME and --out FILE are required");
  if (Status s = ledger::CheckKeyName(a.get("--name")); !s.ok())
    return Usage(err, "witness keygen: --name: " + s.message());
  std::error_code ec;
  if (fs::exists(a.get("--out"), ec))
    return Fail(err, "witness keygen",
                Status::AlreadyExists(a.get("--out") + ": exists; not overwriting a key"));
  ledger::Signer w = ledger::GenerateWitnessSigner(a.get("--name"));
  std::string secret = ledger::FormatSignerKey(w);
  Status s = service::WriteFileAtomically(a.get("--out"), secret, 0600);
  crypto::WipeString(secret);
  if (!s.ok()) return Fail(err, "witness keygen", s);
  out << ledger::FormatVerifierKey(ledger::WitnessVerifierOf(w)) << "\n";
  return 0;
}

int Witness(const Args& a, std::ostream& out, std::ostream& err) {
  for (const char* f : {"--key", "--log-key", "--origin", "--state"})
    if (!a.has(f)) return Usage(err, std::string("witness: ") + f + " is required");
  if (a.has("--url") && !a.has("--out"))
    return Usage(err, "witness: --out FILE is required with --url");
  auto log_key = KeyArg("--log-key", a.get("--log-key"));
  if (!log_key.ok()) return Usage(err, "witness: " + log_key.status().message());
  auto source = SourceArg(a);
  if (!source.ok()) {
    if (source.status().code() == Code::kInvalidArgument)
      return Usage(err, "witness: " + source.status().message());
    return Fail(err, "witness", source.status());
  }
  auto me = LoadWitnessKey(a.get("--key"));
  if (!me.ok()) return Fail(err, "witness", me.status());
  const std::string origin = a.get("--origin");
  ledger::WitnessState state{origin, 0, {}};
  if (auto st = ledger::LoadWitnessState(a.get("--state")); st.ok()) {
    state = *st;
  } else if (st.status().code() != Code::kNotFound) {
    return Fail(err, "witness", st.status());
  }
  if (state.origin != origin)
    return Fail(err, "witness",
                Status::InvalidArgument(a.get("--state") + ": origin \"" + state.origin +
                                        "\", want \"" + origin + "\""));
  auto note = (*source)->Fetch("checkpoint");
  if (!note.ok())
    return Fail(err, "witness",
                Status(note.status().code(), "checkpoint: " + note.status().message()));
  auto cp = ledger::OpenCheckpoint(*note, *log_key, origin);
  if (!cp.ok())
    return Fail(err, "witness: refused",
                Status::PermissionDenied("checkpoint: " + cp.status().message()));
  // The consistency proof is built here from the log's level-0 tiles, which
  // must hash to the checkpoint's root: the log's own proofs are not trusted.
  std::vector<ledger::Hash> proof;
  if (state.size > 0 && cp->size > state.size) {
    auto tree = ledger::TreeFromTiles(**source, cp->size, cp->root);
    if (!tree.ok()) return Fail(err, "witness: refused", tree.status());
    auto p = tree->ConsistencyProof(state.size, cp->size);
    if (!p.ok()) return Fail(err, "witness", p.status());
    proof = std::move(*p);
  }
  const uint64_t now = static_cast<uint64_t>(ToMicros(TheClock().Now()) / 1'000'000);
  const uint64_t seen = state.size;
  auto cosigned = ledger::WitnessCheckpoint(state, *note, proof, *log_key, *me, now);
  if (!cosigned.ok()) return Fail(err, "witness: refused", cosigned.status());
  // The state first: once a cosignature leaves, the witness must remember it.
  if (Status s = ledger::SaveWitnessState(a.get("--state"), state); !s.ok())
    return Fail(err, "witness", s);
  const std::string dest =
      a.has("--out") ? a.get("--out") : (fs::path(a.get("--dir")) / "checkpoint.cosigned").string();
  if (Status s = service::WriteFileAtomically(dest, *cosigned); !s.ok())
    return Fail(err, "witness", s);
  out << "cosigned " << origin << " size " << cp->size
      << (seen == 0 ? std::string(" (first checkpoint seen)")
                    : " (consistent with size " + std::to_string(seen) + " seen before)")
      << " -> " << dest << "\n";
  return 0;
}

}  // namespace

bool IsLedgerCommand(std::string_view command) {
  return command == "ledger" || command == "verify" || command == "verify-proof" ||
         command == "witness";
}

int RunLedgerCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  using Fn = int (*)(const Args&, std::ostream&, std::ostream&);
  auto run = [&](const Args& a, Fn fn) {
    if (!a.error.empty()) return Usage(err, a.error);
    if (a.has("--help")) {
      out << kLedgerUsage;
      return 0;
    }
    return fn(a, out, err);
  };
  const std::string& cmd = args.at(0);
  const std::string sub = args.size() > 1 ? args[1] : "";
  if (cmd == "ledger") {
    if (sub == "checkpoint") return run(ParseArgs(args, 2, {"--data"}, {}), LedgerCheckpoint);
    if (sub == "export") return run(ParseArgs(args, 2, {"--data", "--out"}, {}), LedgerExport);
    if (sub == "proof")
      return run(ParseArgs(args, 2, {"--data", "--index", "--out", "--entry"}, {}), LedgerProof);
    if (sub == "key") return run(ParseArgs(args, 2, {"--data"}, {}), LedgerKey);
    if (sub == "cosign")
      return run(ParseArgs(args, 2, {"--data", "--cosigned", "--witness-key"}, {}), LedgerCosign);
    if (sub == "--help") return out << kLedgerUsage, 0;
    return Usage(err, "ledger: want checkpoint, export, proof, key or cosign");
  }
  if (cmd == "verify")
    return run(
        ParseArgs(args, 1,
                  {"--key", "--dir", "--url", "--origin", "--state", "--cacert", "--witness"}, {}),
        Verify);
  if (cmd == "verify-proof")
    return run(ParseArgs(args, 1, {"--key", "--origin", "--witness"}, {}), VerifyProof);
  if (cmd == "witness") {
    if (sub == "keygen") return run(ParseArgs(args, 2, {"--name", "--out"}, {}), WitnessKeygen);
    return run(ParseArgs(args, 1,
                         {"--key", "--log-key", "--origin", "--state", "--dir", "--url", "--out",
                          "--cacert"},
                         {}),
               Witness);
  }
  return Usage(err, "unknown command \"" + cmd + "\"");
}

}  // namespace cloison::cli
