#include "pkg/tls/file_util.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "pkg/tls/test_temp_dir.h"

namespace kapi::tls {
namespace {

using testing::file_mode;
using testing::TempDir;

TEST(FileUtil, AtomicWriteModesAndDirs) {
  TempDir dir;
  mode_t old = umask(022);
  const std::string key = dir.path() + "/a/b/secret.key";
  ASSERT_TRUE(write_file_atomic(key, "s3cret", 0600, 0700).ok());
  EXPECT_EQ(file_mode(key), 0600u);
  EXPECT_EQ(file_mode(dir.path() + "/a"), 0700u);
  EXPECT_EQ(file_mode(dir.path() + "/a/b"), 0700u);
  ASSERT_TRUE(write_file_atomic(key, "replaced", 0600).ok());
  EXPECT_EQ(*read_file(key), "replaced");
  EXPECT_EQ(file_mode(key), 0600u);
  ASSERT_TRUE(write_file_atomic(dir.path() + "/a/b/cert.crt", "c").ok());
  EXPECT_EQ(file_mode(dir.path() + "/a/b/cert.crt"), 0644u);
  umask(old);
  // No temporary files left behind.
  int n = 0;
  for (auto& e : std::filesystem::directory_iterator(dir.path() + "/a/b")) {
    (void)e;
    ++n;
  }
  EXPECT_EQ(n, 2);
}

TEST(FileUtil, ReadErrors) {
  TempDir dir;
  auto r = read_file(dir.file("missing"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(file_exists(dir.file("missing")));
  ASSERT_TRUE(write_file_atomic(dir.file("f"), "x").ok());
  EXPECT_FALSE(ensure_dir(dir.file("f") + "/sub").ok());
  EXPECT_FALSE(write_file_atomic(dir.file("f") + "/sub/g", "x").ok());
}

}  // namespace
}  // namespace kapi::tls
