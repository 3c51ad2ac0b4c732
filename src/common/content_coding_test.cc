#include "common/content_coding.h"

#include <zlib.h>

#include <chrono>
#include <random>
#include <string>

#include "gtest/gtest.h"

namespace inferd {
namespace {

std::string Pattern(size_t size) {
  std::string text;
  text.reserve(size);
  while (text.size() < size) text += "{\"name\":\"INPUT0\",\"data\":[1,2,3,4]},";
  text.resize(size);
  return text;
}

std::string RandomBytes(size_t size) {
  std::mt19937 rng(7);
  std::string bytes(size, '\0');
  for (char& c : bytes) c = static_cast<char>(rng());
  return bytes;
}

// Raw deflate (no zlib header), as some clients send for "deflate".
std::string RawDeflate(const std::string& data) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&z, data.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

TEST(ContentCodingTest, ParsesContentEncoding) {
  EXPECT_EQ(ParseContentEncoding(""), ContentCoding::kIdentity);
  EXPECT_EQ(ParseContentEncoding("identity"), ContentCoding::kIdentity);
  EXPECT_EQ(ParseContentEncoding(" GZip "), ContentCoding::kGzip);
  EXPECT_EQ(ParseContentEncoding("x-gzip"), ContentCoding::kGzip);
  EXPECT_EQ(ParseContentEncoding("Deflate"), ContentCoding::kDeflate);
  EXPECT_EQ(ParseContentEncoding("br"), std::nullopt);
  EXPECT_EQ(ParseContentEncoding("zstd"), std::nullopt);
  EXPECT_EQ(ParseContentEncoding("gzip, deflate"), std::nullopt);
}

TEST(ContentCodingTest, NegotiatesAcceptEncodingWithQValues) {
  EXPECT_EQ(NegotiateAcceptEncoding(""), ContentCoding::kIdentity);
  EXPECT_EQ(NegotiateAcceptEncoding("gzip"), ContentCoding::kGzip);
  EXPECT_EQ(NegotiateAcceptEncoding("deflate"), ContentCoding::kDeflate);
  EXPECT_EQ(NegotiateAcceptEncoding("br"), ContentCoding::kIdentity);
  EXPECT_EQ(NegotiateAcceptEncoding("deflate, gzip"), ContentCoding::kDeflate);  // first on a tie
  EXPECT_EQ(NegotiateAcceptEncoding("deflate;q=0.5, gzip"), ContentCoding::kGzip);
  EXPECT_EQ(NegotiateAcceptEncoding("gzip; q=0.2, deflate ; Q=0.8"), ContentCoding::kDeflate);
  EXPECT_EQ(NegotiateAcceptEncoding("gzip;q=0"), ContentCoding::kIdentity);
  EXPECT_EQ(NegotiateAcceptEncoding("identity;q=1, gzip;q=0.5"), ContentCoding::kIdentity);
  EXPECT_EQ(NegotiateAcceptEncoding("gzip, identity;q=0"), ContentCoding::kGzip);
  EXPECT_EQ(NegotiateAcceptEncoding("*"), ContentCoding::kGzip);
  EXPECT_EQ(NegotiateAcceptEncoding("gzip;q=0, *"), ContentCoding::kDeflate);
  EXPECT_EQ(NegotiateAcceptEncoding("br, x-gzip;q=0.9"), ContentCoding::kGzip);
  // Malformed q-values are skipped, not guessed.
  EXPECT_EQ(NegotiateAcceptEncoding("gzip;q=abc"), ContentCoding::kIdentity);
  EXPECT_EQ(NegotiateAcceptEncoding("gzip;q=2, deflate;q=0.1"), ContentCoding::kDeflate);
  EXPECT_EQ(NegotiateAcceptEncoding(",,;q=1, gzip;q=0.3"), ContentCoding::kGzip);
}

TEST(ContentCodingTest, RoundTripsEveryCoding) {
  for (const std::string& data : {Pattern(100000), RandomBytes(70000), std::string("x")}) {
    for (auto coding : {ContentCoding::kGzip, ContentCoding::kDeflate, ContentCoding::kIdentity}) {
      for (int level : {1, 6, 9}) {
        auto encoded = EncodeContent(coding, data, level);
        ASSERT_TRUE(encoded.ok()) << encoded.status();
        auto decoded = DecodeContent(coding, *encoded, data.size());
        ASSERT_TRUE(decoded.ok()) << ContentCodingName(coding) << ": " << decoded.status();
        EXPECT_EQ(*decoded, data);
      }
    }
  }
  const std::string text = Pattern(100000);
  EXPECT_LT(EncodeContent(ContentCoding::kGzip, text)->size(), text.size() / 10);
}

TEST(ContentCodingTest, AcceptsRawDeflateAndConcatenatedGzipMembers) {
  const std::string data = Pattern(5000);
  auto raw = DecodeContent(ContentCoding::kDeflate, RawDeflate(data), 1 << 20);
  ASSERT_TRUE(raw.ok()) << raw.status();
  EXPECT_EQ(*raw, data);

  const std::string two_members =
      *EncodeContent(ContentCoding::kGzip, "abc") + *EncodeContent(ContentCoding::kGzip, "def");
  auto joined = DecodeContent(ContentCoding::kGzip, two_members, 100);
  ASSERT_TRUE(joined.ok()) << joined.status();
  EXPECT_EQ(*joined, "abcdef");
}

TEST(ContentCodingTest, RejectsCorruptTruncatedAndTrailingData) {
  const std::string gz = *EncodeContent(ContentCoding::kGzip, Pattern(5000));
  for (const std::string& bad :
       {std::string("not gzip at all"), gz.substr(0, gz.size() / 2), gz + "junk", std::string()}) {
    auto decoded = DecodeContent(ContentCoding::kGzip, bad, 1 << 20);
    EXPECT_TRUE(absl::IsInvalidArgument(decoded.status())) << decoded.status();
  }
  auto deflated = DecodeContent(ContentCoding::kDeflate, "\x78\x9c garbage", 1 << 20);
  EXPECT_TRUE(absl::IsInvalidArgument(deflated.status())) << deflated.status();
  // A flipped byte in the payload fails the CRC or the stream.
  std::string flipped = gz;
  flipped[flipped.size() / 2] ^= 0x55;
  EXPECT_FALSE(DecodeContent(ContentCoding::kGzip, flipped, 1 << 20).ok());
}

TEST(ContentCodingTest, LimitIsExactAndBombsStopEarly) {
  const std::string data(1000, 'a');
  for (auto coding : {ContentCoding::kGzip, ContentCoding::kDeflate, ContentCoding::kIdentity}) {
    const std::string encoded = *EncodeContent(coding, data, 9);
    EXPECT_TRUE(DecodeContent(coding, encoded, 1000).ok());
    EXPECT_TRUE(absl::IsResourceExhausted(DecodeContent(coding, encoded, 999).status()));
  }

  // ~1 GB of zeros in ~1 MB of gzip, against a 1 MB limit: refused after inflating 1 MB.
  std::string zeros(size_t{64} << 20, '\0');
  std::string bomb_member = *EncodeContent(ContentCoding::kGzip, zeros, 9);
  std::string bomb;
  for (int i = 0; i < 16; ++i) bomb += bomb_member;  // 16 members: 1 GiB decoded
  zeros.clear();
  zeros.shrink_to_fit();
  const auto start = std::chrono::steady_clock::now();
  auto decoded = DecodeContent(ContentCoding::kGzip, bomb, size_t{1} << 20);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(absl::IsResourceExhausted(decoded.status())) << decoded.status();
  EXPECT_LT(elapsed, std::chrono::milliseconds(200));  // refused from its trailer

  // The same bomb with a trailer that understates its size: inflation itself stops at the limit.
  bomb.replace(bomb.size() - 4, 4, std::string("\x10\x00\x00\x00", 4));
  const auto lying_start = std::chrono::steady_clock::now();
  decoded = DecodeContent(ContentCoding::kGzip, bomb, size_t{1} << 20);
  const auto lying_elapsed = std::chrono::steady_clock::now() - lying_start;
  EXPECT_TRUE(absl::IsResourceExhausted(decoded.status())) << decoded.status();
  EXPECT_LT(lying_elapsed, std::chrono::milliseconds(200));  // 1 MB of inflate, not 1 GiB
}

}  // namespace
}  // namespace inferd
