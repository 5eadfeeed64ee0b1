// derived_member_id (static_membership.hpp): the same directory gives the same id to a restart
// (whatever path reaches it), sources sharing a directory hold distinct slots, a slot held by a
// process that dies is free again at once, and the id is a token kept in the slot's file.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <upsertkit/static_membership.hpp>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

namespace static_membership_test {
namespace {

using upsertkit::derived_member_id;

class DerivedMemberId : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir = std::filesystem::temp_directory_path() /
          ("upsertkit-member-" + std::to_string(::getpid()) + "-" + info->name());
    std::filesystem::remove_all(dir);
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
  std::filesystem::path dir;
};

// Kafka accepts [A-Za-z0-9._-] in a group.instance.id, at most 249 of them.
bool valid_instance_id(const std::string& id) {
  if (id.empty() || id.size() > 249) return false;
  for (char c : id)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
          c == '_' || c == '-'))
      return false;
  return true;
}

TEST_F(DerivedMemberId, TheSameDirectoryGivesTheSameIdToTheNextHolder) {
  std::string first;
  {
    const derived_member_id id = derived_member_id::claim(dir / "g" / "t");
    first = id.value();
    EXPECT_EQ(id.slot(), 0);
    EXPECT_TRUE(valid_instance_id(first)) << first;
    EXPECT_EQ(first.rfind("upsertkit-", 0), 0u) << first;
    EXPECT_TRUE(std::filesystem::exists(dir / "g" / "t" / "member-0.lock"));
  }
  EXPECT_EQ(derived_member_id::claim(dir / "g" / "t").value(), first);
  // The same directory by another path: the same id.
  const std::filesystem::path roundabout = dir / "g" / ".." / "g" / "t";
  EXPECT_EQ(derived_member_id::claim(roundabout).value(), first);
}

TEST_F(DerivedMemberId, HoldersOfOneDirectoryGetDistinctSlotsAndAFreedSlotIsTakenFirst) {
  std::optional<derived_member_id> a = derived_member_id::claim(dir);
  const derived_member_id b = derived_member_id::claim(dir);
  EXPECT_EQ(a->slot(), 0);
  EXPECT_EQ(b.slot(), 1);
  EXPECT_NE(a->value(), b.value());
  const std::string a_id = a->value();
  a.reset();
  const derived_member_id c = derived_member_id::claim(dir);
  EXPECT_EQ(c.slot(), 0);
  EXPECT_EQ(c.value(), a_id);
  // Moved: the slot stays held by the new owner.
  derived_member_id moved = derived_member_id::claim(dir);
  EXPECT_EQ(moved.slot(), 2);
  const derived_member_id owner = std::move(moved);
  EXPECT_EQ(derived_member_id::claim(dir).slot(), 3);
}

TEST_F(DerivedMemberId, AnotherDirectoryGivesAnotherId) {
  const derived_member_id a = derived_member_id::claim(dir / "a");
  const derived_member_id b = derived_member_id::claim(dir / "b");
  EXPECT_EQ(a.slot(), b.slot());
  EXPECT_NE(a.value(), b.value());
}

TEST_F(DerivedMemberId, AProcessKilledWhileHoldingASlotFreesIt) {
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const derived_member_id held = derived_member_id::claim(dir);
    const char slot = static_cast<char>('0' + held.slot());
    if (::write(ready[1], &slot, 1) != 1) ::_exit(1);
    ::pause();  // until killed
    ::_exit(0);
  }
  ::close(ready[1]);
  char slot = 0;
  ASSERT_EQ(::read(ready[0], &slot, 1), 1);
  ::close(ready[0]);
  EXPECT_EQ(slot, '0');
  EXPECT_EQ(derived_member_id::claim(dir).slot(), 1);  // the child holds slot 0
  ASSERT_EQ(::kill(child, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(derived_member_id::claim(dir).slot(), 0);  // freed by the kernel
}

// The id belongs to the directory's content: a copy (a restored backup, a volume mounted in a
// new container) is the same member; a slot file whose content is not a token (cut short by a
// crash, edited) gets a new one, kept from then on.
TEST_F(DerivedMemberId, TheIdIsATokenKeptInTheSlotsFile) {
  std::string original;
  {
    const derived_member_id id = derived_member_id::claim(dir / "a");
    original = id.value();
  }
  std::ifstream file(dir / "a" / "member-0.lock");
  std::string token;
  std::getline(file, token);
  EXPECT_EQ(original, "upsertkit-" + token + "-0");
  std::filesystem::copy(dir / "a", dir / "copy");
  EXPECT_EQ(derived_member_id::claim(dir / "copy").value(), original);

  { std::ofstream(dir / "a" / "member-0.lock", std::ios::trunc) << "not a token"; }
  const std::string replaced = derived_member_id::claim(dir / "a").value();
  EXPECT_NE(replaced, original);
  EXPECT_TRUE(valid_instance_id(replaced)) << replaced;
  EXPECT_EQ(derived_member_id::claim(dir / "a").value(), replaced);
}

TEST_F(DerivedMemberId, AllSlotsHeldIsAnError) {
  const derived_member_id a = derived_member_id::claim(dir, 2);
  const derived_member_id b = derived_member_id::claim(dir, 2);
  EXPECT_THROW((void)derived_member_id::claim(dir, 2), upsertkit::error);
}

TEST_F(DerivedMemberId, ADirectoryThatCannotBeCreatedIsAConfigError) {
  std::filesystem::create_directories(dir);
  { std::ofstream(dir / "file") << "x"; }
  EXPECT_THROW((void)derived_member_id::claim(dir / "file" / "under"), upsertkit::config_error);
}

}  // namespace
}  // namespace static_membership_test
