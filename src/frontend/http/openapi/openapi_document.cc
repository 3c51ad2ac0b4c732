#include "frontend/http/openapi/openapi_document.h"

#include <algorithm>
#include <cctype>
#include <utility>

#include "frontend/http/openapi/openapi_spec.h"
#include "frontend/http/route_table.h"
#include "rapidjson/document.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace inferd::frontend::http {
namespace {

namespace bhttp = boost::beast::http;
using JsonValue = rapidjson::Value;
using JsonAllocator = rapidjson::Document::AllocatorType;

struct DialectTag {
  std::string_view name;
  std::string_view description;
};
constexpr DialectTag kDialectTags[] = {
    {"kserve",
     "KServe v2 / Triton inference protocol: health, metadata, inference (JSON tensors or the "
     "binary tensor extension), model repository, statistics, trace, logging, shared memory"},
    {"tfserving", "TensorFlow Serving REST API (predict, model status, metadata)"},
    {"torchserve", "TorchServe inference and management APIs"},
    {"predict", "Image classification: upload an image, get labelled scores"},
    {"console", "The web console: models, live figures, load/unload, image upload"},
    {"docs", "This API description and its interactive viewer"},
};

JsonValue Str(std::string_view text, JsonAllocator& alloc) {
  return JsonValue(text.data(), static_cast<rapidjson::SizeType>(text.size()), alloc);
}

// A JSON fragment of the spec table as a value owned by `alloc`; a malformed fragment is a
// programming error the unit test reports (UndocumentedRoutes).
JsonValue Fragment(std::string_view json, JsonAllocator& alloc) {
  rapidjson::Document parsed;
  parsed.Parse(json.data(), json.size());
  if (parsed.HasParseError()) return JsonValue(rapidjson::kNullType);
  return JsonValue(parsed, alloc);
}

std::string MethodName(bhttp::verb method) {
  const auto name = bhttp::to_string(method);
  std::string lower(name.data(), name.size());
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

// "post" + "/v2/models/{model}/infer" -> "post_v2_models_model_infer": unique per method + path.
std::string OperationId(bhttp::verb method, std::string_view pattern) {
  std::string id = MethodName(method);
  bool separator = true;
  for (char c : pattern) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      if (separator) id += '_';
      id += c;
      separator = false;
    } else if (c != '{' && c != '}') {
      separator = true;
    }
  }
  if (pattern == "/") id += "_root";
  return id;
}

std::string_view ParameterText(std::string_view name) {
  if (name == "model") return "Model name (URL-encoded)";
  if (name == "version") return "Model version";
  if (name == "label") return "Version label";
  if (name == "region") return "Shared-memory region name (URL-encoded)";
  if (name == "file") return "File name";
  return "Path parameter";
}

JsonValue Parameters(const Route& route, const OperationSpec& spec, JsonAllocator& alloc) {
  JsonValue list(rapidjson::kArrayType);
  for (std::string_view name : PatternParameters(route.pattern)) {
    JsonValue parameter(rapidjson::kObjectType);
    parameter.AddMember("name", Str(name, alloc), alloc);
    parameter.AddMember("in", "path", alloc);
    parameter.AddMember("required", true, alloc);
    JsonValue schema(rapidjson::kObjectType);
    schema.AddMember("type", "string", alloc);
    parameter.AddMember("schema", schema, alloc);
    parameter.AddMember("description", Str(ParameterText(name), alloc), alloc);
    list.PushBack(parameter, alloc);
  }
  if (!spec.parameters.empty()) {
    JsonValue extra = Fragment(spec.parameters, alloc);
    if (extra.IsArray()) {
      for (auto& parameter : extra.GetArray()) list.PushBack(parameter, alloc);
    }
  }
  return list;
}

JsonValue Operation(const Dialect& dialect, const Route& route, const OperationSpec& spec,
                    const core::ApiRestrictions* restrictions, JsonAllocator& alloc) {
  JsonValue op(rapidjson::kObjectType);
  op.AddMember("operationId", Str(OperationId(route.method, route.pattern), alloc), alloc);
  op.AddMember("summary", Str(route.description, alloc), alloc);
  JsonValue tags(rapidjson::kArrayType);
  tags.PushBack(Str(dialect.name, alloc), alloc);
  op.AddMember("tags", tags, alloc);
  // Which --http-restricted-api category guards the route.
  op.AddMember("x-inferd-api", Str(core::ApiCategoryName(route.category), alloc), alloc);
  const auto* restriction = restrictions == nullptr ? nullptr : restrictions->Find(route.category);
  if (restriction != nullptr) {
    JsonValue requirement(rapidjson::kObjectType);
    requirement.AddMember(Str(restriction->header, alloc), JsonValue(rapidjson::kArrayType), alloc);
    JsonValue security(rapidjson::kArrayType);
    security.PushBack(requirement, alloc);
    op.AddMember("security", security, alloc);
  }
  JsonValue parameters = Parameters(route, spec, alloc);
  if (!parameters.Empty()) op.AddMember("parameters", parameters, alloc);
  if (!spec.request_body.empty()) {
    op.AddMember("requestBody", Fragment(spec.request_body, alloc), alloc);
  }
  JsonValue responses = Fragment(spec.responses, alloc);
  if (responses.IsObject()) {
    const std::string_view error_schema =
        dialect.name == "torchserve" ? "TorchServeError" : "Error";
    JsonValue error = Fragment(R"({"description":"Error","content":{"application/json":{"schema":)"
                               R"({"$ref":"#/components/schemas/)" +
                                   std::string(error_schema) + R"("}}}})",
                               alloc);
    responses.AddMember("default", error, alloc);
  }
  op.AddMember("responses", responses, alloc);
  return op;
}

JsonValue Info(std::string_view server_version, JsonAllocator& alloc) {
  JsonValue info(rapidjson::kObjectType);
  info.AddMember("title", "inferd", alloc);
  info.AddMember("version", Str(server_version, alloc), alloc);
  info.AddMember(
      "description",
      "Every HTTP route inferd serves, from its route tables. Errors are JSON: {\"error\": ...} "
      "(TorchServe routes: {\"code\", \"type\", \"message\"}). Request bodies may be gzip or "
      "deflate encoded (Content-Encoding). Routes whose API category (x-inferd-api) is listed in "
      "--http-restricted-api need that flag's header.",
      alloc);
  return info;
}

}  // namespace

// One apiKey scheme per restricted header, named by the header (the value is never included).
JsonValue SecuritySchemes(const core::ApiRestrictions& restrictions, JsonAllocator& alloc) {
  JsonValue schemes(rapidjson::kObjectType);
  for (core::ApiCategory category : core::AllApiCategories()) {
    const auto* restriction = restrictions.Find(category);
    if (restriction == nullptr || schemes.HasMember(restriction->header.c_str())) continue;
    JsonValue scheme(rapidjson::kObjectType);
    scheme.AddMember("type", "apiKey", alloc);
    scheme.AddMember("in", "header", alloc);
    scheme.AddMember("name", Str(restriction->header, alloc), alloc);
    scheme.AddMember("description", "--http-restricted-api header", alloc);
    schemes.AddMember(Str(restriction->header, alloc), scheme, alloc);
  }
  return schemes;
}

std::string OpenApiDocument(std::string_view server_version,
                            const core::ApiRestrictions* restrictions) {
  rapidjson::Document doc(rapidjson::kObjectType);
  JsonAllocator& alloc = doc.GetAllocator();
  doc.AddMember("openapi", "3.1.0", alloc);
  doc.AddMember("info", Info(server_version, alloc), alloc);
  JsonValue servers(rapidjson::kArrayType);
  JsonValue here(rapidjson::kObjectType);
  here.AddMember("url", "/", alloc);
  here.AddMember("description", "This server", alloc);
  servers.PushBack(here, alloc);
  doc.AddMember("servers", servers, alloc);
  JsonValue tags(rapidjson::kArrayType);
  for (const DialectTag& tag : kDialectTags) {
    JsonValue entry(rapidjson::kObjectType);
    entry.AddMember("name", Str(tag.name, alloc), alloc);
    entry.AddMember("description", Str(tag.description, alloc), alloc);
    tags.PushBack(entry, alloc);
  }
  doc.AddMember("tags", tags, alloc);

  JsonValue paths(rapidjson::kObjectType);
  for (const Dialect* dialect : AllDialects()) {
    for (const Route& route : dialect->routes) {
      const OperationSpec* spec = FindOperationSpec(*dialect, route);
      if (spec == nullptr) continue;  // UndocumentedRoutes() reports it
      const rapidjson::SizeType length = static_cast<rapidjson::SizeType>(route.pattern.size());
      auto item = paths.FindMember(JsonValue(rapidjson::StringRef(route.pattern.data(), length)));
      if (item == paths.MemberEnd()) {
        paths.AddMember(Str(route.pattern, alloc), JsonValue(rapidjson::kObjectType), alloc);
        item = paths.MemberEnd() - 1;
      }
      const std::string method = MethodName(route.method);
      if (item->value.HasMember(method.c_str())) continue;  // an earlier row serves it
      item->value.AddMember(Str(method, alloc),
                            Operation(*dialect, route, *spec, restrictions, alloc), alloc);
    }
  }
  doc.AddMember("paths", paths, alloc);
  JsonValue components(rapidjson::kObjectType);
  components.AddMember("schemas", Fragment(OpenApiComponentSchemas(), alloc), alloc);
  if (restrictions != nullptr && !restrictions->empty()) {
    components.AddMember("securitySchemes", SecuritySchemes(*restrictions, alloc), alloc);
  }
  doc.AddMember("components", components, alloc);

  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  doc.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::vector<std::string> UndocumentedRoutes() {
  std::vector<std::string> missing;
  const auto is_json = [](std::string_view text, bool array) {
    if (text.empty()) return true;
    rapidjson::Document parsed;
    parsed.Parse(text.data(), text.size());
    return !parsed.HasParseError() && (array ? parsed.IsArray() : parsed.IsObject());
  };
  for (const Dialect* dialect : AllDialects()) {
    for (const Route& route : dialect->routes) {
      const auto verb = bhttp::to_string(route.method);
      const std::string name = std::string(verb.data(), verb.size()) + " " +
                               std::string(route.pattern) + " (" + std::string(dialect->name) + ")";
      if (route.description.empty()) missing.push_back(name + ": no description");
      const OperationSpec* spec = FindOperationSpec(*dialect, route);
      if (spec == nullptr) {
        missing.push_back(name + ": no OperationSpec (openapi_operations.cc)");
        continue;
      }
      if (spec->responses.empty() || !is_json(spec->responses, false) ||
          !is_json(spec->request_body, false) || !is_json(spec->parameters, true)) {
        missing.push_back(name + ": malformed OperationSpec JSON");
      }
    }
  }
  if (!is_json(OpenApiComponentSchemas(), false)) missing.push_back("components: malformed JSON");
  return missing;
}

}  // namespace inferd::frontend::http
