#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "store/store.h"

namespace cloison::store {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "cloison_store_XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string File(const std::string& name) const { return (fs::path(path_) / name).string(); }

 private:
  std::string path_;
};

TEST(SqliteSmoke, PutAppendCommitRead) {
  TempDir dir;
  auto store = OpenSqlite(dir.File("s.db"));
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  {
    auto tx = (*store)->BeginWrite();
    ASSERT_TRUE(tx.ok()) << tx.status().ToString();
    ASSERT_TRUE((*tx)->Put({.kind = "request", .id = "r1", .state = "draft", .body = "b"}).ok());
    auto idx = (*tx)->Append({.type = "request.drafted", .body = "x"});
    ASSERT_TRUE(idx.ok()) << idx.status().ToString();
    EXPECT_EQ(*idx, 0);
    Status s = (*tx)->Commit();
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  auto rx = (*store)->BeginRead();
  ASSERT_TRUE(rx.ok()) << rx.status().ToString();
  auto r = (*rx)->Get("request", "r1");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->state, "draft");
  EXPECT_EQ(*(*rx)->EventCount(), 1);
  EXPECT_EQ(*(*rx)->GetMeta("schema_version"), "1");
}

}  // namespace
}  // namespace cloison::store
