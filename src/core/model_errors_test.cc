#include "core/model_errors.h"

#include <gtest/gtest.h>

namespace inferd::core {
namespace {

TEST(ModelErrorsTest, TextsAreTritons) {
  EXPECT_EQ(UnknownModelError("nope").message(), "Request for unknown model: 'nope' is not found");
  EXPECT_EQ(UnknownVersionError("simple", 3).message(),
            "Request for unknown model: 'simple' version 3 is not found");
  EXPECT_EQ(VersionNotReadyError(absl::StatusCode::kUnavailable, "simple", 2, "LOADING").message(),
            "Request for unknown model: 'simple' version 2 is not at ready state: LOADING");
  EXPECT_EQ(NoAvailableVersionError(absl::StatusCode::kUnavailable, "simple", "").message(),
            "Request for unknown model: 'simple' has no available versions");
}

TEST(ModelErrorsTest, OnlyTheUnknownModelIsMarked) {
  EXPECT_TRUE(IsUnknownModel(UnknownModelError("nope")));
  EXPECT_EQ(UnknownModelError("nope").code(), absl::StatusCode::kNotFound);
  EXPECT_FALSE(IsUnknownModel(UnknownVersionError("simple", 3)));
  EXPECT_FALSE(IsUnknownModel(absl::NotFoundError("Request for unknown model: 'x' is not found")));
  EXPECT_FALSE(IsUnknownModel(absl::OkStatus()));
}

}  // namespace
}  // namespace inferd::core
