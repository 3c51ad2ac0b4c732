#include <algorithm>

#include "frontend/http/openapi/openapi_spec.h"

namespace inferd::frontend::http {
namespace {

namespace bhttp = boost::beast::http;

// JSON fragments built by literal concatenation, so the table stays constant data.
#define INFERD_OAS_REF(name) "{\"$ref\":\"#/components/schemas/" name "\"}"
#define INFERD_OAS_JSON(name) "\"application/json\":{\"schema\":" INFERD_OAS_REF(name) "}"
#define INFERD_OAS_BODY(name) "{\"required\":true,\"content\":{" INFERD_OAS_JSON(name) "}}"
#define INFERD_OAS_OPTIONAL_BODY(name) \
  "{\"required\":false,\"content\":{" INFERD_OAS_JSON(name) "}}"
#define INFERD_OAS_OK(name) \
  "{\"200\":{\"description\":\"OK\",\"content\":{" INFERD_OAS_JSON(name) "}}}"
#define INFERD_OAS_QUERY(name, type, text)                                                  \
  "{\"name\":\"" name "\",\"in\":\"query\",\"required\":false,\"schema\":{\"type\":\"" type \
  "\"},\"description\":\"" text "\"}"

constexpr std::string_view kEmptyOk = R"j({"200":{"description":"OK (empty body)"}})j";
constexpr std::string_view kAnyJsonBody =
    R"({"required":true,"content":{"application/json":{"schema":{}}}})";
constexpr std::string_view kInferParameters =
    R"([{"name":"Inference-Header-Content-Length","in":"header","required":false,)"
    R"("schema":{"type":"integer","minimum":0},"description":"Binary tensor extension: the )"
    R"(length of the JSON header at the start of the body; the binary tensors follow it"}])";

constexpr std::string_view kInferBody =
    "{\"required\":true,\"content\":{" INFERD_OAS_JSON(
        "InferRequest") ",\"application/octet-stream\":{\"schema\":" INFERD_OAS_REF("BinaryTensors")
    "}}}";
constexpr std::string_view kInferResponses =
    "{\"200\":{\"description\":\"The outputs; with binary outputs the body is the JSON header "
    "followed by the tensors\",\"headers\":{\"Inference-Header-Content-Length\":{\"schema\":{"
    "\"type\":\"integer\"},\"description\":\"Set when outputs are binary\"}},\"content\":{" INFERD_OAS_JSON(
        "InferResponse") ",\"application/octet-stream\":{\"schema\":" INFERD_OAS_REF("BinaryTensors")
    "}}}}";

constexpr std::string_view kHealthResponses =
    R"({"200":{"description":"Yes"},"400":{"description":"No"}})";

constexpr std::string_view kImageBody =
    "{\"required\":true,\"content\":{\"multipart/form-data\":{\"schema\":" INFERD_OAS_REF(
        "ImageUpload") "},\"image/jpeg\":{\"schema\":{\"type\":\"string\",\"format\":\"binary\"}},"
                       "\"image/png\":{\"schema\":{\"type\":\"string\",\"format\":\"binary\"}}}}";

constexpr std::string_view kTorchServePredictBody =
    R"({"required":true,"content":{"application/json":{"schema":{}},)"
    R"("image/jpeg":{"schema":{"type":"string","format":"binary"}},)"
    R"("image/png":{"schema":{"type":"string","format":"binary"}},)"
    R"("application/octet-stream":{"schema":{"type":"string","format":"binary"}}}})";
constexpr std::string_view kAnyJsonOk =
    R"({"200":{"description":"The model's outputs","content":{"application/json":{"schema":{}}}}})";
constexpr std::string_view kTfsUnsupported =
    "{\"501\":{\"description\":\"tf.Example inputs are not served\",\"content\":{" INFERD_OAS_JSON(
        "Error") "}}}";

// clang-format off
constexpr std::string_view kRegisterParams = "["
    INFERD_OAS_QUERY("url", "string", "The model's name in the repository (or a .mar name)") ","
    INFERD_OAS_QUERY("model_name", "string", "Must match url when given") ","
    INFERD_OAS_QUERY("initial_workers", "integer", "Instances to start") ","
    INFERD_OAS_QUERY("batch_size", "integer", "Maximum batch size") ","
    INFERD_OAS_QUERY("max_batch_delay", "integer", "Batching delay (ms)") "]";
// clang-format on
constexpr std::string_view kListParams =
    "[" INFERD_OAS_QUERY("limit", "integer", "Page size (default 100)") "," INFERD_OAS_QUERY(
        "next_page_token", "integer", "Where the page starts") "]";
constexpr std::string_view kScaleParams =
    "[" INFERD_OAS_QUERY("min_worker", "integer", "Instances wanted (default 1)") "]";

constexpr std::string_view kHtml =
    R"({"200":{"description":"The Swagger UI page","content":{"text/html":{"schema":{"type":"string"}}}},)"
    R"("404":{"description":"Swagger UI is not installed"}})";
constexpr std::string_view kAsset =
    R"j({"200":{"description":"A Swagger UI file (script, style sheet or icon)","content":{"*/*":{"schema":{}}}},)j"
    R"("404":{"description":"No such file"}})";

constexpr std::string_view kConsolePage =
    R"({"200":{"description":"The console page","content":{"text/html":{"schema":{"type":"string"}}}}})";
constexpr std::string_view kConsoleScript =
    R"({"200":{"description":"Script","content":{"text/javascript":{"schema":{"type":"string"}}}}})";
constexpr std::string_view kConsoleStyle =
    R"({"200":{"description":"Style sheet","content":{"text/css":{"schema":{"type":"string"}}}}})";

constexpr auto kGet = bhttp::verb::get;
constexpr auto kPost = bhttp::verb::post;
constexpr auto kPut = bhttp::verb::put;
constexpr auto kAnyMethod = bhttp::verb::unknown;

constexpr OperationSpec kSpecs[] = {
    // KServe v2 (and Triton's extensions).
    {"kserve", kGet, "server_metadata", "", "", INFERD_OAS_OK("ServerMetadata")},
    {"kserve", kGet, "health", "", "", kHealthResponses},
    {"kserve", kGet, "model_ready", "", "", kHealthResponses},
    {"kserve", kGet, "model_metadata", "", "", INFERD_OAS_OK("ModelMetadata")},
    {"kserve", kGet, "model_config", "", "", INFERD_OAS_OK("ModelConfig")},
    {"kserve", kGet, "statistics", "", "", INFERD_OAS_OK("ModelStatistics")},
    {"kserve", kPost, "infer", "", kInferBody, kInferResponses, kInferParameters},
    {"kserve", kGet, "logging", "", "", INFERD_OAS_OK("LogSettings")},
    {"kserve", kPost, "logging", "", INFERD_OAS_BODY("LogSettings"), INFERD_OAS_OK("LogSettings")},
    {"kserve", kGet, "trace", "", "", INFERD_OAS_OK("TraceSettings")},
    {"kserve", kPost, "trace", "", INFERD_OAS_BODY("TraceSettings"),
     INFERD_OAS_OK("TraceSettings")},
    {"kserve", kPost, "repository", "/index", INFERD_OAS_OPTIONAL_BODY("RepositoryIndexRequest"),
     INFERD_OAS_OK("RepositoryIndex")},
    {"kserve", kPost, "repository", "/load", INFERD_OAS_OPTIONAL_BODY("RepositoryLoadRequest"),
     kEmptyOk},
    {"kserve", kPost, "repository", "/unload", "", kEmptyOk},
    {"kserve", kGet, "shared_memory", "/status", "", INFERD_OAS_OK("SharedMemoryStatus")},
    {"kserve", kPost, "shared_memory", "/register", INFERD_OAS_BODY("SharedMemoryRegister"),
     kEmptyOk},
    {"kserve", kPost, "shared_memory", "unregister", "", kEmptyOk},
    // TF Serving's REST API.
    {"tfserving", kPost, "tfs_predict", "", INFERD_OAS_BODY("TfsPredictRequest"),
     INFERD_OAS_OK("TfsPredictResponse")},
    {"tfserving", kPost, "tfs_classify", "", kAnyJsonBody, kTfsUnsupported},
    {"tfserving", kPost, "tfs_regress", "", kAnyJsonBody, kTfsUnsupported},
    {"tfserving", kGet, "tfs_model_status", "", "", INFERD_OAS_OK("TfsModelStatus")},
    {"tfserving", kGet, "tfs_model_metadata", "", "", INFERD_OAS_OK("TfsModelMetadata")},
    // TorchServe's inference and management APIs.
    {"torchserve", bhttp::verb::options, "torchserve_api_description", "", "",
     INFERD_OAS_OK("OpenApiDocument")},
    {"torchserve", kAnyMethod, "torchserve_ping", "", "", INFERD_OAS_OK("TorchServeStatus")},
    {"torchserve", kAnyMethod, "torchserve_predictions", "", kTorchServePredictBody, kAnyJsonOk},
    {"torchserve", kGet, "torchserve_list_models", "", "", INFERD_OAS_OK("TorchServeModelList"),
     kListParams},
    {"torchserve", kPost, "torchserve_register", "", "", INFERD_OAS_OK("TorchServeStatus"),
     kRegisterParams},
    {"torchserve", kGet, "torchserve_describe", "", "",
     INFERD_OAS_OK("TorchServeModelDescription")},
    {"torchserve", kPut, "torchserve_scale", "", "", INFERD_OAS_OK("TorchServeStatus"),
     kScaleParams},
    {"torchserve", bhttp::verb::delete_, "torchserve_unregister", "", "",
     INFERD_OAS_OK("TorchServeStatus")},
    {"torchserve", kPut, "torchserve_set_default", "", "", INFERD_OAS_OK("TorchServeStatus")},
    // The image endpoints.
    {"predict", kGet, "predict_health", "", "",
     "{\"200\":{\"description\":\"Live\",\"content\":{" INFERD_OAS_JSON(
         "HealthStatus") "}},\"503\":{\"description\":\"Down\",\"content\":"
                         "{" INFERD_OAS_JSON("HealthStatus") "}}}"},
    {"predict", kPost, "predict", "", kImageBody, INFERD_OAS_OK("Predictions")},
    // The web console.
    {"console", kGet, "console", "/console", "", kConsolePage},
    {"console", kGet, "console", ".js", "", kConsoleScript},
    {"console", kGet, "console", ".css", "", kConsoleStyle},
    {"console", kGet, "console_stats", "", "", INFERD_OAS_OK("ConsoleStats")},
    // This description and its viewer.
    {"docs", kGet, "openapi", "", "", INFERD_OAS_OK("OpenApiDocument")},
    {"docs", kGet, "docs", "/docs", "", kHtml},
    {"docs", kGet, "docs", "/{file}", "", kAsset},
};

#undef INFERD_OAS_QUERY
#undef INFERD_OAS_OK
#undef INFERD_OAS_OPTIONAL_BODY
#undef INFERD_OAS_BODY
#undef INFERD_OAS_JSON
#undef INFERD_OAS_REF

}  // namespace

std::span<const OperationSpec> OperationSpecs() { return kSpecs; }

const OperationSpec* FindOperationSpec(const Dialect& dialect, const Route& route) {
  const auto it = std::find_if(std::begin(kSpecs), std::end(kSpecs), [&](const OperationSpec& s) {
    return s.dialect == dialect.name && s.label == route.label &&
           (s.method == kAnyMethod || s.method == route.method) &&
           route.pattern.ends_with(s.pattern_suffix);
  });
  return it == std::end(kSpecs) ? nullptr : &*it;
}

}  // namespace inferd::frontend::http
