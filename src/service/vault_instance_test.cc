// The instance gives the vault its keys: the centralising pair made at init
// (0600 private, public beside it) and the root key directory from the
// configuration.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "service/instance.h"
#include "service/vault.h"
#include "store/testing/temp_dir.h"

namespace cloison::service {
namespace {

std::string Rules() {
  std::ifstream in(std::string(CLOISON_SOURCE_DIR) + "/rules/csi-2021.toml");
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(VaultInstanceTest, InitMakesTheCentralisingKeyAndOpenGivesTheVaultItsKeys) {
  store::testing::TempDir tmp;
  std::string dir = tmp.File("inst");
  ASSERT_TRUE(InitInstance(dir, Rules()).ok());
  struct stat st {};
  ASSERT_EQ(::stat((dir + "/" + kCentralisingKeyFile).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::ifstream pub(dir + "/" + kCentralisingPubFile);
  std::string line;
  std::getline(pub, line);
  auto pk = seal::ParsePublicKey(line);
  ASSERT_TRUE(pk.ok()) << pk.status().ToString();

  auto inst = OpenInstance(dir);
  ASSERT_TRUE(inst.ok()) << inst.status().ToString();
  EXPECT_EQ(inst->centralising.public_key, *pk);
  EXPECT_EQ(inst->root_key_dir, dir + "/keys/root");
  EXPECT_EQ(inst->max_item_size, 64ull << 20);
  FakeClock clock(FromMicros(0));
  SequentialIdGenerator ids;
  VaultOptions o;
  o.centralising = &inst->centralising;
  Vault v(*inst->store, inst->rulebook, clock, ids, *inst->root_keys, dir, o);
  ASSERT_TRUE(v.Open().ok());
  EXPECT_EQ(*inst->root_keys->RootEpochs(), std::vector<uint32_t>{1});
}

TEST(VaultInstanceTest, RootKeyDirOutsideTheInstanceAndBadSizeLimit) {
  store::testing::TempDir tmp;
  std::string dir = tmp.File("inst");
  ASSERT_TRUE(InitInstance(dir, Rules()).ok());
  std::string cfg;
  {
    std::ifstream in(dir + "/cloison.toml");
    cfg.assign(std::istreambuf_iterator<char>(in), {});
  }
  std::string outside = tmp.File("keys-elsewhere");
  auto at = cfg.find("root_key_dir = \"keys/root\"");
  ASSERT_NE(at, std::string::npos);
  std::string moved = cfg;
  moved.replace(at, std::string("root_key_dir = \"keys/root\"").size(),
                "root_key_dir = \"" + outside + "\"");
  std::ofstream(dir + "/cloison.toml") << moved;
  auto inst = OpenInstance(dir);
  ASSERT_TRUE(inst.ok()) << inst.status().ToString();
  EXPECT_EQ(inst->root_key_dir, outside);
  inst = Result<Instance>(Status::Internal("closed"));
  std::string bad = cfg;
  bad.replace(bad.find("max_item_size = "), std::string("max_item_size = 67108864").size(),
              "max_item_size = -1");
  std::ofstream(dir + "/cloison.toml") << bad;
  auto r = OpenInstance(dir);
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("vault.max_item_size"), std::string::npos);
}

}  // namespace
}  // namespace cloison::service
