#include "cli/cli.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "cli/args.h"
#include "cli/demo.h"
#include "cli/ledger_cmd.h"
#include "cli/report_cmd.h"
#include "cli/seal_cmd.h"
#include "cli/serve_cmd.h"
#include "cli/user_cmd.h"
#include "cli/embedded_rules.h"
#include "rules/check.h"
#include "rules/format.h"
#include "rules/parser.h"
#include "server/pki.h"
#include "service/certificates.h"
#include "service/instance.h"
#include "service/tokens.h"
#include "service/workflow.h"

namespace cloison::cli {
namespace {

constexpr std::string_view kUsage = R"(cloison: the system of record for intelligence techniques (CSI Book VIII)

usage: cloison COMMAND [ARGS]

commands:
  init DIR [--strict | --rulebook FILE]
                        create an instance: store, configuration, rulebook
  rules check FILE      validate a rulebook; errors name the key and the line
  rules show [FILE] [--strict]
                        print a rulebook as tables (default: the shipped csi-2021)
  user add --data DIR --name NAME --role ROLE [--service S] [--minister M]
                        create a principal; prints its bearer token alone on
                        stdout; issues a client certificate (DIR/pki/clients/)
  user revoke --data DIR --principal ID
                        revoke every bearer token and client certificate
                        of a principal
  serve --data DIR [--listen 127.0.0.1:8443] [--test-clock]
                        serve the HTTPS API until SIGTERM; --test-clock enables
                        PUT /v1/test/clock
  demo [--data DIR] [--listen ADDR] [--no-serve]
                        run the demonstration scenario on a fresh embedded store,
                        then serve it (default 127.0.0.1:8443) and print the tokens
  help                  this text; every command also takes --help

roles: service_agent minister cnctr pm gic collector rnd_agent admin
)";

bool ReadFile(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

int Usage(std::ostream& err, const std::string& what) {
  err << "cloison: " << what << "\nrun 'cloison help' for usage\n";
  return 2;
}

int RulesCheck(const Args& a, std::ostream& out, std::ostream& err) {
  if (a.positional.size() != 1) return Usage(err, "rules check: want exactly one FILE");
  const std::string& path = a.positional[0];
  auto book = rules::LoadRulebook(path);
  if (!book.ok()) {
    err << book.status().message() << "\n";
    return 1;
  }
  auto problems = rules::CheckRulebook(*book);
  std::string name = std::filesystem::path(path).filename().string();
  for (const auto& p : problems) err << name << ":" << p.line << ": " << p.key << ": " << p.message << "\n";
  if (!problems.empty()) {
    err << problems.size() << " problem(s) in " << path << "\n";
    return 1;
  }
  out << path << ": ok (" << book->id << ", " << book->techniques.size() << " techniques, "
      << book->services.size() << " services, " << book->purposes.size() << " purposes)\n";
  return 0;
}

int RulesShow(const Args& a, std::ostream& out, std::ostream& err) {
  Result<rules::Rulebook> book = Status::Internal("unset");
  if (a.positional.size() > 1) return Usage(err, "rules show: want at most one FILE");
  if (a.positional.size() == 1) {
    book = rules::LoadRulebook(a.positional[0]);
  } else {
    std::string_view text = a.flags.count("--strict") ? StrictRulebook() : DefaultRulebook();
    book = rules::ParseRulebook(text, a.flags.count("--strict") ? "csi-2021-strict.toml"
                                                                 : "csi-2021.toml");
  }
  if (!book.ok()) {
    err << book.status().message() << "\n";
    return 1;
  }
  out << rules::FormatRulebook(*book);
  return 0;
}

int Init(const Args& a, std::ostream& out, std::ostream& err) {
  if (a.positional.size() != 1) return Usage(err, "init: want exactly one DIR");
  std::string text(a.flags.count("--strict") ? StrictRulebook() : DefaultRulebook());
  if (auto it = a.flags.find("--rulebook"); it != a.flags.end()) {
    if (!ReadFile(it->second, text)) {
      err << "--rulebook: cannot read " << it->second << "\n";
      return 1;
    }
  }
  Status s = service::InitInstance(a.positional[0], text);
  if (!s.ok()) {
    err << "init: " << s.message() << "\n";
    return 1;
  }
  out << "initialised " << a.positional[0] << "\n";
  return 0;
}

int UserAdd(const Args& a, std::ostream& out, std::ostream& err) {
  for (const char* f : {"--data", "--name", "--role"})
    if (!a.flags.count(f)) return Usage(err, std::string("user add: ") + f + " is required");
  auto role = service::ParseRole(a.flags.at("--role"));
  if (!role) return Usage(err, "--role: got \"" + a.flags.at("--role") + "\", want one of the roles below");
  auto inst = service::OpenInstance(a.flags.at("--data"));
  if (!inst.ok()) {
    err << inst.status().message() << "\n";
    return 1;
  }
  SystemClock clock;
  RandomIdGenerator ids;  // another process may make ids meanwhile (base/id.h)
  service::Workflow wf(*inst->store, inst->rulebook, clock, ids);
  service::Principal p;
  p.name = a.flags.at("--name");
  p.role = *role;
  if (a.flags.count("--service")) p.service = a.flags.at("--service");
  if (a.flags.count("--minister")) p.minister = a.flags.at("--minister");
  auto added = wf.AddPrincipal(p);
  if (!added.ok()) {
    err << "user add: " << added.status().message() << "\n";
    return 1;
  }
  // The token is shown once, alone on stdout (scripts capture it); the
  // store keeps only its hash.
  service::Tokens tokens(*inst->store, clock);
  auto token = tokens.Issue(*added);
  if (!token.ok()) {
    err << "user add: " << added->id << " created, but no token: " << token.status().message() << "\n";
    return 1;
  }
  auto cert = server::IssueClientCertificate(a.flags.at("--data"), added->id, clock);
  if (!cert.ok()) {
    err << "user add: " << added->id << " created, but no client certificate: "
        << cert.status().message() << "\n";
    return 1;
  }
  // Registered so that `user revoke` can withdraw it (service/certificates.h).
  Status reg = service::ClientCertificates(*inst->store, clock)
                   .Register(added->id, {cert->serial, cert->not_before, cert->not_after});
  if (!reg.ok()) {
    err << "user add: " << added->id << " created, but its client certificate is not registered: "
        << reg.message() << "\n";
    return 1;
  }
  err << "user add: " << added->id << " (" << service::RoleName(added->role)
      << "); client certificate " << cert->cert_path << ", key " << cert->key_path << "\n";
  out << *token << "\n";
  return 0;
}

}  // namespace

int Main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty()) return Usage(err, "missing COMMAND");
  const std::string& cmd = args[0];
  if (cmd == "help" || cmd == "--help" || cmd == "-h") {
    out << kUsage << "\n" << kLedgerUsage << "\n" << kSealUsage << "\n" << kReportUsage;
    return 0;
  }
  auto help_or = [&](const Args& a, auto fn) {
    if (!a.error.empty()) return Usage(err, a.error);
    if (a.flags.count("--help")) {
      out << kUsage << "\n" << kLedgerUsage;
      return 0;
    }
    return fn(a, out, err);
  };
  if (cmd == "rules") {
    if (args.size() < 2) return Usage(err, "rules: want 'check' or 'show'");
    if (args[1] == "check") return help_or(ParseArgs(args, 2, {}, {}), RulesCheck);
    if (args[1] == "show") return help_or(ParseArgs(args, 2, {}, {"--strict"}), RulesShow);
    if (args[1] == "--help") return out << kUsage << "\n" << kLedgerUsage, 0;
    return Usage(err, "rules: unknown subcommand \"" + args[1] + "\"");
  }
  if (IsLedgerCommand(cmd)) return RunLedgerCommand(args, out, err);
  if (cmd == "seal") return RunSealCommand(args, std::cin, out, err);
  if (cmd == "init") return help_or(ParseArgs(args, 1, {"--rulebook"}, {"--strict"}), Init);
  if (cmd == "report") return RunReportCommand(args, out, err);
  if (cmd == "user") {
    if (args.size() >= 2 && args[1] == "revoke") return RunUserRevokeCommand(args, out, err);
    if (args.size() < 2 || args[1] != "add") return Usage(err, "user: want 'add' or 'revoke'");
    return help_or(ParseArgs(args, 2, {"--data", "--name", "--role", "--service", "--minister"}, {}),
                   UserAdd);
  }
  if (cmd == "serve")
    return help_or(ParseArgs(args, 1, {"--data", "--listen"}, {"--test-clock"}), ServeCommand);
  if (cmd == "demo") {
    return help_or(ParseArgs(args, 1, {"--data", "--listen"}, {"--no-serve"}),
                   [](const Args& a, std::ostream& o, std::ostream& e) {
                     DemoOptions opts;
                     if (a.flags.count("--data")) opts.dir = a.flags.at("--data");
                     if (a.flags.count("--listen")) opts.listen = a.flags.at("--listen");
                     opts.serve = !a.flags.count("--no-serve");
                     return RunDemo(opts, o, e);
                   });
  }
  return Usage(err, "unknown command \"" + cmd + "\"");
}

}  // namespace cloison::cli
