// Sequence batching through the real binary, over HTTP and gRPC (unary and streaming): Triton's
// simple_sequence example model (controls only), sequence_accumulator (implicit state, a string
// CORRID), the refusals (no id, unknown sequence, too many sequences) and the release of an idle
// sequence, awaited through the slot it frees.
#include <rapidjson/document.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <thread>

#include "client/http_connection.h"
#include "grpc_test_util.h"

namespace inferd::testing {
namespace {

namespace fs = std::filesystem;

struct Answer {
  int status = 0;
  std::string error;
  int32_t output = 0;
  std::string corrid;
};

class SequenceTest : public GrpcServerSuite {
 protected:
  static void SetUpTestSuite() {
    root_ = fs::temp_directory_path() /
            ("inferd_sequence_test_" + std::to_string(std::random_device{}()));
    // The accumulator with one candidate slot and a short idle limit: the idle test's model.
    const fs::path source = SourcePath("tests/testdata/model_repository/sequence_accumulator");
    fs::create_directories(root_ / "idle_accumulator" / "1");
    fs::copy_file(source / "1" / "model.onnx", root_ / "idle_accumulator" / "1" / "model.onnx");
    std::ifstream in(source / "config.pbtxt");
    std::string config((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    Replace(config, "\"sequence_accumulator\"", "\"idle_accumulator\"");
    Replace(config, "max_sequence_idle_microseconds: 5000000",
            "max_sequence_idle_microseconds: 300000");
    Replace(config, "max_candidate_sequences: 4", "max_candidate_sequences: 1");
    std::ofstream(root_ / "idle_accumulator" / "config.pbtxt") << config;
    StartServer({"--model-repository", SourcePath("examples/model_repository"),
                 "--model-repository", SourcePath("tests/testdata/model_repository"),
                 "--model-repository", root_.string()});
  }
  static void TearDownTestSuite() {
    GrpcServerSuite::TearDownTestSuite();
    fs::remove_all(root_);
  }
  static void Replace(std::string& text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
  }

  // One HTTP request; `id_json` is the sequence_id's JSON value ("" = none).
  static Answer Http(const std::string& model, int32_t value, const std::string& id_json,
                     bool start, bool end) {
    std::string parameters;
    if (!id_json.empty()) parameters += R"("sequence_id":)" + id_json + ",";
    parameters += std::string(R"("sequence_start":)") + (start ? "true" : "false") +
                  R"(,"sequence_end":)" + (end ? "true" : "false");
    const std::string body =
        R"({"parameters":{)" + parameters +
        R"(},"inputs":[{"name":"INPUT","shape":[1,1],"datatype":"INT32","data":[)" +
        std::to_string(value) + "]}]}";
    client::HttpConnection c("127.0.0.1", server_->http_port());
    auto r = c.Post("/v2/models/" + model + "/infer", body);
    Answer answer;
    EXPECT_TRUE(r.ok()) << r.status();
    if (!r.ok()) return answer;
    answer.status = r->status;
    rapidjson::Document doc;
    doc.Parse(r->body.c_str());
    if (!doc.IsObject()) return answer;
    if (doc.HasMember("error")) answer.error = doc["error"].GetString();
    if (!doc.HasMember("outputs")) return answer;
    for (const auto& out : doc["outputs"].GetArray()) {
      const std::string name = out["name"].GetString();
      if (name == "OUTPUT") answer.output = out["data"][0].GetInt();
      if (name == "CORRID_OUT") answer.corrid = out["data"][0].GetString();
      EXPECT_NE(name, "ACC_OUT") << "a state output must not reach the client";
    }
    return answer;
  }

  static ModelInferRequest GrpcRequest(const std::string& model, int32_t value, uint64_t id,
                                       bool start, bool end, const std::string& request_id) {
    ModelInferRequest q;
    q.set_model_name(model);
    q.set_id(request_id);
    (*q.mutable_parameters())["sequence_id"].set_uint64_param(id);
    (*q.mutable_parameters())["sequence_start"].set_bool_param(start);
    (*q.mutable_parameters())["sequence_end"].set_bool_param(end);
    auto* in = q.add_inputs();
    in->set_name("INPUT");
    in->set_datatype("INT32");
    in->add_shape(1);
    in->add_shape(1);
    in->mutable_contents()->add_int_contents(value);
    return q;
  }

  static inline fs::path root_;
};

TEST_F(SequenceTest, SimpleSequenceGivesTritonsResultsOverHttp) {
  // Triton's simple_sequence: OUTPUT = INPUT + START, so the first request answers INPUT + 1.
  const Answer first = Http("simple_sequence", 100, "1001", true, false);
  ASSERT_EQ(first.status, 200) << first.error;
  EXPECT_EQ(first.output, 101);
  EXPECT_EQ(Http("simple_sequence", -11, "1001", false, false).output, -11);
  EXPECT_EQ(Http("simple_sequence", 20, R"("a-string-id")", true, false).output, 21);
  EXPECT_EQ(Http("simple_sequence", -7, "1001", false, true).output, -7);
  EXPECT_EQ(Http("simple_sequence", 3, R"("a-string-id")", false, true).output, 3);
}

TEST_F(SequenceTest, DynaSequenceAddsTheCorrelationIdAtTheEnd) {
  ASSERT_EQ(Http("simple_dyna_sequence", 5, "77", true, false).output, 6);
  EXPECT_EQ(Http("simple_dyna_sequence", 5, "77", false, false).output, 5);
  EXPECT_EQ(Http("simple_dyna_sequence", 1, "77", false, true).output, 78);
}

TEST_F(SequenceTest, ImplicitStateAccumulatesPerSequence) {
  EXPECT_EQ(Http("sequence_accumulator", 10, R"("alpha")", true, false).output, 10);
  EXPECT_EQ(Http("sequence_accumulator", 1000, "42", true, false).output, 1000);
  EXPECT_EQ(Http("sequence_accumulator", 5, R"("alpha")", false, false).output, 15);
  const Answer beta = Http("sequence_accumulator", 1, "42", false, true);
  EXPECT_EQ(beta.output, 1001);
  EXPECT_EQ(beta.corrid, "42");  // a numeric id reaches a TYPE_STRING CORRID as its text
  const Answer alpha = Http("sequence_accumulator", 1, R"("alpha")", false, true);
  EXPECT_EQ(alpha.output, 16);
  EXPECT_EQ(alpha.corrid, "alpha");
  // A new sequence under the same id starts from zero.
  EXPECT_EQ(Http("sequence_accumulator", 2, R"("alpha")", true, true).output, 2);
}

TEST_F(SequenceTest, RefusalsAreClientErrorsWithTritonsWording) {
  const Answer none = Http("sequence_accumulator", 1, "", false, false);
  EXPECT_EQ(none.status, 400);
  EXPECT_NE(none.error.find("must specify a non-zero or non-empty correlation ID"),
            std::string::npos)
      << none.error;
  const Answer unknown = Http("sequence_accumulator", 1, "987654", false, false);
  EXPECT_EQ(unknown.status, 400);
  EXPECT_NE(unknown.error.find("must specify the START flag"), std::string::npos) << unknown.error;
  const Answer zero = Http("sequence_accumulator", 1, "0", true, false);
  EXPECT_EQ(zero.status, 400) << "0 is no sequence";
  const Answer bad = Http("sequence_accumulator", 1, "-3", true, false);
  EXPECT_EQ(bad.status, 400);
  // The control inputs are the server's: a client sending one is refused.
  client::HttpConnection c("127.0.0.1", server_->http_port());
  auto r = c.Post("/v2/models/simple_sequence/infer",
                  R"({"parameters":{"sequence_id":5,"sequence_start":true},"inputs":[)"
                  R"({"name":"INPUT","shape":[1,1],"datatype":"INT32","data":[1]},)"
                  R"({"name":"START","shape":[1,1],"datatype":"INT32","data":[1]}]})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 400) << r->body;
}

TEST_F(SequenceTest, TooManySequencesIsUnavailableUntilOneEnds) {
  // sequence_accumulator keeps at most 4 candidate sequences.
  for (int i = 0; i < 4; ++i) {
    ASSERT_EQ(Http("sequence_accumulator", i, std::to_string(500 + i), true, false).status, 200);
  }
  const Answer fifth = Http("sequence_accumulator", 1, "504", true, false);
  EXPECT_EQ(fifth.status, 503);
  EXPECT_NE(fifth.error.find("4 active sequences"), std::string::npos) << fifth.error;
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(Http("sequence_accumulator", 0, std::to_string(500 + i), false, true).status, 200);
  }
  EXPECT_EQ(Http("sequence_accumulator", 1, "504", true, true).status, 200);
}

TEST_F(SequenceTest, AnIdleSequenceIsReleased) {
  ASSERT_EQ(Http("idle_accumulator", 7, "1", true, false).status, 200);
  // Its one slot is taken: another sequence is refused until the first is released for
  // idleness (300 ms). Refused attempts are not activity of sequence 1.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    status = Http("idle_accumulator", 1, "2", true, true).status;
    if (status != 503) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // poll interval, not a wait
  }
  EXPECT_EQ(status, 200);
  const Answer late = Http("idle_accumulator", 1, "1", false, true);
  EXPECT_EQ(late.status, 400);
  EXPECT_NE(late.error.find("START flag"), std::string::npos) << late.error;
}

TEST_F(SequenceTest, GrpcStreamCarriesInterleavedSequencesInOrder) {
  ::grpc::ClientContext c;
  Bound(c);
  auto stream = stub_->ModelStreamInfer(&c);
  constexpr int kSteps = 6;
  for (int step = 0; step < kSteps; ++step) {
    for (uint64_t seq : {7001, 7002}) {
      const std::string id = std::to_string(seq) + "_" + std::to_string(step);
      ASSERT_TRUE(
          stream->Write(GrpcRequest("sequence_accumulator", static_cast<int32_t>(seq - 7000), seq,
                                    step == 0, step == kSteps - 1, id)));
    }
  }
  ASSERT_TRUE(stream->WritesDone());
  std::map<uint64_t, std::vector<int32_t>> outputs;
  ::inference::ModelStreamInferResponse response;
  while (stream->Read(&response)) {
    ASSERT_TRUE(response.error_message().empty()) << response.error_message();
    const auto& r = response.infer_response();
    const uint64_t seq = std::stoull(r.id().substr(0, r.id().find('_')));
    for (int i = 0; i < r.outputs_size(); ++i) {
      if (r.outputs(i).name() != "OUTPUT") continue;
      outputs[seq].push_back(FromRaw<int32_t>(r.raw_output_contents(i)).at(0));
    }
  }
  ASSERT_TRUE(stream->Finish().ok());
  // Each sequence's answers arrive in order: the running sums 1..6 and 2..12.
  EXPECT_EQ(outputs[7001], (std::vector<int32_t>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(outputs[7002], (std::vector<int32_t>{2, 4, 6, 8, 10, 12}));
}

TEST_F(SequenceTest, GrpcUnaryAndStatisticsCountSequenceRequests) {
  ::grpc::ClientContext c0;
  Bound(c0);
  ModelInferResponse r;
  auto s = stub_->ModelInfer(&c0, GrpcRequest("simple_sequence", 4, 31, true, false, "a"), &r);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(FromRaw<int32_t>(r.raw_output_contents(0)).at(0), 5);
  ::grpc::ClientContext c1;
  Bound(c1);
  s = stub_->ModelInfer(&c1, GrpcRequest("simple_sequence", 4, 31, false, true, "b"), &r);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(FromRaw<int32_t>(r.raw_output_contents(0)).at(0), 4);
  ::grpc::ClientContext c2;
  Bound(c2);
  s = stub_->ModelInfer(&c2, GrpcRequest("simple_sequence", 4, 31, false, false, "c"), &r);
  EXPECT_EQ(s.error_code(), ::grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("START flag"), std::string::npos) << s.error_message();

  ::grpc::ClientContext c3;
  Bound(c3);
  ::inference::ModelStatisticsRequest q;
  q.set_name("simple_sequence");
  ::inference::ModelStatisticsResponse stats;
  ASSERT_TRUE(stub_->ModelStatistics(&c3, q, &stats).ok());
  ASSERT_EQ(stats.model_stats_size(), 1);
  EXPECT_GE(stats.model_stats(0).inference_count(), 2u);
  EXPECT_GE(stats.model_stats(0).execution_count(), 2u);
  EXPECT_GE(stats.model_stats(0).inference_stats().fail().count(), 1u);
}

}  // namespace
}  // namespace inferd::testing
