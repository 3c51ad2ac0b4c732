#include "backend/onnxruntime/instance_placement.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace inferd::backend::ort {
namespace {

using Group = ::inference::ModelInstanceGroup;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

::inference::ModelConfig WithGroups(
    std::initializer_list<std::pair<Group::Kind, std::vector<int>>> groups) {
  ::inference::ModelConfig config;
  config.set_name("m");
  for (const auto& [kind, gpus] : groups) {
    auto* group = config.add_instance_group();
    group->set_kind(kind);
    group->set_count(2);
    for (int id : gpus) group->add_gpus(id);
  }
  return config;
}

constexpr GpuSupport kNoCuda{false, 0};
constexpr GpuSupport kCudaNoGpu{true, 0};
constexpr GpuSupport kTwoGpus{true, 2};

TEST(InstancePlacementTest, CpuAndAutoRunOnTheCpu) {
  for (const GpuSupport& gpu : {kNoCuda, kTwoGpus}) {
    auto ids = ModelGpus(WithGroups({{Group::KIND_CPU, {}}, {Group::KIND_AUTO, {}}}), gpu);
    ASSERT_TRUE(ids.ok()) << ids.status();
    EXPECT_TRUE(ids->empty());
  }
  auto none = ModelGpus(::inference::ModelConfig(), kNoCuda);  // before auto-complete
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST(InstancePlacementTest, GpuWithoutCudaSaysHowToRunOnTheCpu) {
  auto ids = ModelGpus(WithGroups({{Group::KIND_GPU, {0}}}), kNoCuda);
  ASSERT_FALSE(ids.ok());
  EXPECT_TRUE(absl::IsFailedPrecondition(ids.status()));
  EXPECT_THAT(ids.status().message(),
              HasSubstr("instance_group kind KIND_GPU needs a GPU; this server has no GPU support "
                        "(built without CUDA) — set kind: KIND_CPU to run on the CPU"));
  // KIND_AUTO naming GPUs asks for a GPU too.
  EXPECT_FALSE(ModelGpus(WithGroups({{Group::KIND_AUTO, {1}}}), kNoCuda).ok());
  auto no_device = ModelGpus(WithGroups({{Group::KIND_GPU, {}}}), kCudaNoGpu);
  ASSERT_FALSE(no_device.ok());
  EXPECT_THAT(no_device.status().message(), HasSubstr("no GPU is visible"));
  EXPECT_THAT(no_device.status().message(), HasSubstr("set kind: KIND_CPU"));
}

TEST(InstancePlacementTest, GpuGroupsTakeTheirDevices) {
  auto listed = ModelGpus(WithGroups({{Group::KIND_GPU, {1}}}), kTwoGpus);
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_THAT(*listed, ElementsAre(1));
  auto all = ModelGpus(WithGroups({{Group::KIND_GPU, {}}}), kTwoGpus);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_THAT(*all, ElementsAre(0, 1));
  auto out_of_range = ModelGpus(WithGroups({{Group::KIND_GPU, {2}}}), kTwoGpus);
  ASSERT_FALSE(out_of_range.ok());
  EXPECT_THAT(out_of_range.status().message(), HasSubstr("lists GPU 2 but 2 GPU(s) are visible"));
}

TEST(InstancePlacementTest, RefusesWhatCannotBePlaced) {
  auto cpu_gpus = ModelGpus(WithGroups({{Group::KIND_CPU, {0}}}), kTwoGpus);
  ASSERT_FALSE(cpu_gpus.ok());
  EXPECT_THAT(cpu_gpus.status().message(), HasSubstr("has kind KIND_CPU but lists gpus"));
  auto model_kind = ModelGpus(WithGroups({{Group::KIND_MODEL, {}}}), kTwoGpus);
  ASSERT_FALSE(model_kind.ok());
  EXPECT_THAT(model_kind.status().message(), HasSubstr("KIND_MODEL"));
  auto mixed = ModelGpus(WithGroups({{Group::KIND_CPU, {}}, {Group::KIND_GPU, {0}}}), kTwoGpus);
  ASSERT_FALSE(mixed.ok());
  EXPECT_THAT(mixed.status().message(), HasSubstr("both CPU and GPU instance groups"));
}

TEST(InstancePlacementTest, ThisBuildDetectsNoGpuWithoutCuda) {
#ifndef INFERD_WITH_CUDA
  const GpuSupport detected = DetectGpuSupport();
  EXPECT_FALSE(detected.built);
  EXPECT_EQ(detected.visible, 0);
#endif
}

}  // namespace
}  // namespace inferd::backend::ort
