// Memory for the suite (see buffers.h).
#include "bench/buffers.h"

#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>

namespace relu::bench {

void AdviseHugePages(void* p, size_t bytes) {
  constexpr size_t kHuge = size_t{2} << 20;
  if (bytes < (size_t{4} << 20)) return;
  const uintptr_t begin = reinterpret_cast<uintptr_t>(p);
  const uintptr_t first = (begin + kHuge - 1) / kHuge * kHuge;
  const uintptr_t last = (begin + bytes) / kHuge * kHuge;
  if (last > first) {
    madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
  }
}

namespace {
bool g_huge_pages = true;
}  // namespace

void SetHugePages(bool on) { g_huge_pages = on; }

Buffer::Buffer(size_t bytes) : bytes_(bytes) {
  const size_t rounded = (bytes + 63) / 64 * 64 + 64;
  if (g_huge_pages) {
    data_ = static_cast<char*>(std::aligned_alloc(64, rounded));
    if (data_ == nullptr) throw std::bad_alloc();
    AdviseHugePages(data_, rounded);
  } else {
    // Page-aligned, so the advice covers every page of the buffer.
    const size_t page = 4096;
    data_ = static_cast<char*>(
        std::aligned_alloc(page, (rounded + page - 1) / page * page));
    if (data_ == nullptr) throw std::bad_alloc();
    madvise(data_, (rounded + page - 1) / page * page, MADV_NOHUGEPAGE);
  }
  std::memset(data_, 0, rounded);  // faults every page in now, not in a timed call
}

Buffer::~Buffer() { std::free(data_); }

Buffer::Buffer(Buffer&& other) noexcept
    : data_(other.data_), bytes_(other.bytes_) {
  other.data_ = nullptr;
  other.bytes_ = 0;
}

Buffer& Buffer::operator=(Buffer&& other) noexcept {
  if (this != &other) {
    std::free(data_);
    data_ = other.data_;
    bytes_ = other.bytes_;
    other.data_ = nullptr;
    other.bytes_ = 0;
  }
  return *this;
}

}  // namespace relu::bench
