#include "repository/version_policy.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace inferd::repository {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

::inference::ModelVersionPolicy Latest(uint32_t n) {
  ::inference::ModelVersionPolicy p;
  p.mutable_latest()->set_num_versions(n);
  return p;
}

TEST(SelectVersions, LatestOneTakesHighest) {
  EXPECT_THAT(SelectVersions(Latest(1), {3, 1, 7}).versions, ElementsAre(7));
}

TEST(SelectVersions, LatestTwoOfThree) {
  const auto s = SelectVersions(Latest(2), {1, 3, 7});
  EXPECT_THAT(s.versions, ElementsAre(3, 7));
  EXPECT_THAT(s.missing, IsEmpty());
}

TEST(SelectVersions, LatestMoreThanAvailableTakesAll) {
  EXPECT_THAT(SelectVersions(Latest(5), {2, 1}).versions, ElementsAre(1, 2));
}

TEST(SelectVersions, UnsetPolicyIsLatestOne) {
  EXPECT_THAT(SelectVersions({}, {1, 2}).versions, ElementsAre(2));
  EXPECT_THAT(SelectVersions({}, {}).versions, IsEmpty());
}

TEST(SelectVersions, AllTakesEveryVersion) {
  ::inference::ModelVersionPolicy p;
  p.mutable_all();
  EXPECT_THAT(SelectVersions(p, {7, 1, 3}).versions, ElementsAre(1, 3, 7));
}

TEST(SelectVersions, SpecificReportsMissing) {
  ::inference::ModelVersionPolicy p;
  p.mutable_specific()->add_versions(3);
  p.mutable_specific()->add_versions(5);
  p.mutable_specific()->add_versions(1);
  const auto s = SelectVersions(p, {1, 3, 7});
  EXPECT_THAT(s.versions, ElementsAre(1, 3));
  EXPECT_THAT(s.missing, ElementsAre(5));
}

}  // namespace
}  // namespace inferd::repository
