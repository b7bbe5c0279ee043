// Detects cache sizes: sysfs first, then CPUID's deterministic cache leaves, then defaults.
//
// Some virtual machines (this project's among them) expose no
// /sys/devices/system/cpu/cpu0/cache, and Google Benchmark then reports no
// caches; CPUID still describes them, so the suite records where each
// number came from.
#include "kernels/cpu_caches.h"

#include <fstream>
#include <string>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

namespace relu {
namespace {

// Parses sysfs sizes such as "48K" or "32768K" or "1M".
size_t ParseSize(const std::string& text) {
  size_t value = 0;
  size_t i = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    value = value * 10 + static_cast<size_t>(text[i] - '0');
    ++i;
  }
  if (i < text.size()) {
    if (text[i] == 'K') value <<= 10;
    if (text[i] == 'M') value <<= 20;
    if (text[i] == 'G') value <<= 30;
  }
  return value;
}

bool FromSysfs(CacheSizes& c) {
  for (int index = 0; index < 8; ++index) {
    const std::string dir =
        "/sys/devices/system/cpu/cpu0/cache/index" + std::to_string(index) + "/";
    std::ifstream level_file(dir + "level"), type_file(dir + "type"),
        size_file(dir + "size");
    if (!level_file || !type_file || !size_file) break;
    int level = 0;
    std::string type, size;
    level_file >> level;
    type_file >> type;
    size_file >> size;
    if (type == "Instruction") continue;
    const size_t bytes = ParseSize(size);
    if (level == 1) c.l1d = bytes;
    if (level == 2) c.l2 = bytes;
    if (level >= 2) c.llc = bytes;
  }
  return c.l1d != 0 && c.l2 != 0;
}

bool FromCpuid(CacheSizes& c) {
#if defined(__x86_64__) || defined(__i386__)
  unsigned eax, ebx, ecx, edx;
  if (!__get_cpuid(0, &eax, &ebx, &ecx, &edx)) return false;
  const bool amd = ebx == 0x68747541;  // "Auth"enticAMD
  // Intel's leaf 4 and AMD's leaf 0x8000001D share one layout.
  const unsigned leaf = amd ? 0x8000001Du : 4u;
  if (amd) {
    if (!__get_cpuid(0x80000000u, &eax, &ebx, &ecx, &edx) || eax < leaf) {
      return false;
    }
  } else if (eax < leaf) {
    return false;
  }
  for (unsigned sub = 0; sub < 16; ++sub) {
    __cpuid_count(leaf, sub, eax, ebx, ecx, edx);
    const unsigned type = eax & 0x1F;  // 0: no more caches, 2: instruction
    if (type == 0) break;
    if (type == 2) continue;
    const unsigned level = (eax >> 5) & 0x7;
    const size_t ways = ((ebx >> 22) & 0x3FF) + 1;
    const size_t partitions = ((ebx >> 12) & 0x3FF) + 1;
    const size_t line = (ebx & 0xFFF) + 1;
    const size_t sets = static_cast<size_t>(ecx) + 1;
    const size_t bytes = ways * partitions * line * sets;
    if (level == 1) c.l1d = bytes;
    if (level == 2) c.l2 = bytes;
    if (level >= 2) c.llc = bytes;
  }
  return c.l1d != 0 && c.l2 != 0;
#else
  (void)c;
  return false;
#endif
}

CacheSizes Detect() {
  CacheSizes c;
  if (FromSysfs(c)) {
    c.source = "sysfs";
  } else if (c = CacheSizes(); FromCpuid(c)) {
    c.source = "cpuid";
  } else {
    c = CacheSizes{32 << 10, 1 << 20, 32 << 20, "default"};
  }
  if (c.llc == 0) c.llc = c.l2;
  return c;
}

}  // namespace

const CacheSizes& DetectedCaches() {
  static const CacheSizes caches = Detect();
  return caches;
}

}  // namespace relu
