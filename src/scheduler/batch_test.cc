#include "scheduler/batch.h"

#include <gtest/gtest.h>

#include "core/bytes_layout.h"
#include "scheduler/test_util.h"

namespace inferd::scheduler {
namespace {

using testing::MakeRequest;
using testing::Values;

core::Tensor BytesTensor(const std::vector<std::string>& elements, core::Shape shape) {
  auto buffer = std::make_shared<std::vector<std::byte>>();
  for (const auto& e : elements) core::AppendBytesElement(e, *buffer);
  return core::Tensor{"S", core::DataType::kBytes, std::move(shape),
                      std::span<const std::byte>(buffer->data(), buffer->size()), buffer};
}

std::vector<std::string> Strings(const core::Tensor& t) {
  auto split = core::SplitBytesElements(t.data);
  EXPECT_TRUE(split.ok());
  return std::vector<std::string>(split->begin(), split->end());
}

TEST(BatchTest, CanBatchNeedsSameInputsAndOutputs) {
  auto a = MakeRequest("a", 0, 1, 2);
  EXPECT_TRUE(CanBatch(*a, *MakeRequest("b", 0, 3, 2)));
  EXPECT_FALSE(CanBatch(*a, *MakeRequest("c", 0, 1, 3)));
  auto d = MakeRequest("d", 0, 1, 2);
  d->requested_outputs = {"OUT0"};
  EXPECT_FALSE(CanBatch(*a, *d));
  auto e = MakeRequest("e", 0, 1, 2);
  e->inputs[0].name = "OTHER";
  EXPECT_FALSE(CanBatch(*a, *e));
}

TEST(BatchTest, GatherConcatenatesAndReusesItsBuffer) {
  auto a = MakeRequest("a", 0, 1, 2);
  auto b = MakeRequest("b", 10, 2, 2);
  const core::InferenceRequest* both[] = {a.get(), b.get()};
  GatherPool pool;
  const std::byte* first_data = nullptr;
  {
    auto gathered = pool.Gather(both, 3);
    ASSERT_EQ(gathered.size(), 1u);
    EXPECT_EQ(gathered[0].shape, (core::Shape{3, 2}));
    EXPECT_EQ(Values(gathered[0]), (std::vector<int32_t>{0, 1, 10, 11, 12, 13}));
    first_data = gathered[0].data.data();
  }
  auto again = pool.Gather(both, 3);
  EXPECT_EQ(again[0].data.data(), first_data);  // reused once the first batch let go
  auto held = pool.Gather(both, 3);             // `again` still holds the buffer
  EXPECT_NE(held[0].data.data(), again[0].data.data());
  EXPECT_EQ(Values(again[0]), Values(held[0]));
}

TEST(BatchTest, GatherBytesConcatenatesElements) {
  core::InferenceRequest a, b;
  a.inputs.push_back(BytesTensor({"x"}, {1}));
  b.inputs.push_back(BytesTensor({"yy", ""}, {2}));
  const core::InferenceRequest* both[] = {&a, &b};
  GatherPool pool;
  auto gathered = pool.Gather(both, 3);
  EXPECT_EQ(gathered[0].shape, (core::Shape{3}));
  EXPECT_EQ(Strings(gathered[0]), (std::vector<std::string>{"x", "yy", ""}));
}

TEST(BatchTest, ScatterFixedSizeGivesZeroCopySlices) {
  auto batch = MakeRequest("x", 0, 3, 2)->inputs[0];
  const int64_t rows[] = {1, 2};
  auto parts = Scatter(std::span<const core::Tensor>(&batch, 1), rows);
  ASSERT_TRUE(parts.ok()) << parts.status();
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ(Values((*parts)[0][0]), (std::vector<int32_t>{0, 1}));
  EXPECT_EQ((*parts)[1][0].shape, (core::Shape{2, 2}));
  EXPECT_EQ(Values((*parts)[1][0]), (std::vector<int32_t>{2, 3, 4, 5}));
  EXPECT_EQ((*parts)[1][0].data.data(), batch.data.data() + 8);
  EXPECT_EQ((*parts)[1][0].owner, batch.owner);
}

TEST(BatchTest, ScatterBytesWalksElements) {
  auto batch = BytesTensor({"a", "bb", "", "dddd", "e", "f"}, {3, 2});
  const int64_t rows[] = {2, 1};
  auto parts = Scatter(std::span<const core::Tensor>(&batch, 1), rows);
  ASSERT_TRUE(parts.ok()) << parts.status();
  EXPECT_EQ(Strings((*parts)[0][0]), (std::vector<std::string>{"a", "bb", "", "dddd"}));
  EXPECT_EQ(Strings((*parts)[1][0]), (std::vector<std::string>{"e", "f"}));
  EXPECT_EQ((*parts)[1][0].shape, (core::Shape{1, 2}));
}

TEST(BatchTest, ScatterRejectsAWrongBatchDimension) {
  auto batch = MakeRequest("x", 0, 2, 2)->inputs[0];
  const int64_t rows[] = {1, 2};
  auto parts = Scatter(std::span<const core::Tensor>(&batch, 1), rows);
  EXPECT_EQ(parts.status().code(), absl::StatusCode::kInternal);
  auto truncated = BytesTensor({"a"}, {2});
  const int64_t one_each[] = {1, 1};
  EXPECT_EQ(Scatter(std::span<const core::Tensor>(&truncated, 1), one_each).status().code(),
            absl::StatusCode::kInternal);
}

}  // namespace
}  // namespace inferd::scheduler
