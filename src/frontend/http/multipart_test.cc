#include "frontend/http/multipart.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace inferd::frontend::http {
namespace {

using ::testing::HasSubstr;

TEST(MultipartTest, BoundaryFromContentType) {
  EXPECT_EQ(*MultipartBoundary("multipart/form-data; boundary=abc123"), "abc123");
  EXPECT_EQ(*MultipartBoundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b\""), "a b");
  EXPECT_EQ(*MultipartBoundary("image/jpeg"), "");
  EXPECT_EQ(*MultipartBoundary(""), "");
  EXPECT_FALSE(MultipartBoundary("multipart/form-data").ok());
}

TEST(MultipartTest, FindsTheNamedFieldWithBinaryContent) {
  const std::string image("\xff\xd8\r\n--not-it\r\n\x00\x01", 14);
  const std::string body =
      "--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n"
      "--XyZ\r\ncontent-disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n"
      "Content-Type: image/jpeg\r\n\r\n" +
      image + "\r\n--XyZ--\r\n";
  auto file = MultipartField(body, "XyZ", "file");
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_EQ(*file, image);
  EXPECT_EQ(*MultipartField(body, "XyZ", "note"), "hello");
}

TEST(MultipartTest, MalformedBodiesAreInvalidArgument) {
  auto missing = MultipartField(
      "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n1\r\n--b--", "b", "file");
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(std::string(missing.status().message()), HasSubstr("no field named 'file'"));
  EXPECT_FALSE(MultipartField("no delimiter here", "b", "file").ok());
  EXPECT_FALSE(
      MultipartField("--b\r\nContent-Disposition: form-data; name=\"file\"", "b", "file").ok());
  EXPECT_FALSE(
      MultipartField("--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nunterminated",
                     "b", "file")
          .ok());
}

}  // namespace
}  // namespace inferd::frontend::http
