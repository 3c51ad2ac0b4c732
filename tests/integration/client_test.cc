// The C++ client library against the real server, over HTTP and gRPC: every call, including the
// error paths; plus timeouts and the 503 retry against a scripted fake server.
#include <gtest/gtest.h>

#include "absl/synchronization/mutex.h"
#include "client/grpc_client.h"
#include "client/inference_client.h"
#include "server_process.h"
#include "testing/fake_http_server.h"

namespace inferd::testing {
namespace {

using client::InferInput;
using client::InferOptions;
using client::InferRequestedOutput;
using client::InferResult;
using client::Protocol;

constexpr char kModel[] = "simple_copy";  // INPUT0 + INPUT1 -> OUTPUT0 = sum, OUTPUT1 = diff

std::vector<InferInput> SimpleInputs(int32_t base) {
  std::vector<int32_t> x(16), ones(16, 1);
  for (int i = 0; i < 16; ++i) x[i] = base + i;
  std::vector<InferInput> inputs{InferInput("INPUT0", {1, 16}, "INT32"),
                                 InferInput("INPUT1", {1, 16}, "INT32")};
  EXPECT_TRUE(inputs[0].SetData(x).ok());
  EXPECT_TRUE(inputs[1].SetData(ones).ok());
  return inputs;
}

void ExpectSimpleResult(const StatusOr<InferResult>& result, int32_t base) {
  ASSERT_TRUE(result.ok()) << result.status();
  auto sum = result->As<int32_t>("OUTPUT0");
  auto diff = result->As<int32_t>("OUTPUT1");
  ASSERT_TRUE(sum.ok()) << sum.status();
  ASSERT_TRUE(diff.ok()) << diff.status();
  ASSERT_EQ(sum->size(), 16u);
  for (int i = 0; i < 16; ++i) {
    EXPECT_EQ((*sum)[i], base + i + 1);
    EXPECT_EQ((*diff)[i], base + i - 1);
  }
  EXPECT_EQ(*result->Shape("OUTPUT0"), (std::vector<int64_t>{1, 16}));
}

// Every input of identity_all_types (OUT_x = IN_x), shape [1, 2].
std::vector<InferInput> AllTypesInputs() {
  std::vector<InferInput> inputs;
  auto add = [&](const std::string& suffix, const std::string& datatype) -> InferInput& {
    return inputs.emplace_back("IN_" + suffix, std::vector<int64_t>{1, 2}, datatype);
  };
  for (const char* t : {"UINT8", "INT8"}) add(t, t).SetRaw(std::string("\x01\x02", 2));
  for (const char* t : {"UINT16", "INT16"}) add(t, t).SetRaw(std::string("\x01\x00\x02\x00", 4));
  EXPECT_TRUE(add("UINT32", "UINT32").SetData(std::vector<uint32_t>{1, 4000000000u}).ok());
  EXPECT_TRUE(add("INT32", "INT32").SetData(std::vector<int32_t>{-1, 2}).ok());
  EXPECT_TRUE(add("UINT64", "UINT64").SetData(std::vector<uint64_t>{1, uint64_t{1} << 63}).ok());
  EXPECT_TRUE(add("INT64", "INT64").SetData(std::vector<int64_t>{-(int64_t{1} << 40), 7}).ok());
  EXPECT_TRUE(add("FP16", "FP16").SetData(std::vector<uint16_t>{0x3c00, 0xc000}).ok());  // 1, -2
  EXPECT_TRUE(add("BF16", "BF16").SetData(std::vector<uint16_t>{0x3f80, 0xc000}).ok());  // 1, -2
  EXPECT_TRUE(add("FP32", "FP32").SetData(std::vector<float>{1.5f, -2.25f}).ok());
  EXPECT_TRUE(add("FP64", "FP64").SetData(std::vector<double>{0.1, -1e300}).ok());
  EXPECT_TRUE(add("BOOL", "BOOL").SetBools({true, false}).ok());
  EXPECT_TRUE(add("STRING", "BYTES").SetStrings({"hello", std::string("a\0b", 3)}).ok());
  return inputs;
}

void ExpectAllTypesEcho(const StatusOr<InferResult>& result) {
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(*result->As<float>("OUT_FP32"), (std::vector<float>{1.5f, -2.25f}));
  EXPECT_EQ(*result->As<double>("OUT_FP64"), (std::vector<double>{0.1, -1e300}));
  EXPECT_EQ(*result->As<int64_t>("OUT_INT64"), (std::vector<int64_t>{-(int64_t{1} << 40), 7}));
  EXPECT_EQ(*result->As<uint64_t>("OUT_UINT64"), (std::vector<uint64_t>{1, uint64_t{1} << 63}));
  EXPECT_EQ(*result->As<uint32_t>("OUT_UINT32"), (std::vector<uint32_t>{1, 4000000000u}));
  EXPECT_EQ(*result->As<int8_t>("OUT_INT8"), (std::vector<int8_t>{1, 2}));
  EXPECT_EQ(*result->Bools("OUT_BOOL"), (std::vector<bool>{true, false}));
  EXPECT_EQ(*result->StringData("OUT_STRING"),
            (std::vector<std::string>{"hello", std::string("a\0b", 3)}));
  EXPECT_EQ(*result->RawData("OUT_FP16"), std::string("\x00\x3c\x00\xc0", 4));
  EXPECT_EQ(*result->RawData("OUT_BF16"), std::string("\x80\x3f\x00\xc0", 4));
}

class ClientTest : public ::testing::TestWithParam<Protocol> {
 protected:
  static void SetUpTestSuite() {
    auto started =
        ServerProcess::Start({"--model-repository", SourcePath("tests/testdata/model_repository")});
    ASSERT_TRUE(started.ok()) << started.status();
    server_ = std::move(started).value();
  }
  static void TearDownTestSuite() { server_.reset(); }

  static std::string Url(Protocol protocol) {
    return "127.0.0.1:" + std::to_string(protocol == Protocol::kHttp ? server_->http_port()
                                                                     : server_->grpc_port());
  }
  std::unique_ptr<client::InferenceClient> Make(client::ClientOptions options = {}) {
    options.url = Url(GetParam());
    auto made = client::CreateClient(GetParam(), options);
    EXPECT_TRUE(made.ok()) << made.status();
    return std::move(made).value();
  }

  static inline std::unique_ptr<ServerProcess> server_;
};

TEST_P(ClientTest, Health) {
  auto c = Make();
  EXPECT_TRUE(*c->IsServerLive());
  EXPECT_TRUE(*c->IsServerReady());
  EXPECT_TRUE(*c->IsModelReady(kModel));
  EXPECT_TRUE(*c->IsModelReady(kModel, "1"));
  EXPECT_FALSE(*c->IsModelReady("no_such_model"));
}

TEST_P(ClientTest, MetadataAndConfig) {
  auto c = Make();
  auto server = c->GetServerMetadata();
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_EQ(server->name, "inferd");
  EXPECT_FALSE(server->version.empty());

  auto model = c->GetModelMetadata(kModel);
  ASSERT_TRUE(model.ok()) << model.status();
  EXPECT_EQ(model->name, kModel);
  ASSERT_EQ(model->inputs.size(), 2u);
  EXPECT_EQ(model->inputs[0].name, "INPUT0");
  EXPECT_EQ(model->inputs[0].datatype, "INT32");
  EXPECT_EQ(model->inputs[0].shape, (std::vector<int64_t>{-1, 16}));
  EXPECT_EQ(model->outputs.size(), 2u);

  auto config = c->GetModelConfig(kModel);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->max_batch_size, 8);
  EXPECT_NE(config->json.find("\"INPUT0\""), std::string::npos) << config->json;

  EXPECT_TRUE(absl::IsNotFound(c->GetModelMetadata("no_such_model").status()));
  EXPECT_TRUE(absl::IsNotFound(c->GetModelConfig("no_such_model").status()));
}

TEST_P(ClientTest, RepositoryIndexAndControlErrors) {
  auto c = Make();
  auto index = c->RepositoryIndex();
  ASSERT_TRUE(index.ok()) << index.status();
  bool found = false;
  for (const auto& m : *index) found |= m.name == kModel && m.state == "READY";
  EXPECT_TRUE(found);
  auto ready = c->RepositoryIndex(/*ready_only=*/true);
  ASSERT_TRUE(ready.ok());
  for (const auto& m : *ready) EXPECT_EQ(m.state, "READY");
  // Model control mode "none": load and unload are refused (never retried), with a reason.
  const Status load = c->LoadModel(kModel, R"({"max_batch_size": 4})");
  EXPECT_FALSE(load.ok());
  EXPECT_FALSE(load.message().empty());
  EXPECT_FALSE(c->UnloadModel(kModel).ok());
}

TEST_P(ClientTest, InferAndStatistics) {
  auto c = Make();
  auto before = c->GetModelStatistics(kModel, "1");
  ASSERT_TRUE(before.ok()) << before.status();
  ASSERT_EQ(before->size(), 1u);
  InferOptions options(kModel);
  options.request_id = "req-7";
  options.priority = 1;
  options.timeout_us = 10'000'000;
  for (int i = 0; i < 3; ++i) {
    auto result = c->Infer(options, SimpleInputs(10 * i));
    ExpectSimpleResult(result, 10 * i);
    EXPECT_EQ(result->id(), "req-7");
    EXPECT_EQ(result->model_name(), kModel);
    EXPECT_EQ(result->model_version(), "1");
  }
  auto after = c->GetModelStatistics(kModel, "1");
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ((*after)[0].success.count - (*before)[0].success.count, 3u);
  EXPECT_GE((*after)[0].inference_count - (*before)[0].inference_count, 3u);
  EXPECT_GT((*after)[0].compute_infer.ns, (*before)[0].compute_infer.ns);
  auto all = c->GetModelStatistics();
  ASSERT_TRUE(all.ok());
  EXPECT_GE(all->size(), 2u);
}

TEST_P(ClientTest, RequestedOutputsAndTypedAccessors) {
  auto c = Make();
  auto result = c->Infer(InferOptions(kModel), SimpleInputs(5), {InferRequestedOutput("OUTPUT1")});
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->outputs().size(), 1u);
  EXPECT_EQ(*result->Datatype("OUTPUT1"), "INT32");
  EXPECT_TRUE(absl::IsNotFound(result->RawData("OUTPUT0").status()));
  EXPECT_TRUE(absl::IsInvalidArgument(result->As<float>("OUTPUT1").status()));
  EXPECT_EQ(result->RawData("OUTPUT1")->size(), 64u);
}

TEST_P(ClientTest, AllDatatypesRoundTrip) {
  auto c = Make();
  ExpectAllTypesEcho(c->Infer(InferOptions("identity_all_types"), AllTypesInputs()));
}

TEST_P(ClientTest, InferErrors) {
  auto c = Make();
  EXPECT_TRUE(absl::IsNotFound(c->Infer(InferOptions("no_such_model"), SimpleInputs(0)).status()));
  auto wrong = SimpleInputs(0);
  wrong[0].SetShape({1, 8});  // data no longer matches: caught before sending
  EXPECT_TRUE(absl::IsInvalidArgument(c->Infer(InferOptions(kModel), wrong).status()));
  std::vector<InferInput> bad_shape{InferInput("INPUT0", {1, 8}, "INT32"),
                                    InferInput("INPUT1", {1, 8}, "INT32")};
  ASSERT_TRUE(bad_shape[0].SetData(std::vector<int32_t>(8, 1)).ok());
  ASSERT_TRUE(bad_shape[1].SetData(std::vector<int32_t>(8, 1)).ok());
  const Status server_side = c->Infer(InferOptions(kModel), bad_shape).status();
  EXPECT_TRUE(absl::IsInvalidArgument(server_side)) << server_side;
  InferOptions bad_version(kModel);
  bad_version.model_version = "9";
  EXPECT_FALSE(c->Infer(bad_version, SimpleInputs(0)).ok());
}

TEST_P(ClientTest, AsyncInferManyInFlight) {
  auto c = Make();
  constexpr int kRequests = 64;
  absl::Mutex mutex;
  int completed = 0;
  int correct = 0;
  for (int i = 0; i < kRequests; ++i) {
    c->AsyncInfer(
        [&, i](StatusOr<InferResult> result) {
          bool ok = result.ok() && result->As<int32_t>("OUTPUT0").ok() &&
                    (*result->As<int32_t>("OUTPUT0"))[0] == i + 1;
          absl::MutexLock lock(&mutex);
          correct += ok ? 1 : 0;
          ++completed;
        },
        InferOptions(kModel), SimpleInputs(i));
  }
  {
    absl::MutexLock lock(&mutex);
    ASSERT_TRUE(mutex.AwaitWithTimeout(absl::Condition(
                                           +[](int* n) { return *n == kRequests; }, &completed),
                                       absl::Seconds(60)));
    EXPECT_EQ(correct, kRequests);
  }
  bool error_seen = false;
  c->AsyncInfer([&](StatusOr<InferResult> r) { error_seen = absl::IsNotFound(r.status()); },
                InferOptions("no_such_model"), SimpleInputs(0));
  c.reset();  // waits for the outstanding call
  EXPECT_TRUE(error_seen);
}

// A prepared request is sent many times, concurrently, and every send reaches the server (its
// statistics count them); a server-side error comes back as the same Status as from Infer.
TEST_P(ClientTest, PreparedRequestsAreSentRepeatedly) {
  auto c = Make();
  auto before = c->GetModelStatistics(kModel, "1");
  ASSERT_TRUE(before.ok()) << before.status();
  auto prepared = c->PrepareInfer(InferOptions(kModel), SimpleInputs(3));
  ASSERT_TRUE(prepared.ok()) << prepared.status();
  std::vector<InferInput> bad_shape{InferInput("INPUT0", {1, 8}, "INT32"),
                                    InferInput("INPUT1", {1, 8}, "INT32")};
  ASSERT_TRUE(bad_shape[0].SetData(std::vector<int32_t>(8, 1)).ok());
  ASSERT_TRUE(bad_shape[1].SetData(std::vector<int32_t>(8, 1)).ok());
  auto rejected = c->PrepareInfer(InferOptions(kModel), bad_shape);
  ASSERT_TRUE(rejected.ok()) << rejected.status();  // the server decides this one
  auto wrong = SimpleInputs(0);
  wrong[0].SetShape({1, 8});
  EXPECT_TRUE(absl::IsInvalidArgument(c->PrepareInfer(InferOptions(kModel), wrong).status()));

  constexpr int kSends = 40;
  absl::Mutex mutex;
  int completed = 0, ok = 0, invalid = 0;
  auto count = [&](const Status& status) {
    absl::MutexLock lock(&mutex);
    ok += status.ok() ? 1 : 0;
    invalid += absl::IsInvalidArgument(status) ? 1 : 0;
    ++completed;
  };
  for (int i = 0; i < kSends; ++i) c->AsyncInferPrepared(*prepared, count);
  c->AsyncInferPrepared(*rejected, count);
  {
    absl::MutexLock lock(&mutex);
    ASSERT_TRUE(mutex.AwaitWithTimeout(absl::Condition(
                                           +[](int* n) { return *n == kSends + 1; }, &completed),
                                       absl::Seconds(60)));
  }
  EXPECT_EQ(ok, kSends);
  EXPECT_EQ(invalid, 1);
  auto after = c->GetModelStatistics(kModel, "1");
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ((*after)[0].success.count - (*before)[0].success.count, uint64_t{kSends});

  // A request prepared for the other protocol is refused, not misread.
  client::ClientOptions other_options;
  other_options.url = Url(GetParam() == Protocol::kHttp ? Protocol::kGrpc : Protocol::kHttp);
  auto other = *client::CreateClient(
      GetParam() == Protocol::kHttp ? Protocol::kGrpc : Protocol::kHttp, other_options);
  auto foreign = other->PrepareInfer(InferOptions(kModel), SimpleInputs(0));
  ASSERT_TRUE(foreign.ok()) << foreign.status();
  Status refused;
  c->AsyncInferPrepared(*foreign, [&](const Status& status) { refused = status; });
  c.reset();  // waits for the outstanding call, if any
  EXPECT_TRUE(absl::IsInvalidArgument(refused)) << refused;
}

TEST_P(ClientTest, StoppedServerIsUnavailable) {
  auto other =
      ServerProcess::Start({"--model-repository", SourcePath("tests/testdata/model_repository")});
  ASSERT_TRUE(other.ok()) << other.status();
  const int port = GetParam() == Protocol::kHttp ? (*other)->http_port() : (*other)->grpc_port();
  client::ClientOptions options;
  options.url = "127.0.0.1:" + std::to_string(port);
  options.retry.initial_backoff = std::chrono::milliseconds(1);
  auto c = *client::CreateClient(GetParam(), options);
  EXPECT_TRUE(*c->IsServerLive());
  EXPECT_EQ((*other)->Stop(), 0);
  const auto started = std::chrono::steady_clock::now();
  const Status status = c->IsServerLive().status();
  EXPECT_TRUE(absl::IsUnavailable(status)) << status;
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
}

INSTANTIATE_TEST_SUITE_P(Protocols, ClientTest, ::testing::Values(Protocol::kHttp, Protocol::kGrpc),
                         [](const auto& param_info) {
                           return param_info.param == Protocol::kHttp ? "Http" : "Grpc";
                         });

// HTTP JSON fallback (no binary extension either way).
TEST(ClientJsonTest, JsonOnlyInfer) {
  auto server =
      ServerProcess::Start({"--model-repository", SourcePath("tests/testdata/model_repository"),
                            "--allow-grpc", "false"});
  ASSERT_TRUE(server.ok()) << server.status();
  client::ClientOptions options;
  options.url = "127.0.0.1:" + std::to_string((*server)->http_port());
  options.binary_data = false;
  auto c = *client::CreateClient(Protocol::kHttp, options);
  ExpectSimpleResult(c->Infer(InferOptions(kModel), SimpleInputs(3)), 3);
  ExpectAllTypesEcho(c->Infer(InferOptions("identity_all_types"), AllTypesInputs()));
}

TEST(ClientGrpcStreamTest, StreamInfer) {
  auto server =
      ServerProcess::Start({"--model-repository", SourcePath("tests/testdata/model_repository")});
  ASSERT_TRUE(server.ok()) << server.status();
  client::ClientOptions options;
  options.url = "127.0.0.1:" + std::to_string((*server)->grpc_port());
  client::GrpcClient c(options);
  absl::Mutex mutex;
  std::map<std::string, int32_t> first_sum;
  int errors = 0;
  ASSERT_TRUE(c.StartStream([&](StatusOr<InferResult> r) {
                 absl::MutexLock lock(&mutex);
                 if (!r.ok()) {
                   ++errors;
                   return;
                 }
                 first_sum[r->id()] = (*r->As<int32_t>("OUTPUT0"))[0];
               }).ok());
  EXPECT_TRUE(absl::IsFailedPrecondition(c.StartStream([](auto) {})));
  for (int i = 0; i < 8; ++i) {
    InferOptions o(kModel);
    o.request_id = "s" + std::to_string(i);
    ASSERT_TRUE(c.AsyncStreamInfer(o, SimpleInputs(100 * i)).ok());
  }
  ASSERT_TRUE(c.AsyncStreamInfer(InferOptions("no_such_model"), SimpleInputs(0)).ok());
  EXPECT_TRUE(c.StopStream().ok());
  ASSERT_EQ(first_sum.size(), 8u);
  for (int i = 0; i < 8; ++i) EXPECT_EQ(first_sum["s" + std::to_string(i)], 100 * i + 1);
  EXPECT_EQ(errors, 1);
  EXPECT_TRUE(absl::IsFailedPrecondition(c.AsyncStreamInfer(InferOptions(kModel), {})));
}

// --- Timeouts and retries against a scripted server.

client::ClientOptions FakeOptions(const FakeHttpServer& fake) {
  client::ClientOptions options;
  options.url = "127.0.0.1:" + std::to_string(fake.port());
  options.request_timeout = std::chrono::milliseconds(300);
  options.retry.initial_backoff = std::chrono::milliseconds(1);
  options.retry.max_backoff = std::chrono::milliseconds(50);
  return options;
}

constexpr char kInferAnswer[] =
    R"({"model_name":"m","model_version":"1","outputs":[{"name":"Y","datatype":"INT32",)"
    R"("shape":[1],"data":[42]}]})";

TEST(ClientRetryTest, InferRetriesOn503RetryAfterOnlyWhenEnabled) {
  FakeHttpServer fake;
  fake.Respond(503, "Retry-After: 1\r\n", R"({"error":"busy"})");
  fake.Respond(200, "", kInferAnswer);
  auto options = FakeOptions(fake);
  options.retry.retry_infer = true;
  auto c = *client::CreateClient(Protocol::kHttp, options);
  InferInput x("X", {1}, "INT32");
  ASSERT_TRUE(x.SetData(std::vector<int32_t>{1}).ok());
  const auto started = std::chrono::steady_clock::now();
  auto result = c->Infer(InferOptions("m"), {x});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ((*result->As<int32_t>("Y"))[0], 42);
  EXPECT_EQ(fake.requests(), 2);
  // Retry-After (1 s) is honoured up to max_backoff (50 ms).
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(900));

  FakeHttpServer off;
  off.Respond(503, "Retry-After: 1\r\n", R"({"error":"busy"})");
  off.Respond(200, "", kInferAnswer);
  auto no_retry = *client::CreateClient(Protocol::kHttp, FakeOptions(off));
  const Status status = no_retry->Infer(InferOptions("m"), {x}).status();
  EXPECT_TRUE(absl::IsUnavailable(status)) << status;
  EXPECT_NE(status.message().find("busy"), std::string::npos);
  EXPECT_EQ(off.requests(), 1);
}

TEST(ClientRetryTest, InferWithout503RetryAfterIsNotRetried) {
  FakeHttpServer fake;
  fake.Respond(500, "", R"({"error":"boom"})");
  fake.Respond(200, "", kInferAnswer);
  auto options = FakeOptions(fake);
  options.retry.retry_infer = true;
  auto c = *client::CreateClient(Protocol::kHttp, options);
  InferInput x("X", {1}, "INT32");
  ASSERT_TRUE(x.SetData(std::vector<int32_t>{1}).ok());
  EXPECT_TRUE(absl::IsInternal(c->Infer(InferOptions("m"), {x}).status()));
  EXPECT_EQ(fake.requests(), 1);
}

TEST(ClientRetryTest, IdempotentCallsRetryWithBackoffUpToMaxAttempts) {
  FakeHttpServer fake;
  fake.Respond(503, "", R"({"error":"not yet"})");
  fake.Respond(503, "", R"({"error":"not yet"})");
  fake.Respond(200, "", R"({"name":"inferd","version":"9","extensions":[]})");
  auto c = *client::CreateClient(Protocol::kHttp, FakeOptions(fake));
  auto metadata = c->GetServerMetadata();
  ASSERT_TRUE(metadata.ok()) << metadata.status();
  EXPECT_EQ(metadata->version, "9");
  EXPECT_EQ(fake.requests(), 3);

  FakeHttpServer always;
  for (int i = 0; i < 5; ++i) always.Respond(503, "", "{}");
  auto options = FakeOptions(always);
  options.retry.max_attempts = 2;
  auto limited = *client::CreateClient(Protocol::kHttp, options);
  EXPECT_TRUE(absl::IsUnavailable(limited->GetServerMetadata().status()));
  EXPECT_EQ(always.requests(), 2);
}

TEST(ClientTimeoutTest, HttpRequestTimeoutIsDeadlineExceeded) {
  FakeHttpServer silent;  // no script: never answers
  auto c = *client::CreateClient(Protocol::kHttp, FakeOptions(silent));
  const auto started = std::chrono::steady_clock::now();
  InferInput x("X", {1}, "INT32");
  ASSERT_TRUE(x.SetData(std::vector<int32_t>{1}).ok());
  const Status status = c->Infer(InferOptions("m"), {x}).status();
  EXPECT_TRUE(absl::IsDeadlineExceeded(status)) << status;
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));
  absl::Mutex mutex;
  std::optional<Status> async_status;
  c->AsyncInfer(
      [&](StatusOr<InferResult> r) {
        absl::MutexLock lock(&mutex);
        async_status = r.status();
      },
      InferOptions("m"), {x});
  absl::MutexLock lock(&mutex);
  ASSERT_TRUE(mutex.AwaitWithTimeout(
      absl::Condition(
          +[](std::optional<Status>* s) { return s->has_value(); }, &async_status),
      absl::Seconds(5)));
  EXPECT_TRUE(absl::IsDeadlineExceeded(*async_status)) << *async_status;
}

TEST(ClientTimeoutTest, GrpcConnectTimeoutAgainstANonGrpcPeer) {
  FakeHttpServer silent;  // accepts TCP but never speaks HTTP/2
  auto options = FakeOptions(silent);
  options.connect_timeout = std::chrono::milliseconds(300);
  options.retry.max_attempts = 1;
  auto c = *client::CreateClient(Protocol::kGrpc, options);
  const auto started = std::chrono::steady_clock::now();
  const Status status = c->IsServerLive().status();
  EXPECT_TRUE(absl::IsDeadlineExceeded(status) || absl::IsUnavailable(status)) << status;
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

TEST(ClientUrlTest, ParsesSchemesAndDefaultPorts) {
  EXPECT_EQ(client::ParseUrl("localhost", 8000).port, 8000);
  EXPECT_EQ(client::ParseUrl("http://10.0.0.1:9000/v2", 8000).host, "10.0.0.1");
  EXPECT_EQ(client::ParseUrl("http://10.0.0.1:9000/v2", 8000).port, 9000);
  EXPECT_EQ(client::ParseUrl("grpc://[::1]:8001", 1).host, "::1");
  EXPECT_FALSE(client::CreateClient(Protocol::kHttp, {.url = "host:99999"}).ok());
  EXPECT_FALSE(client::ParseProtocol("ftp").ok());
}

}  // namespace
}  // namespace inferd::testing
