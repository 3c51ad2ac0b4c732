// Compression through the Router (every dialect), against the fake facade (echo model: input "x"
// FP32 [-1,4], echoed as output "x").
#include "frontend/http/http_content_coding.h"

#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/content_coding.h"
#include "frontend/http/router.h"
#include "gtest/gtest.h"
#include "testing/fake_inference_service.h"

namespace inferd::frontend::http {
namespace {

namespace bhttp = boost::beast::http;

struct Exchange {
  bhttp::verb method;
  std::string target;
  std::string body;
  std::map<std::string, std::string> headers;
};

// A JSON infer request for `rows` rows of the echo model's [-1, 4] input.
std::string JsonInfer(int rows) {
  std::string data;
  for (int i = 0; i < rows * 4; ++i) data += (i ? "," : "") + std::to_string(i % 97);
  return R"({"inputs":[{"name":"x","shape":[)" + std::to_string(rows) +
         R"(,4],"datatype":"FP32","data":[)" + data + "]}]}";
}

// A binary-extension infer request: JSON header, then `rows` x 4 FP32 values.
Exchange BinaryInfer(int rows) {
  const std::string header = R"({"inputs":[{"name":"x","shape":[)" + std::to_string(rows) +
                             R"(,4],"datatype":"FP32","parameters":{"binary_data_size":)" +
                             std::to_string(rows * 16) +
                             R"(}}],"outputs":[{"name":"x","parameters":{"binary_data":true}}]})";
  std::string body = header;
  for (int i = 0; i < rows * 4; ++i) {
    const float value = static_cast<float>(i % 13);
    body.append(reinterpret_cast<const char*>(&value), sizeof(value));
  }
  return {bhttp::verb::post,
          "/v2/models/echo/infer",
          body,
          {{"Inference-Header-Content-Length", std::to_string(header.size())}}};
}

class HttpContentCodingTest : public ::testing::Test {
 protected:
  HttpResponse Call(const Exchange& exchange) {
    auto request = std::make_shared<HttpRequest>(exchange.method, exchange.target, 11);
    request->body() = exchange.body;
    for (const auto& [name, value] : exchange.headers) request->set(name, value);
    request->prepare_payload();
    std::optional<HttpResponse> out;
    router_.Handle(request, [&](HttpResponse response) { out = std::move(response); });
    EXPECT_TRUE(out.has_value());  // the fake completes inline
    return out.value_or(HttpResponse{});
  }

  // The same exchange with its body encoded by `coding`.
  HttpResponse CallEncoded(Exchange exchange, ContentCoding coding) {
    exchange.body = *EncodeContent(coding, exchange.body, 6);
    exchange.headers["Content-Encoding"] = ContentCodingName(coding);
    return Call(exchange);
  }

  testing::FakeInferenceService service_;
  Router router_{service_, DecodeLimits{size_t{1} << 20, 64}};
};

TEST_F(HttpContentCodingTest, CompressedRequestsAreServedLikePlainOnesInEveryDialect) {
  const std::vector<Exchange> exchanges = {
      {bhttp::verb::post, "/v2/models/echo/infer", JsonInfer(3), {}},
      BinaryInfer(5),
      {bhttp::verb::post, "/v2/models/nope/infer", JsonInfer(1), {}},
      {bhttp::verb::post, "/v2/repository/index", R"({"ready":true})", {}},
      {bhttp::verb::post, "/v1/models/echo:predict", R"({"instances": [[1, 2, 3, 4]]})", {}},
      {bhttp::verb::post,
       "/predictions/echo",
       "[[1, 2, 3, 4]]",
       {{"Content-Type", "application/json"}}},
      {bhttp::verb::post, "/predict/echo", "\xff\xd8\xff", {{"Content-Type", "image/jpeg"}}},
  };
  for (const Exchange& exchange : exchanges) {
    const HttpResponse plain = Call(exchange);
    for (auto coding : {ContentCoding::kGzip, ContentCoding::kDeflate}) {
      const HttpResponse decoded = CallEncoded(exchange, coding);
      EXPECT_EQ(decoded.result(), plain.result()) << exchange.target;
      EXPECT_EQ(decoded.body(), plain.body()) << exchange.target;
      EXPECT_EQ(decoded[bhttp::field::content_type], plain[bhttp::field::content_type]);
      EXPECT_EQ(decoded["Inference-Header-Content-Length"],
                plain["Inference-Header-Content-Length"]);
    }
  }
  EXPECT_EQ(Call(exchanges[1]).result(), bhttp::status::ok);  // the binary request really ran
}

TEST_F(HttpContentCodingTest, UnsupportedCodingIs415NamingTheSupportedOnes) {
  Exchange exchange{bhttp::verb::post, "/v2/models/echo/infer", JsonInfer(1), {}};
  for (const char* coding : {"br", "zstd", "gzip, deflate"}) {
    exchange.headers["Content-Encoding"] = coding;
    const HttpResponse response = Call(exchange);
    EXPECT_EQ(response.result(), bhttp::status::unsupported_media_type) << coding;
    EXPECT_EQ(response[bhttp::field::accept_encoding], "gzip, deflate");
    EXPECT_NE(response.body().find("unsupported Content-Encoding"), std::string::npos);
  }
  exchange.headers["Content-Encoding"] = "identity";
  EXPECT_EQ(Call(exchange).result(), bhttp::status::ok);
  // A coding on an empty body (a GET) has nothing to decode.
  EXPECT_EQ(
      Call({bhttp::verb::get, "/v2/health/ready", "", {{"Content-Encoding", "gzip"}}}).result(),
      bhttp::status::ok);
}

TEST_F(HttpContentCodingTest, BombIs413AndCorruptBodyIs400) {
  // ~1 KB of gzip that inflates to 1 MiB + 1 (the limit is 1 MiB).
  const std::string bomb =
      *EncodeContent(ContentCoding::kGzip, std::string((size_t{1} << 20) + 1, '\0'), 9);
  ASSERT_LT(bomb.size(), 2048u);
  Exchange exchange{
      bhttp::verb::post, "/v2/models/echo/infer", bomb, {{"Content-Encoding", "gzip"}}};
  const HttpResponse too_large = Call(exchange);
  EXPECT_EQ(too_large.result(), bhttp::status::payload_too_large);
  EXPECT_NE(too_large.body().find("exceeds the maximum input size"), std::string::npos);
  // The same with a trailer that understates the size: inflation itself stops at the limit.
  exchange.body.replace(exchange.body.size() - 4, 4, std::string("\x10\0\0\0", 4));
  EXPECT_EQ(Call(exchange).result(), bhttp::status::payload_too_large);

  exchange.body = "definitely not gzip";
  const HttpResponse corrupt = Call(exchange);
  EXPECT_EQ(corrupt.result(), bhttp::status::bad_request);
  EXPECT_NE(corrupt.body().find("gzip"), std::string::npos);
}

TEST_F(HttpContentCodingTest, ResponsesAreCompressedOnlyWhenAskedAndWorthIt) {
  Exchange large{bhttp::verb::post, "/v2/models/echo/infer", JsonInfer(200), {}};
  const HttpResponse plain = Call(large);
  ASSERT_EQ(plain.result(), bhttp::status::ok);
  ASSERT_GT(plain.body().size(), kMinCompressedResponseSize);
  EXPECT_EQ(plain.count(bhttp::field::content_encoding), 0u);
  EXPECT_EQ(plain.count(bhttp::field::vary), 0u);  // nothing negotiated

  for (auto [accept, coding] : {std::pair{"gzip", ContentCoding::kGzip},
                                std::pair{"deflate;q=0.9, gzip;q=0.5", ContentCoding::kDeflate},
                                std::pair{"br, *", ContentCoding::kGzip}}) {
    large.headers["Accept-Encoding"] = accept;
    const HttpResponse compressed = Call(large);
    EXPECT_EQ(compressed[bhttp::field::content_encoding], ContentCodingName(coding)) << accept;
    EXPECT_EQ(compressed[bhttp::field::vary], "Accept-Encoding");
    EXPECT_LT(compressed.body().size(), plain.body().size() / 2);
    EXPECT_EQ(*DecodeContent(coding, compressed.body(), 1 << 20), plain.body());
  }
  // Refused codings, and identity preferred: plain, but the answer still varies.
  for (const char* accept : {"br", "gzip;q=0", "identity, gzip;q=0.5"}) {
    large.headers["Accept-Encoding"] = accept;
    const HttpResponse refused = Call(large);
    EXPECT_EQ(refused.count(bhttp::field::content_encoding), 0u) << accept;
    EXPECT_EQ(refused[bhttp::field::vary], "Accept-Encoding");
    EXPECT_EQ(refused.body(), plain.body());
  }
  // A tiny answer stays plain.
  const HttpResponse tiny =
      Call({bhttp::verb::get, "/v2/health/ready", "", {{"Accept-Encoding", "gzip"}}});
  EXPECT_EQ(tiny.count(bhttp::field::content_encoding), 0u);
}

TEST_F(HttpContentCodingTest, BinaryResponseHeaderLengthRefersToTheDecodedBody) {
  Exchange exchange = BinaryInfer(400);
  exchange.headers["Accept-Encoding"] = "gzip";
  const HttpResponse response = CallEncoded(exchange, ContentCoding::kGzip);
  ASSERT_EQ(response.result(), bhttp::status::ok);
  EXPECT_EQ(response[bhttp::field::content_encoding], "gzip");
  const std::string body = *DecodeContent(ContentCoding::kGzip, response.body(), 1 << 20);
  const size_t header_length = std::stoul(std::string(response["Inference-Header-Content-Length"]));
  ASSERT_EQ(body.size(), header_length + 400 * 16);
  EXPECT_EQ(body[0], '{');
  EXPECT_EQ(body[header_length - 1], '}');
  float last = 0;
  std::memcpy(&last, body.data() + body.size() - 4, 4);
  EXPECT_EQ(last, static_cast<float>((400 * 4 - 1) % 13));
}

}  // namespace
}  // namespace inferd::frontend::http
