// Every datatype through the real server, as JSON and as binary tensors, on an identity model
// (identity_all_types: IN_<TYPE> -> OUT_<TYPE>), compared to what was sent.
#include "http_test_util.h"

namespace inferd::testing {
namespace {

struct TypeCase {
  std::string name;       // KServe datatype
  std::string suffix;     // IN_/OUT_ suffix in the model
  std::string json_data;  // two elements, as JSON
  std::string raw;        // the same two elements, binary
};

std::string U16(uint16_t a, uint16_t b) { return RawBytes(std::vector<uint16_t>{a, b}); }

std::vector<TypeCase> Cases() {
  return {
      {"BOOL", "BOOL", "true,false", std::string("\1\0", 2)},
      {"UINT8", "UINT8", "0,255", RawBytes(std::vector<uint8_t>{0, 255})},
      {"UINT16", "UINT16", "1,65535", RawBytes(std::vector<uint16_t>{1, 65535})},
      {"UINT32", "UINT32", "2,4294967295", RawBytes(std::vector<uint32_t>{2, 4294967295u})},
      {"UINT64", "UINT64", "3,18446744073709551615",
       RawBytes(std::vector<uint64_t>{3, 18446744073709551615ull})},
      {"INT8", "INT8", "-128,127", RawBytes(std::vector<int8_t>{-128, 127})},
      {"INT16", "INT16", "-32768,32767", RawBytes(std::vector<int16_t>{-32768, 32767})},
      {"INT32", "INT32", "-2147483648,7", RawBytes(std::vector<int32_t>{INT32_MIN, 7})},
      {"INT64", "INT64", "-9223372036854775808,9", RawBytes(std::vector<int64_t>{INT64_MIN, 9})},
      {"FP16", "FP16", "1.5,-2.0", U16(0x3E00, 0xC000)},
      {"BF16", "BF16", "1.5,-2.0", U16(0x3FC0, 0xC000)},
      {"FP32", "FP32", "0.25,-3.5", RawBytes(std::vector<float>{0.25f, -3.5f})},
      {"FP64", "FP64", "0.125,1e300", RawBytes(std::vector<double>{0.125, 1e300})},
      {"BYTES", "STRING", R"("hello","")", std::string("\5\0\0\0hello\0\0\0\0", 13)},
  };
}

// Equal as values: exact for integers, strings and booleans; numbers compared as doubles.
void ExpectSameValue(const rapidjson::Value& got, const rapidjson::Value& want) {
  if (want.IsString()) {
    ASSERT_TRUE(got.IsString());
    EXPECT_EQ(std::string(got.GetString(), got.GetStringLength()),
              std::string(want.GetString(), want.GetStringLength()));
  } else if (want.IsBool()) {
    ASSERT_TRUE(got.IsBool());
    EXPECT_EQ(got.GetBool(), want.GetBool());
  } else if (want.IsUint64()) {
    ASSERT_TRUE(got.IsUint64());
    EXPECT_EQ(got.GetUint64(), want.GetUint64());
  } else if (want.IsInt64()) {
    ASSERT_TRUE(got.IsInt64());
    EXPECT_EQ(got.GetInt64(), want.GetInt64());
  } else {
    ASSERT_TRUE(got.IsNumber());
    EXPECT_EQ(got.GetDouble(), want.GetDouble());
  }
}

class HttpDatatypesTest : public HttpServerSuite {
 protected:
  static void SetUpTestSuite() {
    StartServer({"--model-repository", SourcePath("tests/testdata/model_repository")});
  }
};

TEST_F(HttpDatatypesTest, JsonRoundTripsEveryType) {
  std::string inputs;
  for (const auto& t : Cases()) {
    inputs += (inputs.empty() ? "" : ",") + std::string(R"({"name":"IN_)") + t.suffix +
              R"(","shape":[1,2],"datatype":")" + t.name + R"(","data":[)" + t.json_data + "]}";
  }
  auto c = Connect();
  auto r = c.Post("/v2/models/identity_all_types/infer", "{\"inputs\":[" + inputs + "]}");
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->status, 200) << r->body;
  auto doc = ParseJson(r->body);
  std::map<std::string, const rapidjson::Value*> outputs;
  for (const auto& o : doc["outputs"].GetArray()) outputs[o["name"].GetString()] = &o;
  for (const auto& t : Cases()) {
    SCOPED_TRACE(t.name);
    ASSERT_TRUE(outputs.count("OUT_" + t.suffix));
    const auto& o = *outputs["OUT_" + t.suffix];
    EXPECT_EQ(std::string(o["datatype"].GetString()), t.name);
    auto sent = ParseJson("[" + t.json_data + "]");
    ASSERT_EQ(o["data"].Size(), sent.Size());
    for (rapidjson::SizeType i = 0; i < sent.Size(); ++i) ExpectSameValue(o["data"][i], sent[i]);
  }
}

TEST_F(HttpDatatypesTest, BinaryRoundTripsEveryType) {
  std::string header = R"({"parameters":{"binary_data_output":true},"inputs":[)";
  std::vector<std::string> tensors;
  bool first = true;
  for (const auto& t : Cases()) {
    header += (first ? "" : ",") + std::string(R"({"name":"IN_)") + t.suffix +
              R"(","shape":[1,2],"datatype":")" + t.name +
              R"(","parameters":{"binary_data_size":)" + std::to_string(t.raw.size()) + "}}";
    tensors.push_back(t.raw);
    first = false;
  }
  header += "]}";
  auto req = MakeBinaryBody(header, tensors);
  auto c = Connect();
  auto r = c.Post("/v2/models/identity_all_types/infer", req.body, req.headers);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->status, 200) << r->body;
  const size_t header_len = std::stoul(r->headers["inference-header-content-length"]);
  auto doc = ParseJson(r->body.substr(0, header_len));
  size_t offset = header_len;
  std::map<std::string, std::string> raw_out;
  for (const auto& o : doc["outputs"].GetArray()) {
    const size_t size = o["parameters"]["binary_data_size"].GetUint64();
    raw_out[o["name"].GetString()] = r->body.substr(offset, size);
    offset += size;
  }
  EXPECT_EQ(offset, r->body.size());
  for (const auto& t : Cases()) {
    SCOPED_TRACE(t.name);
    EXPECT_EQ(raw_out["OUT_" + t.suffix], t.raw);
  }
}

}  // namespace
}  // namespace inferd::testing
