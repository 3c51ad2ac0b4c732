#include "frontend/http/kserve/shared_memory_handlers.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "frontend/http/json_parse.h"
#include "frontend/http/json_tensor.h"

namespace inferd::frontend::http {
namespace {

namespace bhttp = boost::beast::http;

constexpr std::string_view kCudaUnsupported =
    "CUDA shared memory is not supported on this server (it has no GPU support)";

Status ShmDisabled() {
  return absl::FailedPreconditionError("shared memory is not enabled on this server");
}

struct RegisterBody {
  std::string key;
  uint64_t offset = 0;
  uint64_t byte_size = 0;
};

StatusOr<RegisterBody> ParseRegisterBody(std::string_view body) {
  ASSIGN_OR_RETURN(auto doc, ParseJson(body));
  if (!doc.IsObject()) {
    return absl::InvalidArgumentError("the register request must be a JSON object");
  }
  RegisterBody out;
  auto key = doc.FindMember("key");
  if (key == doc.MemberEnd() || !key->value.IsString()) {
    return absl::InvalidArgumentError("the register request needs a string 'key'");
  }
  out.key.assign(key->value.GetString(), key->value.GetStringLength());
  auto offset = doc.FindMember("offset");
  if (offset != doc.MemberEnd()) {
    if (!offset->value.IsUint64()) {
      return absl::InvalidArgumentError("'offset' must be a non-negative integer");
    }
    out.offset = offset->value.GetUint64();
  }
  auto size = doc.FindMember("byte_size");
  if (size == doc.MemberEnd() || !size->value.IsUint64()) {
    return absl::InvalidArgumentError("the register request needs a non-negative 'byte_size'");
  }
  out.byte_size = size->value.GetUint64();
  return out;
}

void WriteShmString(JsonWriter& writer, std::string_view text) {
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

}  // namespace

HttpResponse HandleSystemShmStatus(const core::SharedMemoryRegistry* registry,
                                   std::string_view name) {
  if (registry == nullptr) return ErrorResponse(ShmDisabled());
  auto regions = registry->List(name);
  if (!regions.ok()) return ErrorResponse(regions.status());
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartArray();
  for (const core::SharedMemoryRegionStatus& region : *regions) {
    writer.StartObject();
    writer.Key("name");
    WriteShmString(writer, region.name);
    writer.Key("key");
    WriteShmString(writer, region.key);
    writer.Key("offset");
    writer.Uint64(region.offset);
    writer.Key("byte_size");
    writer.Uint64(region.byte_size);
    writer.EndObject();
  }
  writer.EndArray();
  return JsonResponse(bhttp::status::ok, std::string(buffer.GetString(), buffer.GetSize()));
}

HttpResponse HandleSystemShmRegister(core::SharedMemoryRegistry* registry, std::string_view name,
                                     std::string_view body) {
  if (registry == nullptr) return ErrorResponse(ShmDisabled());
  auto parsed = ParseRegisterBody(body);
  if (!parsed.ok()) return ErrorResponse(parsed.status());
  const Status status = registry->Register(name, parsed->key, parsed->offset, parsed->byte_size);
  return status.ok() ? EmptyResponse(bhttp::status::ok) : ErrorResponse(status);
}

HttpResponse HandleSystemShmUnregister(core::SharedMemoryRegistry* registry,
                                       std::string_view name) {
  if (registry == nullptr) return ErrorResponse(ShmDisabled());
  if (name.empty()) {
    registry->UnregisterAll();
    return EmptyResponse(bhttp::status::ok);
  }
  const Status status = registry->Unregister(name);
  return status.ok() ? EmptyResponse(bhttp::status::ok) : ErrorResponse(status);
}

HttpResponse HandleCudaShmStatus(std::string_view name) {
  if (!name.empty()) return ErrorResponse(bhttp::status::bad_request, kCudaUnsupported);
  return JsonResponse(bhttp::status::ok, "[]");
}

HttpResponse HandleCudaShmRegister() {
  return ErrorResponse(bhttp::status::bad_request, kCudaUnsupported);
}

HttpResponse HandleCudaShmUnregister(std::string_view name) {
  // Nothing is ever registered, so "unregister all" has nothing to do.
  if (name.empty()) return EmptyResponse(bhttp::status::ok);
  return ErrorResponse(bhttp::status::bad_request, kCudaUnsupported);
}

}  // namespace inferd::frontend::http
