// The command line, run in-process with captured streams.
#include "cli/cli.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace cloison::cli {
namespace {
namespace fs = std::filesystem;

struct Run {
  int code;
  std::string out, err;
};

Run Cli(std::vector<std::string> args) {
  std::ostringstream out, err;
  int code = Main(args, out, err);
  return {code, out.str(), err.str()};
}

std::string TempDir() {
  std::string tmpl = (fs::temp_directory_path() / "cloison-cli-XXXXXX").string();
  EXPECT_NE(::mkdtemp(tmpl.data()), nullptr);
  return tmpl;
}

const std::string kRules = std::string(CLOISON_SOURCE_DIR) + "/rules/";

TEST(CliTest, HelpAndUsageErrors) {
  EXPECT_EQ(Cli({"help"}).code, 0);
  EXPECT_NE(Cli({"--help"}).out.find("rules check FILE"), std::string::npos);
  EXPECT_EQ(Cli({}).code, 2);
  EXPECT_EQ(Cli({"frobnicate"}).code, 2);
  EXPECT_EQ(Cli({"rules"}).code, 2);
  EXPECT_EQ(Cli({"init"}).code, 2);
  auto r = Cli({"init", "x", "--rulebok", "y"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--rulebok: unknown flag"), std::string::npos);
  EXPECT_EQ(Cli({"rules", "check", "--help"}).code, 0);
}

TEST(CliTest, RulesCheckAcceptsTheShippedRulebooks) {
  for (const char* f : {"csi-2021.toml", "csi-2021-strict.toml"}) {
    auto r = Cli({"rules", "check", kRules + f});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find(": ok"), std::string::npos);
  }
}

TEST(CliTest, RulesCheckNamesTheKeyAndLine) {
  std::string dir = TempDir();
  std::ifstream in(kRules + "csi-2021.toml");
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  // Make L851-3's first authorisation longer than the general 4-month cap.
  auto pos = text.find("\"L851-3\"");
  ASSERT_NE(pos, std::string::npos);
  auto mf = text.find("max_first", pos);
  ASSERT_NE(mf, std::string::npos);
  auto eol = text.find('\n', mf);
  text.replace(mf, eol - mf, "max_first = \"P9M\"");
  std::ofstream(dir + "/bad.toml") << text;
  auto r = Cli({"rules", "check", dir + "/bad.toml"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("max_first"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("bad.toml:"), std::string::npos) << r.err;

  std::ofstream(dir + "/syntax.toml") << "version = 1\n[[techniques]\n";
  r = Cli({"rules", "check", dir + "/syntax.toml"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("syntax.toml:2"), std::string::npos) << r.err;
  EXPECT_EQ(Cli({"rules", "check", dir + "/missing.toml"}).code, 1);
  fs::remove_all(dir);
}

TEST(CliTest, RulesShowPrintsEveryTechnique) {
  auto r = Cli({"rules", "show"});
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* t : {"L851-1", "L851-2", "L851-3", "L851-4", "L851-5", "L851-6", "L852-1-I",
                        "L852-1-II", "L852-2", "L852-3", "L853-1", "L853-2", "L853-3"}) {
    EXPECT_NE(r.out.find(t), std::string::npos) << t;
  }
  EXPECT_EQ(Cli({"rules", "show", "--strict"}).code, 0);
}

TEST(CliTest, InitCreatesAnInstanceOnceAndUserAddUsesIt) {
  std::string dir = TempDir() + "/inst";
  auto r = Cli({"init", dir});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir + "/cloison.toml"));
  EXPECT_TRUE(fs::exists(dir + "/rulebook.toml"));
  EXPECT_TRUE(fs::exists(dir + "/cloison.db"));
  auto again = Cli({"init", dir});
  EXPECT_EQ(again.code, 1);
  EXPECT_NE(again.err.find("not empty"), std::string::npos);

  auto u = Cli({"user", "add", "--data", dir, "--name", "A", "--role", "service_agent", "--service", "dgsi"});
  ASSERT_EQ(u.code, 0) << u.err;
  // The bearer token alone on stdout; the principal and its certificate on stderr.
  EXPECT_EQ(u.out.rfind("cloison_", 0), 0u) << u.out;
  EXPECT_EQ(u.out.size(), 8u + 64u + 1u) << u.out;
  EXPECT_NE(u.err.find("prn_"), std::string::npos) << u.err;
  EXPECT_TRUE(fs::exists(dir + "/pki/ca.pem"));
  EXPECT_TRUE(fs::exists(dir + "/pki/clients"));
  auto bad = Cli({"user", "add", "--data", dir, "--name", "A", "--role", "service_agent"});
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.err.find("service"), std::string::npos);
  EXPECT_EQ(Cli({"user", "add", "--data", dir, "--name", "A", "--role", "king"}).code, 2);
  fs::remove_all(fs::path(dir).parent_path());
}

TEST(CliTest, ServeRefusesWhatItCannotServe) {
  EXPECT_EQ(Cli({"serve"}).code, 2);
  EXPECT_EQ(Cli({"serve", "--data"}).code, 2);
  EXPECT_EQ(Cli({"serve", "--data", "x", "--colour"}).code, 2);
  std::string dir = TempDir() + "/inst";
  auto missing = Cli({"serve", "--data", dir});
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.err.find("cloison init"), std::string::npos) << missing.err;
  ASSERT_EQ(Cli({"init", dir}).code, 0);
  auto bad = Cli({"serve", "--data", dir, "--listen", "nowhere"});
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.err.find("listen"), std::string::npos) << bad.err;
  EXPECT_TRUE(fs::exists(dir + "/pki/server.pem"));
  fs::remove_all(fs::path(dir).parent_path());
}

TEST(CliTest, InitWithABadRulebookLeavesNothing) {
  std::string parent = TempDir();
  std::ofstream(parent + "/bad.toml") << "version = 1\nid = 3\n";
  std::string dir = parent + "/inst";
  auto r = Cli({"init", dir, "--rulebook", parent + "/bad.toml"});
  EXPECT_EQ(r.code, 1);
  EXPECT_FALSE(fs::exists(dir));
  fs::remove_all(parent);
}

TEST(CliTest, DemoRunsTheScenario) {
  std::string dir = TempDir() + "/demo";
  auto r = Cli({"demo", "--data", dir, "--no-serve"});
  ASSERT_EQ(r.code, 0) << r.err << r.out;
  // Grants, legal refusals with their articles, a deemed opinion, quota use.
  EXPECT_NE(r.out.find("PM granted"), std::string::npos);
  EXPECT_NE(r.out.find("L. 851-3"), std::string::npos);
  EXPECT_NE(r.out.find("L. 852-3"), std::string::npos);
  EXPECT_NE(r.out.find("deemed given"), std::string::npos);
  EXPECT_NE(r.out.find("awaiting_conseil_etat"), std::string::npos);
  EXPECT_NE(r.out.find("emergency_approval"), std::string::npos);
  EXPECT_NE(r.out.find("LATE"), std::string::npos);
  EXPECT_NE(r.out.find("REFUSED BY LAW"), std::string::npos);
  // The first interception was terminated at the end: interior uses 1 of 2.
  EXPECT_NE(r.out.find("interior 1/2"), std::string::npos) << r.out;
  // The vault: items accepted and refused at the gate, a sealed item opened,
  // an unrelated item destroyed, a hold, and the sweep a month later.
  EXPECT_NE(r.out.find("REFUSED at the gate"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("the GIC opens"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("unrelated"), std::string::npos);
  EXPECT_NE(r.out.find("kept while the case lasts"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("kept with it ("), std::string::npos) << r.out;  // the held transcription
  EXPECT_NE(r.out.find("gone with its recording"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("bucket key(s) destroyed"), std::string::npos);
  EXPECT_NE(r.out.find("gone (HTTP 410)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("L. 822-2 I 1"), std::string::npos);
  // A signed checkpoint: origin, size, root, then the signature line.
  EXPECT_NE(r.out.find("cloison.local/instance_"), std::string::npos);
  EXPECT_NE(r.out.find("\xE2\x80\x94 cloison.local/"), std::string::npos) << r.out;
  EXPECT_TRUE(r.err.empty()) << r.err;
  // The annual report of the demo's year counts its items and destructions.
  auto report = Cli({"report", "annual", "--data", dir, "--year", "2025", "--format", "csv"});
  ASSERT_EQ(report.code, 0) << report.err;
  EXPECT_NE(report.out.find("items"), std::string::npos) << report.out;
  EXPECT_NE(report.out.find("destructions"), std::string::npos) << report.out;
  auto bad = Cli({"report", "annual", "--data", dir, "--year", "twenty"});
  EXPECT_NE(bad.code, 0);
  EXPECT_NE(bad.err.find("year"), std::string::npos) << bad.err;
  fs::remove_all(fs::path(dir).parent_path());
}

TEST(CliTest, UserRevokeIsDispatched) {
  auto r = Cli({"user", "revoke", "--data", TempDir() + "/none", "--principal", "prn_x"});
  EXPECT_EQ(r.code, 1);  // dispatched: the instance does not exist
  EXPECT_NE(r.err.find("user revoke"), std::string::npos) << r.err;
  auto u = Cli({"user", "frob"});
  EXPECT_EQ(u.code, 2);
  EXPECT_NE(u.err.find("'add' or 'revoke'"), std::string::npos) << u.err;
}

}  // namespace
}  // namespace cloison::cli
