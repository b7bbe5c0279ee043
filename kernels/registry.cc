// The registry: builds the one table of kernels from the vocabulary's variants x RELU_FORMS x {f32, f64}.
#include <atomic>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "kernels/cpu_caches.h"
#include "kernels/forms.h"
#include "kernels/relu.h"

namespace relu {
namespace {

std::atomic<size_t>& StreamThreshold() {
  // Measured on the Zen 5 machine (README, "Streaming stores"): streaming
  // pays once a call's working set no longer fits in the last-level cache,
  // where write-allocate traffic starts to cost.
  static std::atomic<size_t> threshold{DetectedCaches().llc};
  return threshold;
}

std::atomic<size_t>& NarrowVectorThreshold() {
  // Measured with relu_threshold_probe (README, "Vector width from DRAM"):
  // 32-byte vectors tie 64-byte ones up to a working set of about a third
  // of the last-level cache and win by 1.5-10% from half of it on, up to
  // DRAM; in L2 the 64-byte ones win.
  static std::atomic<size_t> threshold{DetectedCaches().llc / 2};
  return threshold;
}

template <typename T>
std::vector<Kernel<T>> Build() {
  std::vector<Kernel<T>> kernels;
#define RELU_ADD(id, fn, name, kind, second, out)                         \
  kernels.push_back({&Info(Variant::id), Form::kScalar, &scalar::fn<T>}); \
  kernels.push_back({&Info(Variant::id), Form::kEigen, &eigen::fn<T>});   \
  kernels.push_back({&Info(Variant::id), Form::kHighway, &highway::fn<T>});
  RELU_VARIANTS(RELU_ADD)
#undef RELU_ADD
  return kernels;
}

VariantInfo MakeInfo(Variant id, Kind kind, Second second, OutType out,
                     const vocab::VariantEntry& entry) {
  VariantInfo v{id,   entry.name, entry.numpy, kind, second, out,
                std::strcmp(entry.direction, "backward") == 0,
                {},   &entry};
  for (const vocab::ParamEntry& p : vocab::kParams) {
    if (p.variant == nullptr || std::strcmp(p.variant, entry.name) != 0) {
      continue;
    }
    if (!SetParam(v.defaults, p.name, p.value)) {
      throw std::logic_error(std::string("vocabulary.json: variant ") +
                             entry.name + " has parameter '" + p.name +
                             "', which relu::Params lacks");
    }
  }
  return v;
}

}  // namespace

bool SetParam(Params& p, const std::string& name, double value) {
  if (name == "alpha") {
    p.alpha = value;
  } else if (name == "t0") {
    p.t0 = value;
  } else if (name == "a0") {
    p.a0 = value;
  } else if (name == "a1") {
    p.a1 = value;
  } else {
    return false;
  }
  return true;
}

const std::vector<VariantInfo>& Variants() {
  static const std::vector<VariantInfo> variants = [] {
    std::vector<VariantInfo> v;
    size_t i = 0;
#define RELU_INFO(id, fn, name, kind, second, out)                  \
  v.push_back(MakeInfo(Variant::id, Kind::kind, Second::second,     \
                       OutType::out, vocab::kVariants[i++]));
    RELU_VARIANTS(RELU_INFO)
#undef RELU_INFO
    return v;
  }();
  return variants;
}

const VariantInfo& Info(Variant v) {
  return Variants().at(static_cast<size_t>(v));
}

const VariantInfo* FindVariant(const std::string& name) {
  for (const VariantInfo& v : Variants()) {
    if (name == v.name) return &v;
  }
  return nullptr;
}

const char* FormName(Form f) {
  switch (f) {
#define RELU_NAME(id, name) \
  case Form::id:            \
    return name;
    RELU_FORMS(RELU_NAME)
#undef RELU_NAME
  }
  return "?";
}

const char* DTypeName(DType d) { return d == DType::kF32 ? "f32" : "f64"; }

template <typename T>
std::string Kernel<T>::Name() const {
  return std::string(variant->name) + "/" + FormName(form) + "/" +
         DTypeName(DTypeOf<T>());
}

template <typename T>
const std::vector<Kernel<T>>& Kernels() {
  static const std::vector<Kernel<T>> kernels = Build<T>();
  return kernels;
}

template <typename T>
const Kernel<T>& Find(Variant v, Form f) {
  for (const Kernel<T>& k : Kernels<T>()) {
    if (k.variant->id == v && k.form == f) return k;
  }
  throw std::out_of_range(std::string("no kernel ") + Info(v).name + "/" +
                          FormName(f));
}

size_t KernelCount() {
  return Kernels<float>().size() + Kernels<double>().size();
}

size_t StreamThresholdBytes() {
  return StreamThreshold().load(std::memory_order_relaxed);
}

void SetStreamThresholdBytes(size_t bytes) {
  StreamThreshold().store(bytes, std::memory_order_relaxed);
}

size_t NarrowVectorThresholdBytes() {
  return NarrowVectorThreshold().load(std::memory_order_relaxed);
}

void SetNarrowVectorThresholdBytes(size_t bytes) {
  NarrowVectorThreshold().store(bytes, std::memory_order_relaxed);
}

template struct Kernel<float>;
template struct Kernel<double>;
template const std::vector<Kernel<float>>& Kernels<float>();
template const std::vector<Kernel<double>>& Kernels<double>();
template const Kernel<float>& Find<float>(Variant, Form);
template const Kernel<double>& Find<double>(Variant, Form);

}  // namespace relu
