#include "core/bytes_layout.h"

#include <gtest/gtest.h>

namespace inferd::core {
namespace {

TEST(BytesLayoutTest, RoundTrip) {
  std::vector<std::byte> buffer;
  AppendBytesElement("hello", buffer);
  AppendBytesElement("", buffer);
  AppendBytesElement(std::string_view("\0x", 2), buffer);
  auto elements = SplitBytesElements(buffer);
  ASSERT_TRUE(elements.ok());
  ASSERT_EQ(elements->size(), 3u);
  EXPECT_EQ((*elements)[0], "hello");
  EXPECT_EQ((*elements)[1], "");
  EXPECT_EQ((*elements)[2], std::string_view("\0x", 2));
  EXPECT_EQ(*CountBytesElements(buffer), 3);
  EXPECT_EQ(*CountBytesElements({}), 0);
}

TEST(BytesLayoutTest, TruncatedIsAnError) {
  std::vector<std::byte> buffer;
  AppendBytesElement("hello", buffer);
  buffer.pop_back();
  EXPECT_EQ(CountBytesElements(buffer).status().code(), absl::StatusCode::kInvalidArgument);
  std::vector<std::byte> short_prefix = {std::byte{1}, std::byte{0}};
  EXPECT_FALSE(CountBytesElements(short_prefix).ok());
  // A length that claims more than 4 GiB of a tiny buffer.
  std::vector<std::byte> huge = {std::byte{0xff}, std::byte{0xff}, std::byte{0xff}, std::byte{0xff},
                                 std::byte{1}};
  EXPECT_FALSE(CountBytesElements(huge).ok());
}

}  // namespace
}  // namespace inferd::core
