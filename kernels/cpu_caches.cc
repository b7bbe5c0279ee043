// Detects cache sizes: sysfs first, then CPUID's deterministic cache leaves, then defaults.
//
// Some virtual machines (this project's among them) expose no
// /sys/devices/system/cpu/cpu0/cache, and Google Benchmark then reports no
// caches; CPUID still describes them, so the suite records where each
// number came from.
#include "kernels/cpu_caches.h"

#include <cstdlib>
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

#if defined(__x86_64__) || defined(__i386__)
// Intel's leaf 4 and AMD's leaf 0x8000001D share one layout.
bool FromDeterministicLeaves(CacheSizes& c, unsigned leaf) {
  unsigned eax, ebx, ecx, edx;
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
}

// AMD's older leaves 0x80000005/6, which hypervisors that hide 0x8000001D
// often still pass through.
bool FromAmdLegacyLeaves(CacheSizes& c, std::string& note) {
  unsigned eax, ebx, ecx, edx;
  __cpuid(0x80000005u, eax, ebx, ecx, edx);
  c.l1d = static_cast<size_t>(ecx >> 24) << 10;
  __cpuid(0x80000006u, eax, ebx, ecx, edx);
  c.l2 = static_cast<size_t>(ecx >> 16) << 10;
  c.llc = static_cast<size_t>(edx >> 18) * (512u << 10);
  // One Zen CCD's L3 is at most 96 MiB (X3D parts); a larger figure is the
  // socket total a hypervisor passed on, and a core only caches in its own
  // CCD's share. Measured here: bandwidth falls at 24-32 MiB, not 508 MiB.
  __cpuid(1, eax, ebx, ecx, edx);
  const unsigned family = ((eax >> 8) & 0xF) + ((eax >> 20) & 0xFF);
  const bool hypervisor = (ecx >> 31) & 1;
  if (family >= 0x19 && hypervisor && c.llc > (96u << 20)) {
    note = " (L3 reported as " + std::to_string(c.llc >> 20) +
           " MiB, a socket total; one Zen 3+ CCD's 32 MiB used)";
    c.llc = 32u << 20;
  }
  return c.l1d != 0 && c.l2 != 0;
}
#endif

bool FromCpuid(CacheSizes& c) {
#if defined(__x86_64__) || defined(__i386__)
  unsigned eax, ebx, ecx, edx;
  if (!__get_cpuid(0, &eax, &ebx, &ecx, &edx)) return false;
  const bool amd = ebx == 0x68747541;  // "Auth"enticAMD
  const unsigned max_leaf = eax;
  __get_cpuid(0x80000000u, &eax, &ebx, &ecx, &edx);
  const unsigned max_ext = eax;
  if (amd && max_ext >= 0x8000001Du &&
      FromDeterministicLeaves(c, 0x8000001Du)) {
    c.source = "cpuid 0x8000001D";
    return true;
  }
  if (!amd && max_leaf >= 4 && FromDeterministicLeaves(c, 4)) {
    c.source = "cpuid 4";
    return true;
  }
  std::string note;
  if (amd && max_ext >= 0x80000006u && FromAmdLegacyLeaves(c, note)) {
    c.source = "cpuid 0x80000005/6" + note;
    return true;
  }
  return false;
#else
  (void)c;
  return false;
#endif
}

// RELU_CACHE_L1D / RELU_CACHE_L2 / RELU_CACHE_LLC (bytes) override detection.
void ApplyOverrides(CacheSizes& c) {
  bool any = false;
  auto read = [&any](const char* name, size_t& value) {
    if (const char* text = std::getenv(name)) {
      const unsigned long long v = std::strtoull(text, nullptr, 10);
      if (v != 0) {
        value = static_cast<size_t>(v);
        any = true;
      }
    }
  };
  read("RELU_CACHE_L1D", c.l1d);
  read("RELU_CACHE_L2", c.l2);
  read("RELU_CACHE_LLC", c.llc);
  if (any) c.source += " + environment override";
}

CacheSizes Detect() {
  CacheSizes c;
  if (FromSysfs(c)) {
    c.source = "sysfs";
  } else if (c = CacheSizes(); FromCpuid(c)) {
  } else {
    c = CacheSizes{32 << 10, 1 << 20, 32 << 20, "default"};
  }
  if (c.llc == 0) c.llc = c.l2;
  ApplyOverrides(c);
  return c;
}

}  // namespace

const CacheSizes& DetectedCaches() {
  static const CacheSizes caches = Detect();
  return caches;
}

}  // namespace relu
