// Contenders: kernels, peers and copies bound to rings and verified after timing (see contenders.h).
#include "bench/contenders.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <stdexcept>

#include "kernels/cpu_caches.h"
#include "kernels/data.h"
#include "kernels/edge_inputs.h"
#include "kernels/threads.h"

namespace relu::bench {
namespace {

// prelu's row length on the 1-D sweep: channels of a typical layer.
constexpr size_t kDefaultChannels = 256;

std::string Number(double v) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.17g", v);
  // The shortest form that reads back the same.
  for (int precision = 1; precision <= 17; ++precision) {
    char shorter[32];
    std::snprintf(shorter, sizeof(shorter), "%.*g", precision, v);
    if (std::strtod(shorter, nullptr) == v) return shorter;
  }
  return text;
}

// Name segments "key:value" in the vocabulary's key order; a key outside the
// vocabulary is a bug in the caller.
std::string Segments(const std::map<std::string, std::string>& keys) {
  std::string s;
  size_t used = 0;
  for (const vocab::KeyEntry& k : vocab::kKeys) {
    auto it = keys.find(k.name);
    if (it == keys.end()) continue;
    s += "/" + it->first + ":" + it->second;
    ++used;
  }
  if (used != keys.size()) {
    throw std::logic_error("a benchmark name uses a key vocabulary.json lacks");
  }
  return s;
}

std::string ShapeOf(const Condition& c, const VariantInfo* v,
                    const Params* p) {
  if (v != nullptr && v->second == Second::kChannelAlpha && p != nullptr) {
    return std::to_string(c.n / p->channels) + "x" + std::to_string(p->channels);
  }
  if (c.rows != 0) return std::to_string(c.rows) + "x" + std::to_string(c.n / c.rows);
  return "";
}

size_t ElemBytes(DType d) { return d == DType::kF32 ? 4 : 8; }

// Compares n results (of type R) with the reference; +0 and -0 match when
// `either_zero` (peers, which owe NumPy nothing on signed zeros).
template <typename R>
std::string Mismatch(const void* got_v, const void* want_v, size_t n,
                     bool either_zero) {
  const R* got = static_cast<const R*>(got_v);
  const R* want = static_cast<const R*>(want_v);
  for (size_t i = 0; i < n; ++i) {
    if (SameResult(got[i], want[i])) continue;
    if (either_zero && got[i] == R(0) && want[i] == R(0)) continue;
    char text[160];
    std::snprintf(text, sizeof(text),
                  "result differs from the scalar reference at %zu: got %.9g, "
                  "want %.9g",
                  i, static_cast<double>(got[i]), static_cast<double>(want[i]));
    return text;
  }
  return "";
}

std::string MismatchAs(size_t out_bytes, const void* got, const void* want,
                       size_t n, bool either_zero) {
  return out_bytes == 4 ? Mismatch<float>(got, want, n, either_zero)
                        : Mismatch<double>(got, want, n, either_zero);
}

// The scalar form of variant v on slot k's pristine input: the reference
// every row of v is held to.
template <typename T>
std::vector<char> Reference(const VariantInfo& v, const Ring& ring, size_t k,
                            const Params& p) {
  const size_t n = ring.n();
  std::vector<char> want(n * std::max(OutBytes<T>(v), sizeof(T)));
  const Kernel<T>& scalar = Find<T>(v.id, Form::kScalar);
  const T* pristine = static_cast<const T*>(ring.pristine(k));
  const T* second = static_cast<const T*>(ring.second(k));
  if (v.kind == Kind::kInPlace) {
    std::memcpy(want.data(), pristine, n * sizeof(T));
    scalar.fn(reinterpret_cast<T*>(want.data()), second, want.data(), n, &p);
  } else {
    scalar.fn(pristine, second, want.data(), n, &p);
  }
  return want;
}

template <typename T>
class KernelBound : public Bound {
 public:
  KernelBound(const Kernel<T>& k, Ring& ring, const Condition& c,
              const Params& p)
      : k_(k), ring_(ring), c_(c), p_(p) {}

  void Call(size_t slot) override {
    const T* in = static_cast<const T*>(ring_.in(slot));
    const T* second = static_cast<const T*>(ring_.second(slot));
    void* out = k_.variant->kind == Kind::kInPlace ? ring_.in(slot)
                                                   : ring_.out(slot);
    RunThreaded(k_, c_.threads, in, second, out, ring_.n(), p_);
  }

  std::string Verify() override {
    for (size_t slot = 0; slot < ring_.slots(); ++slot) {
      const std::vector<char> want = Reference<T>(*k_.variant, ring_, slot, p_);
      const void* got = k_.variant->kind == Kind::kInPlace ? ring_.in(slot)
                                                           : ring_.out(slot);
      std::string e = MismatchAs(OutBytes<T>(*k_.variant), got, want.data(),
                                 ring_.n(), false);
      if (!e.empty()) return e;
    }
    return "";
  }

 private:
  const Kernel<T>& k_;
  Ring& ring_;
  Condition c_;
  Params p_;
};

// out:fresh: each call mallocs its output (and callocs its zeros, as
// np.zeros does) and frees the previous one after the call, as `y = f(x)`
// does in NumPy; allocations of 4 MiB and more ask for huge pages, as
// NumPy's allocator does.
template <typename T>
class FreshBound : public Bound {
 public:
  FreshBound(const Kernel<T>& k, Ring& ring, const Condition& c,
             const Params& p)
      : k_(k), ring_(ring), c_(c), p_(p) {}
  ~FreshBound() override {
    std::free(latest_);
  }

  void Call(size_t slot) override {
    const size_t n = ring_.n();
    const size_t bytes = std::max<size_t>(n, 1) * OutBytes<T>(*k_.variant);
    void* out = std::malloc(bytes);
    if (out == nullptr) throw std::bad_alloc();
    AdviseHugePages(out, bytes);
    T* zeros = nullptr;
    const T* second = static_cast<const T*>(ring_.second(slot));
    if (k_.variant->second == Second::kZeros) {
      zeros = static_cast<T*>(std::calloc(std::max<size_t>(n, 1), sizeof(T)));
      if (zeros == nullptr) throw std::bad_alloc();
      AdviseHugePages(zeros, n * sizeof(T));
      second = zeros;
    }
    RunThreaded(k_, c_.threads, static_cast<const T*>(ring_.in(slot)), second,
                out, n, p_);
    std::free(zeros);
    std::free(previous_);
    previous_ = latest_;
    latest_ = out;
    latest_slot_ = slot;
  }

  std::string Verify() override {
    std::free(previous_);
    previous_ = nullptr;
    if (latest_ == nullptr) return "no call ran";
    const std::vector<char> want =
        Reference<T>(*k_.variant, ring_, latest_slot_, p_);
    return MismatchAs(OutBytes<T>(*k_.variant), latest_, want.data(),
                      ring_.n(), false);
  }

 private:
  const Kernel<T>& k_;
  Ring& ring_;
  Condition c_;
  Params p_;
  void* latest_ = nullptr;
  void* previous_ = nullptr;
  size_t latest_slot_ = 0;
};

template <typename T>
class PeerBound : public Bound {
 public:
  PeerBound(const Peer& peer, Ring& ring, const Condition& c, const Params& p)
      : peer_(peer), ring_(ring), p_(p) {
    const bool in_place = Info(peer.variant).kind == Kind::kInPlace;
    for (size_t k = 0; k < ring.slots(); ++k) {
      PeerArgs a;
      a.in = ring.in(k);
      a.in2 = ring.second(k);
      a.out = in_place ? ring.in(k) : ring.out(k);
      a.n = ring.n();
      a.params = p;
      a.threads = c.threads;
      calls_.push_back(peer.bind(a));
    }
  }

  void Call(size_t slot) override { calls_[slot]->Run(); }

  // Peers are held to their variant's result on this data (no NaN, no
  // infinity), a zero of either sign passing for a zero.
  std::string Verify() override {
    const VariantInfo& v = Info(peer_.variant);
    for (size_t k = 0; k < ring_.slots(); ++k) {
      const std::vector<char> want = Reference<T>(v, ring_, k, p_);
      const void* got = v.kind == Kind::kInPlace ? ring_.in(k) : ring_.out(k);
      std::string e = MismatchAs(sizeof(T), got, want.data(), ring_.n(), true);
      if (!e.empty()) return peer_.Name() + ": " + e;
    }
    return "";
  }

 private:
  const Peer& peer_;
  Ring& ring_;
  Params p_;
  std::vector<std::unique_ptr<PeerCall>> calls_;
};

class CopyBound : public Bound {
 public:
  CopyBound(const CopyRef& copy, Ring& ring, size_t bytes, size_t threads)
      : copy_(copy), ring_(ring), bytes_(bytes), threads_(threads) {}

  void Call(size_t k) override {
    const char* in = static_cast<const char*>(ring_.in(k));
    char* out = copy_.in_place ? static_cast<char*>(ring_.in(k))
                               : static_cast<char*>(ring_.out(k));
    const CopyFn fn = copy_.fn;
    if (ThreadsFor(threads_, copy_.in_place ? bytes_ : 2 * bytes_) <= 1) {
      fn(in, out, bytes_);
      return;
    }
    ParallelChunks(threads_, bytes_, 64, [&](size_t begin, size_t end) {
      fn(in + begin, out + begin, end - begin);
    });
  }

  std::string Verify() override {
    for (size_t k = 0; k < ring_.slots(); ++k) {
      const void* got = copy_.in_place ? ring_.in(k) : ring_.out(k);
      if (std::memcmp(got, ring_.pristine(k), bytes_) != 0) {
        return "copy differs from its input";
      }
    }
    return "";
  }

 private:
  const CopyRef& copy_;
  Ring& ring_;
  size_t bytes_;
  size_t threads_;
};

template <typename T>
stats::Descriptor DescriptorOf(const VariantInfo& v, const char* form,
                               const Condition& c, const std::string& out,
                               const std::string& isa, const Params& p,
                               bool ours) {
  stats::Descriptor d;
  d.family = "relu";
  d.op = v.name;
  d.form = form;
  d.out = out;
  d.threads = std::to_string(c.threads);
  d.isa = isa;
  d.harness = "ring";
  d.params = ParamsSuffix(v, p);
  d.ours = ours;
  d.in_place = v.kind == Kind::kInPlace;
  return d;
}

}  // namespace

Params ParamsFor(const VariantInfo& v, const Condition& c) {
  Params p = v.defaults;
  if (v.second == Second::kChannelAlpha) {
    p.channels = c.rows != 0 ? c.n / c.rows : kDefaultChannels;
    if (p.channels == 0 || c.n % p.channels != 0) p.channels = 1;
  }
  return p;
}

std::string ParamsSuffix(const VariantInfo& v, const Params& p) {
  std::map<std::string, std::string> keys;
  for (const vocab::ParamEntry& e : vocab::kParams) {
    if (e.variant == nullptr || std::string(e.variant) != v.name) continue;
    double value = 0;
    const std::string name = e.name;
    if (name == "alpha") value = p.alpha;
    if (name == "t0") value = p.t0;
    if (name == "a0") value = p.a0;
    if (name == "a1") value = p.a1;
    keys[name] = Number(value);
  }
  std::string s = Segments(keys);
  return s.empty() ? s : s.substr(1);
}

std::string ConditionSuffix(const Condition& c, const VariantInfo* v,
                            const std::string& out, const Params* params,
                            const std::string& isa) {
  std::map<std::string, std::string> keys;
  keys["n"] = std::to_string(c.n);
  const std::string shape = ShapeOf(c, v, params);
  if (!shape.empty()) keys["shape"] = shape;
  keys["out"] = out;
  keys["state"] = StateName(c.state);
  keys["neg"] = std::to_string(c.neg);
  keys["threads"] = std::to_string(c.threads);
  if (!isa.empty()) keys["isa"] = isa;
  if (v != nullptr && params != nullptr) {
    const std::string p = ParamsSuffix(*v, *params);
    size_t start = 0;
    while (start < p.size()) {
      size_t end = p.find('/', start);
      if (end == std::string::npos) end = p.size();
      const std::string seg = p.substr(start, end - start);
      const size_t colon = seg.find(':');
      keys[seg.substr(0, colon)] = seg.substr(colon + 1);
      start = end + 1;
    }
  }
  return Segments(keys);
}

template <typename T>
Contender KernelContender(const Kernel<T>& k, const Condition& c,
                          int64_t target) {
  const VariantInfo& v = *k.variant;
  const Params p = ParamsFor(v, c);
  const bool in_place = v.kind == Kind::kInPlace;
  const std::string out = in_place ? "inplace" : c.out;
  const std::string isa = target != 0 ? HighwayTargetName(target) : "";
  Contender con;
  con.cond = c;
  con.name = "relu/" + k.Name() + ConditionSuffix(c, &v, out, &p, isa);
  con.desc = DescriptorOf<T>(v, FormName(k.form), c, out, isa, p, true);
  con.bytes_moved = BytesMoved<T>(v, c.n, p);
  con.ws_bytes = WorkingSetBytes<T>(v, c.n, p);
  con.access = {in_place, v.second != Second::kNone,
                in_place ? 0 : c.n * OutBytes<T>(v)};
  con.ring = ChooseRing(DTypeOf<T>(), c.n, con.ws_bytes, c.neg, v.second,
                        SecondCount(v, c.n, p), DetectedCaches());
  const Kernel<T>* kp = &k;
  if (target != 0) {
    for (const TargetKernel<T>& tk : HighwayTargetKernels<T>()) {
      if (tk.target == target && tk.kernel.variant == k.variant) {
        kp = &tk.kernel;
      }
    }
  }
  const bool fresh = !in_place && c.out == "fresh";
  con.bind = [kp, c, p, fresh](Ring& ring) -> std::unique_ptr<Bound> {
    if (fresh) return std::make_unique<FreshBound<T>>(*kp, ring, c, p);
    return std::make_unique<KernelBound<T>>(*kp, ring, c, p);
  };
  return con;
}

Contender PeerContender(const Peer& peer, const Condition& c) {
  const VariantInfo& v = Info(peer.variant);
  const Params p = ParamsFor(v, c);
  const bool in_place = v.kind == Kind::kInPlace;
  const std::string out = in_place ? "inplace" : "reuse";
  Contender con;
  con.cond = c;
  con.name = "relu/" + peer.Name() + ConditionSuffix(c, &v, out, &p, "");
  const bool f32 = peer.dtype == DType::kF32;
  con.desc = f32 ? DescriptorOf<float>(v, peer.form.c_str(), c, out, "", p, false)
                 : DescriptorOf<double>(v, peer.form.c_str(), c, out, "", p, false);
  con.bytes_moved = f32 ? BytesMoved<float>(v, c.n, p) : BytesMoved<double>(v, c.n, p);
  con.ws_bytes =
      f32 ? WorkingSetBytes<float>(v, c.n, p) : WorkingSetBytes<double>(v, c.n, p);
  const size_t out_elem = f32 ? OutBytes<float>(v) : OutBytes<double>(v);
  con.access = {in_place, v.second != Second::kNone,
                in_place ? 0 : c.n * out_elem};
  con.ring = ChooseRing(peer.dtype, c.n, con.ws_bytes, c.neg, v.second,
                        SecondCount(v, c.n, p), DetectedCaches());
  const Peer* pp = &peer;
  con.bind = [pp, c, p, f32](Ring& ring) -> std::unique_ptr<Bound> {
    if (f32) return std::make_unique<PeerBound<float>>(*pp, ring, c, p);
    return std::make_unique<PeerBound<double>>(*pp, ring, c, p);
  };
  return con;
}

Contender CopyContender(const CopyRef& copy, const Condition& c) {
  const size_t bytes = c.n * ElemBytes(c.dtype);
  Contender con;
  con.cond = c;
  const std::string out = copy.in_place ? "inplace" : "reuse";
  con.name = std::string("copy/") + copy.method + "/" + copy.form + "/" +
             DTypeName(c.dtype) + ConditionSuffix(c, nullptr, out, nullptr, "");
  con.desc.family = "copy";
  con.desc.op = copy.method;
  con.desc.form = copy.form;
  con.desc.out = out;
  con.desc.threads = std::to_string(c.threads);
  con.desc.harness = "ring";
  con.desc.in_place = copy.in_place;
  con.bytes_moved = 2 * bytes;
  con.ws_bytes = copy.in_place ? bytes : 2 * bytes;
  con.access = {copy.in_place, false, copy.in_place ? 0 : bytes};
  con.ring = ChooseRing(c.dtype, c.n, con.ws_bytes, c.neg, Second::kNone, 0,
                        DetectedCaches());
  const CopyRef* cp = &copy;
  const size_t threads = c.threads;
  con.bind = [cp, bytes, threads](Ring& ring) -> std::unique_ptr<Bound> {
    return std::make_unique<CopyBound>(*cp, ring, bytes, threads);
  };
  return con;
}

template Contender KernelContender<float>(const Kernel<float>&,
                                          const Condition&, int64_t);
template Contender KernelContender<double>(const Kernel<double>&,
                                           const Condition&, int64_t);

}  // namespace relu::bench
