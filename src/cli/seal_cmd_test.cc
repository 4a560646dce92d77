#include "cli/seal_cmd.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/cli.h"

namespace cloison::cli {
namespace {

namespace fs = std::filesystem;

struct Dir {
  fs::path path;
  Dir() {
    std::string t = (fs::temp_directory_path() / "cloison-seal-cmd-XXXXXX").string();
    path = ::mkdtemp(t.data());
  }
  ~Dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

int RunSeal(const std::vector<std::string>& args, const std::string& input, std::string& out,
        std::string& err) {
  std::istringstream in(input);
  std::ostringstream o, e;
  int rc = RunSealCommand(args, in, o, e);
  out = o.str();
  err = e.str();
  return rc;
}

TEST(SealCmdTest, KeygenSealOpenRoundTrip) {
  Dir d;
  std::string key = (d.path / "central.key").string();
  std::string out, err;
  ASSERT_EQ(RunSeal({"seal", "keygen", "--out", key}, "", out, err), 0) << err;
  EXPECT_EQ(out.rfind("cloison-seal-public-v1 ", 0), 0u) << out;
  struct stat st {};
  ASSERT_EQ(::stat(key.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_NE(RunSeal({"seal", "keygen", "--out", key}, "", out, err), 0) << "must not overwrite";

  std::string content(200000, 'x');
  for (size_t i = 0; i < content.size(); ++i) content[i] = static_cast<char>(i * 7);
  std::string sealed;
  ASSERT_EQ(RunSeal({"seal", "--key", key + ".pub"}, content, sealed, err), 0) << err;
  EXPECT_EQ(sealed.compare(0, 4, "CLSI"), 0);
  EXPECT_EQ(sealed.find(content.substr(1000, 64)), std::string::npos);
  std::string opened;
  ASSERT_EQ(RunSeal({"seal", "open", "--key", key}, sealed, opened, err), 0) << err;
  EXPECT_EQ(opened, content);

  // Truncated input fails, naming what was wrong.
  ASSERT_EQ(RunSeal({"seal", "open", "--key", key}, sealed.substr(0, sealed.size() - 5), opened, err), 1);
  EXPECT_NE(err.find("chunk"), std::string::npos) << err;
  // The public key cannot open; a private key is not a public key.
  EXPECT_EQ(RunSeal({"seal", "open", "--key", key + ".pub"}, sealed, opened, err), 1);
  EXPECT_EQ(RunSeal({"seal", "--key", key}, content, out, err), 1);
  EXPECT_EQ(err.find("private-v1 "), std::string::npos) << "never echo a private key";
  // Usage errors.
  EXPECT_EQ(RunSeal({"seal"}, "", out, err), 2);
  EXPECT_EQ(RunSeal({"seal", "--bogus", "x"}, "", out, err), 2);
}

TEST(SealCmdTest, ListedInHelp) {
  std::ostringstream o, e;
  EXPECT_EQ(Main({"help"}, o, e), 0);
  EXPECT_NE(o.str().find("seal keygen --out FILE"), std::string::npos);
}

}  // namespace
}  // namespace cloison::cli
