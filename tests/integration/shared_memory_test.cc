// The system shared-memory extension against the real binary, over HTTP and gRPC: a test creates
// POSIX shm objects, registers them, runs `simple` with its inputs read from and its outputs
// written into them, and checks status, unregister and the hostile cases (path keys, ranges past
// the end, unknown regions, too-small outputs, the restricted `shared-memory` category, CUDA).
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "client/http_connection.h"
#include "grpc_test_util.h"
#include "http_test_util.h"

namespace inferd::testing {
namespace {

constexpr char kShmHeader[] = "X-Shm-Key";
constexpr char kShmSecret[] = "shm-ok";

// A shm object of `size` bytes mapped in this process; unlinked and unmapped at the end.
class ShmObject {
 public:
  explicit ShmObject(const std::string& tag, size_t size)
      : key_("/inferd_it_" + tag + "_" + std::to_string(getpid())), size_(size) {
    shm_unlink(key_.c_str());
    const int fd = shm_open(key_.c_str(), O_CREAT | O_EXCL | O_RDWR, 0600);
    EXPECT_GE(fd, 0);
    EXPECT_EQ(ftruncate(fd, static_cast<off_t>(size)), 0);
    void* map = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    EXPECT_NE(map, MAP_FAILED);
    base_ = static_cast<char*>(map);
  }
  ~ShmObject() {
    munmap(base_, size_);
    shm_unlink(key_.c_str());
  }
  const std::string& key() const { return key_; }
  template <typename T>
  void Write(size_t offset, const std::vector<T>& values) {
    std::memcpy(base_ + offset, values.data(), values.size() * sizeof(T));
  }
  std::vector<int32_t> ReadInts(size_t offset, size_t count) const {
    std::vector<int32_t> out(count);
    std::memcpy(out.data(), base_ + offset, count * sizeof(int32_t));
    return out;
  }

 private:
  std::string key_;
  size_t size_;
  char* base_ = nullptr;
};

constexpr size_t kTensorBytes = 16 * sizeof(int32_t);

std::vector<int32_t> Iota(int32_t base) {
  std::vector<int32_t> out(16);
  for (int i = 0; i < 16; ++i) out[i] = base + i;
  return out;
}

std::vector<std::string> ServerArgs() {
  return {"--model-repository",
          SourcePath("examples/model_repository"),
          "--model-control-mode=explicit",
          "--load-model=simple",
          std::string("--http-restricted-api=shared-memory:") + kShmHeader + "=" + kShmSecret,
          std::string("--grpc-restricted-protocol=shared-memory:shm=") + kShmSecret,
          "--shared-memory-max-regions=4"};
}

class HttpSharedMemoryTest : public HttpServerSuite {
 protected:
  static void SetUpTestSuite() { StartServer(ServerArgs()); }
  void TearDown() override { Post("/v2/systemsharedmemory/unregister", ""); }

  static client::HttpResponse Post(const std::string& target, const std::string& body) {
    client::HttpConnection c = Connect();
    auto response = c.Post(target, body, {{kShmHeader, kShmSecret}});
    EXPECT_TRUE(response.ok()) << response.status();
    return response.ok() ? *response : client::HttpResponse{};
  }
  static client::HttpResponse Get(const std::string& target) {
    client::HttpConnection c = Connect();
    auto response = c.Request("GET", target, "", {{kShmHeader, kShmSecret}});
    EXPECT_TRUE(response.ok()) << response.status();
    return response.ok() ? *response : client::HttpResponse{};
  }
  static client::HttpResponse Register(const std::string& name, const std::string& key,
                                       uint64_t offset, uint64_t size) {
    return Post("/v2/systemsharedmemory/region/" + name + "/register",
                "{\"key\":\"" + key + "\",\"offset\":" + std::to_string(offset) +
                    ",\"byte_size\":" + std::to_string(size) + "}");
  }
};

std::string ShmParams(const std::string& region, size_t size, size_t offset) {
  return "{\"shared_memory_region\":\"" + region +
         "\",\"shared_memory_byte_size\":" + std::to_string(size) +
         ",\"shared_memory_offset\":" + std::to_string(offset) + "}";
}

TEST_F(HttpSharedMemoryTest, InferReadsInputsAndWritesOutputsInRegions) {
  ShmObject input("http_in", 2 * kTensorBytes);
  ShmObject output("http_out", 2 * kTensorBytes + 8);
  input.Write(0, Iota(10));
  input.Write(kTensorBytes, std::vector<int32_t>(16, 3));
  ASSERT_EQ(Register("in", input.key(), 0, 2 * kTensorBytes).status, 200);
  ASSERT_EQ(Register("out", output.key(), 8, 2 * kTensorBytes).status, 200);

  const std::string body =
      "{\"inputs\":[{\"name\":\"INPUT0\",\"datatype\":\"INT32\",\"shape\":[1,16],\"parameters\":" +
      ShmParams("in", kTensorBytes, 0) +
      "},{\"name\":\"INPUT1\",\"datatype\":\"INT32\",\"shape\":[1,16],\"parameters\":" +
      ShmParams("in", kTensorBytes, kTensorBytes) + "}],\"outputs\":[{\"name\":\"OUTPUT0\"," +
      "\"parameters\":" + ShmParams("out", kTensorBytes, 0) +
      "},{\"name\":\"OUTPUT1\",\"parameters\":" + ShmParams("out", kTensorBytes, kTensorBytes) +
      "}]}";
  auto response = Post("/v2/models/simple/infer", body);
  ASSERT_EQ(response.status, 200) << response.body;
  auto doc = ParseJson(response.body);
  ASSERT_EQ(doc["outputs"].Size(), 2u);
  EXPECT_FALSE(doc["outputs"][0].HasMember("data"));
  EXPECT_STREQ(doc["outputs"][0]["parameters"]["shared_memory_region"].GetString(), "out");
  const auto sum = output.ReadInts(8, 16);
  const auto diff = output.ReadInts(8 + kTensorBytes, 16);
  for (int i = 0; i < 16; ++i) {
    EXPECT_EQ(sum[i], 13 + i);
    EXPECT_EQ(diff[i], 7 + i);
  }

  auto status = Get("/v2/systemsharedmemory/status");
  ASSERT_EQ(status.status, 200);
  auto regions = ParseJson(status.body);
  ASSERT_TRUE(regions.IsArray());
  EXPECT_EQ(regions.Size(), 2u);
  auto one = ParseJson(Get("/v2/systemsharedmemory/region/out/status").body);
  ASSERT_EQ(one.Size(), 1u);
  EXPECT_EQ(one[0]["key"].GetString(), output.key());
  EXPECT_EQ(one[0]["offset"].GetUint64(), 8u);
  EXPECT_EQ(one[0]["byte_size"].GetUint64(), 2 * kTensorBytes);

  EXPECT_EQ(Post("/v2/systemsharedmemory/region/in/unregister", "").status, 200);
  EXPECT_EQ(ParseJson(Get("/v2/systemsharedmemory/status").body).Size(), 1u);
  // The region is gone: a request naming it is a clear error.
  auto gone = Post("/v2/models/simple/infer", body);
  EXPECT_NE(gone.status, 200);
  EXPECT_NE(gone.body.find("Unable to find system shared memory region: 'in'"), std::string::npos)
      << gone.body;
}

TEST_F(HttpSharedMemoryTest, HostileRegistrationsAreRefused) {
  ShmObject object("http_bad", 128);
  for (const std::string key : {"../x", "/x/y", "/..", ""}) {
    auto refused = Register("r", key, 0, 16);
    EXPECT_EQ(refused.status, 400) << key;
    EXPECT_NE(refused.body.find("POSIX shared memory name"), std::string::npos) << refused.body;
  }
  auto past_end = Register("r", object.key(), 100, 64);
  EXPECT_EQ(past_end.status, 400);
  EXPECT_NE(past_end.body.find("past the end"), std::string::npos) << past_end.body;
  EXPECT_EQ(Register("r", "/inferd_no_such_object", 0, 16).status, 400);
  auto bad_body = Post("/v2/systemsharedmemory/region/r/register", "{\"key\":1}");
  EXPECT_EQ(bad_body.status, 400);

  auto unknown = Post("/v2/systemsharedmemory/region/nope/unregister", "");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_NE(unknown.body.find("Unable to find system shared memory region: 'nope'"),
            std::string::npos);
  EXPECT_EQ(Get("/v2/systemsharedmemory/region/nope/status").status, 404);

  ASSERT_EQ(Register("r", object.key(), 0, 128).status, 200);
  EXPECT_EQ(Register("r", object.key(), 0, 128).status, 400);  // already registered
  for (int i = 0; i < 3; ++i) Register("more" + std::to_string(i), object.key(), 0, 128);
  EXPECT_EQ(Register("over", object.key(), 0, 128).status, 400);  // --shared-memory-max-regions
}

TEST_F(HttpSharedMemoryTest, InferRangesAreBoundsChecked) {
  ShmObject object("http_range", kTensorBytes);
  ASSERT_EQ(Register("small", object.key(), 0, kTensorBytes).status, 200);
  const std::string inputs =
      "\"inputs\":[{\"name\":\"INPUT0\",\"datatype\":\"INT32\",\"shape\":[1,16],\"parameters\":" +
      ShmParams("small", kTensorBytes, 0) +
      "},{\"name\":\"INPUT1\",\"datatype\":\"INT32\",\"shape\":[1,16],\"parameters\":" +
      ShmParams("small", kTensorBytes, 4) + "}]";
  auto past_end = Post("/v2/models/simple/infer", "{" + inputs + "}");
  EXPECT_EQ(past_end.status, 400);
  EXPECT_NE(past_end.body.find("Invalid offset + byte size"), std::string::npos) << past_end.body;

  const std::string ok_inputs =
      "\"inputs\":[{\"name\":\"INPUT0\",\"datatype\":\"INT32\",\"shape\":[1,16],\"parameters\":" +
      ShmParams("small", kTensorBytes, 0) +
      "},{\"name\":\"INPUT1\",\"datatype\":\"INT32\",\"shape\":[1,16],\"parameters\":" +
      ShmParams("small", kTensorBytes, 0) + "}]";
  auto too_small = Post("/v2/models/simple/infer",
                        "{" + ok_inputs + ",\"outputs\":[{\"name\":\"OUTPUT0\",\"parameters\":" +
                            ShmParams("small", 8, 0) + "}]}");
  EXPECT_EQ(too_small.status, 400);
  EXPECT_NE(too_small.body.find("should be at least 64 bytes to hold the results"),
            std::string::npos)
      << too_small.body;
}

TEST_F(HttpSharedMemoryTest, CategoryIsRestrictedAndCudaIsNotSupported) {
  client::HttpConnection c = Connect();
  auto refused = c.Get("/v2/systemsharedmemory/status");
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(refused->status, 403);
  EXPECT_EQ(Get("/v2/cudasharedmemory/status").body, "[]");
  auto cuda = Post("/v2/cudasharedmemory/region/g/register",
                   R"({"raw_handle":{"b64":""},"device_id":0,"byte_size":16})");
  EXPECT_EQ(cuda.status, 400);
  EXPECT_NE(cuda.body.find("not supported on this server"), std::string::npos);
  EXPECT_EQ(Post("/v2/cudasharedmemory/unregister", "").status, 200);

  auto metadata = ParseJson(c.Get("/v2")->body);
  bool listed = false;
  for (const auto& extension : metadata["extensions"].GetArray()) {
    listed = listed || std::string(extension.GetString()) == "system_shared_memory";
    EXPECT_STRNE(extension.GetString(), "cuda_shared_memory");
  }
  EXPECT_TRUE(listed);
}

class GrpcSharedMemoryTest : public GrpcServerSuite {
 protected:
  static void SetUpTestSuite() { StartServer(ServerArgs()); }
  void TearDown() override {
    ::grpc::ClientContext context;
    Prepare(context);
    ::inference::SystemSharedMemoryUnregisterResponse response;
    stub_->SystemSharedMemoryUnregister(&context, {}, &response);
  }
  static void Prepare(::grpc::ClientContext& context) {
    Bound(context);
    context.AddMetadata("triton-grpc-protocol-shm", kShmSecret);
  }
  static ::grpc::Status Register(const std::string& name, const std::string& key, uint64_t offset,
                                 uint64_t size) {
    ::grpc::ClientContext context;
    Prepare(context);
    ::inference::SystemSharedMemoryRegisterRequest request;
    request.set_name(name);
    request.set_key(key);
    request.set_offset(offset);
    request.set_byte_size(size);
    ::inference::SystemSharedMemoryRegisterResponse response;
    return stub_->SystemSharedMemoryRegister(&context, request, &response);
  }
};

void SetShm(google::protobuf::Map<std::string, ::inference::InferParameter>& params,
            const std::string& region, int64_t size, int64_t offset) {
  params["shared_memory_region"].set_string_param(region);
  params["shared_memory_byte_size"].set_int64_param(size);
  params["shared_memory_offset"].set_int64_param(offset);
}

TEST_F(GrpcSharedMemoryTest, InferReadsInputsAndWritesOutputsInRegions) {
  ShmObject input("grpc_in", kTensorBytes);
  ShmObject output("grpc_out", kTensorBytes);
  input.Write(0, Iota(100));
  ASSERT_TRUE(Register("in", input.key(), 0, kTensorBytes).ok());
  ASSERT_TRUE(Register("out", output.key(), 0, kTensorBytes).ok());

  // INPUT0 from shared memory, INPUT1 raw: raw entries go to the inputs not in shared memory.
  ModelInferRequest request;
  request.set_model_name("simple");
  auto* in0 = request.add_inputs();
  in0->set_name("INPUT0");
  in0->set_datatype("INT32");
  in0->add_shape(1);
  in0->add_shape(16);
  SetShm(*in0->mutable_parameters(), "in", kTensorBytes, 0);
  auto* in1 = request.add_inputs();
  in1->set_name("INPUT1");
  in1->set_datatype("INT32");
  in1->add_shape(1);
  in1->add_shape(16);
  request.add_raw_input_contents(RawBytes(std::vector<int32_t>(16, 1)));
  auto* out0 = request.add_outputs();
  out0->set_name("OUTPUT0");
  SetShm(*out0->mutable_parameters(), "out", kTensorBytes, 0);
  request.add_outputs()->set_name("OUTPUT1");

  ::grpc::ClientContext context;
  Bound(context);
  ModelInferResponse response;
  auto status = stub_->ModelInfer(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(response.outputs_size(), 2);
  ASSERT_EQ(response.raw_output_contents_size(), 2);
  EXPECT_TRUE(response.raw_output_contents(0).empty());
  EXPECT_EQ(FromRaw<int32_t>(response.raw_output_contents(1)), Iota(99));
  EXPECT_EQ(output.ReadInts(0, 16), Iota(101));

  ::grpc::ClientContext status_context;
  Prepare(status_context);
  ::inference::SystemSharedMemoryStatusResponse regions;
  ASSERT_TRUE(stub_->SystemSharedMemoryStatus(&status_context, {}, &regions).ok());
  ASSERT_EQ(regions.regions_size(), 2);
  EXPECT_EQ(regions.regions().at("in").key(), input.key());
  EXPECT_EQ(regions.regions().at("in").byte_size(), kTensorBytes);
}

TEST_F(GrpcSharedMemoryTest, HostileCallsAreRefused) {
  ShmObject object("grpc_bad", 64);
  EXPECT_EQ(Register("r", "../x", 0, 8).error_code(), ::grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Register("r", "/x/y", 0, 8).error_code(), ::grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Register("r", object.key(), 60, 8).error_code(), ::grpc::StatusCode::INVALID_ARGUMENT);

  ::grpc::ClientContext unregister_context;
  Prepare(unregister_context);
  ::inference::SystemSharedMemoryUnregisterRequest unknown;
  unknown.set_name("nope");
  ::inference::SystemSharedMemoryUnregisterResponse unregistered;
  EXPECT_EQ(
      stub_->SystemSharedMemoryUnregister(&unregister_context, unknown, &unregistered).error_code(),
      ::grpc::StatusCode::NOT_FOUND);

  // Restricted category: no header, refused as Triton refuses.
  ::grpc::ClientContext bare;
  Bound(bare);
  ::inference::SystemSharedMemoryStatusResponse regions;
  EXPECT_EQ(stub_->SystemSharedMemoryStatus(&bare, {}, &regions).error_code(),
            ::grpc::StatusCode::UNAVAILABLE);

  // An input naming an unknown region.
  ModelInferRequest request = SimpleRequest(0, true);
  request.clear_raw_input_contents();
  SetShm(*request.mutable_inputs(0)->mutable_parameters(), "missing", kTensorBytes, 0);
  SetShm(*request.mutable_inputs(1)->mutable_parameters(), "missing", kTensorBytes, 0);
  ::grpc::ClientContext infer_context;
  Bound(infer_context);
  ModelInferResponse response;
  auto status = stub_->ModelInfer(&infer_context, request, &response);
  EXPECT_EQ(status.error_code(), ::grpc::StatusCode::NOT_FOUND);
  EXPECT_NE(status.error_message().find("'missing'"), std::string::npos);

  ::grpc::ClientContext cuda_context;
  Prepare(cuda_context);
  ::inference::CudaSharedMemoryStatusResponse cuda;
  EXPECT_TRUE(stub_->CudaSharedMemoryStatus(&cuda_context, {}, &cuda).ok());
  EXPECT_EQ(cuda.regions_size(), 0);
  ::grpc::ClientContext cuda_register_context;
  Prepare(cuda_register_context);
  ::inference::CudaSharedMemoryRegisterResponse cuda_registered;
  auto cuda_status = stub_->CudaSharedMemoryRegister(&cuda_register_context, {}, &cuda_registered);
  EXPECT_EQ(cuda_status.error_code(), ::grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(cuda_status.error_message().find("not supported on this server"), std::string::npos);
}

}  // namespace
}  // namespace inferd::testing
