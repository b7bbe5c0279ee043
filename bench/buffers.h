// Memory for the suite: zeroed, 64-byte aligned, every page faulted in, huge pages advised as NumPy does.
#ifndef RELU_BENCH_BUFFERS_H_
#define RELU_BENCH_BUFFERS_H_

#include <cstddef>

namespace relu::bench {

// Requests huge pages for the 2 MiB-aligned interior of [p, p + bytes) when
// bytes >= 4 MiB, exactly as NumPy's allocator does; does nothing otherwise.
void AdviseHugePages(void* p, size_t bytes);

// Whether Buffers made from now on ask for huge pages (the default) or
// refuse them (MADV_NOHUGEPAGE): relu_probe's 4 KiB-page arm.
void SetHugePages(bool on);

// Zeroed, 64-byte aligned memory with every page already faulted in.
// Buffers of 4 MiB and more ask for transparent huge pages, as NumPy does
// for its arrays of that size, so neither side pays 4 KiB faults the other
// does not. 64 spare bytes follow: XNNPACK may read (never write) up to 16
// bytes past an input.
class Buffer {
 public:
  Buffer() = default;
  explicit Buffer(size_t bytes);
  ~Buffer();
  Buffer(Buffer&& other) noexcept;
  Buffer& operator=(Buffer&& other) noexcept;
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;

  char* data() const { return data_; }
  size_t bytes() const { return bytes_; }

 private:
  char* data_ = nullptr;
  size_t bytes_ = 0;
};

}  // namespace relu::bench

#endif  // RELU_BENCH_BUFFERS_H_
