#include "core/tensor.h"

#include <utility>

namespace inferd::core {

OwnedTensor MakeOwnedTensor(std::string name, DataType dtype, Shape shape, size_t bytes) {
  auto buffer = std::make_shared<std::vector<std::byte>>(bytes);
  std::span<std::byte> writable(buffer->data(), buffer->size());
  Tensor tensor{std::move(name), dtype, std::move(shape),
                std::span<const std::byte>(writable.data(), writable.size()), std::move(buffer)};
  return OwnedTensor{std::move(tensor), writable};
}

}  // namespace inferd::core
