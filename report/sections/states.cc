// The cache states and the harnesses: each state against resident, the C++
// rounds against the Python harness on the same kernel, the plain Google
// Benchmark loop against resident, and the probe that takes the producer
// state's cost apart.
#include <algorithm>
#include <cmath>

#include "report/sections/sections.h"

namespace relu::report {
namespace {

constexpr const char* kStatesIntro =
    "Highway maximum, one thread, in each cache state ({producer}, "
    "{resident}, {dram}); each state's time over resident's (different "
    "groups, so the interval compares all samples). Where a state costs "
    "more than 10% over resident, the cache-state probe (`relu_probe "
    "--knob=state`, where the run has it) takes the procedures apart.\n\n";
constexpr const char* kHarnessIntro =
    "The same calls of one kernel, state and size timed two ways in the same "
    "rounds of the Python process: by the C++ suite's own batch ({ctimed}: "
    "the state's procedure, then the calls between two steady_clock reads "
    "in C) and from Python ({python}), less the Python row's {floor} (the "
    "harness's own time around the same calls, measured in the same rounds "
    "after the same procedure). Paired round by round, so the "
    "machine's drift between processes stays out. Target: agreement within "
    "±10% (the interval inside 0.9–1.1) from 64 KiB up. The last columns "
    "set the C-timed batch against the C++ suite's row ({ring}), timed in "
    "another process minutes apart: how far two processes of the same code "
    "differ here.{probe}\n\n";
constexpr const char* kHarnessIntroAcross =
    "The same kernel, state and size timed by the C++ suite ({ring}) and "
    "from Python ({python}), with each Python row's {floor} subtracted "
    "(this run measured it around a ctypes no-op, which leaves the "
    "interpreter's data cached between calls: a lower bound). Target: agreement "
    "within ±10% (the interval inside 0.9–1.1) from 64 KiB up. The two "
    "harnesses run in different processes, minutes apart; this run has no "
    "C-timed rows to pair them in one.{probe}\n\n";
constexpr const char* kHarnessProbe =
    " The harness probe (appendix) takes the Python harness apart arm by "
    "arm.";
constexpr const char* kGbenchIntro =
    "A plain Google Benchmark loop ({gbench}) over the same call on the "
    "same pages, against the suite's {resident} row, {how}. Target: within "
    "±10% from 64 KiB up.\n\n";
constexpr const char* kGbenchPaired =
    "paired round by round (Google Benchmark's runner times one repetition "
    "of the loop in each round of the resident group)";
constexpr const char* kGbenchUnpaired =
    "from all their samples (this run timed the loop after the resident "
    "group, not in its rounds)";
constexpr const char* kGbenchMixed =
    "paired round by round where the run timed the loop in the resident "
    "group's rounds, else from all their samples";
constexpr const char* kProbePointer =
    "The probes' tables are in the [appendix]({appendix}#every-size): "
    "`relu_probe --knob=state` takes the states apart arm by arm in one "
    "process{python}.\n\n";
constexpr const char* kPythonProbePointer =
    ", and `py_bench.py --probe-harness` times the same calls in C and from "
    "Python, with the harness floor, in one Python process";
constexpr const char* kProbeIntro =
    "The probes alternate their arms round by round in one process "
    "(`relu_probe --knob=state`: the states' procedures before the same "
    "call, ratios to the first arm; `py_bench.py --probe-harness`: the "
    "Python harness taken apart), with paired 95% intervals:\n\n";

constexpr double kAgree = 0.10;
constexpr double kFrom = 64 * 1024;

std::string Agreement(const Comparison& c) {
  if (!c.valid()) return "no interval";
  if (c.ratio.lo >= 1 - kAgree && c.ratio.hi <= 1 + kAgree) return "agree";
  if (c.ratio.hi < 1 - kAgree || c.ratio.lo > 1 + kAgree) return "disagree";
  return "tie with the ±10% line";
}

// The Python row's samples with its harness's per-call overhead taken off.
Measurement WithoutOverhead(const Measurement& m) {
  Measurement out = m;
  const double overhead = m.Counter("harness_overhead_ns").value_or(0);
  for (double& s : out.samples_ns) s = std::max(s - overhead, s * 0.01);
  out.time_ns = std::max(m.time_ns - overhead, m.time_ns * 0.01);
  return out;
}

std::vector<int64_t> Sizes(const Model& model, const std::string& dtype,
                           const Query& q) {
  std::vector<int64_t> ns;
  Query any = q;
  any.dtype = dtype;
  for (const Measurement* m : Rows(model, any)) {
    const auto n = m->name.Elements();
    if (n && m->name.Get("shape").empty() &&
        std::find(ns.begin(), ns.end(), *n) == ns.end()) {
      ns.push_back(*n);
    }
  }
  std::sort(ns.begin(), ns.end());
  return ns;
}

std::string StatesTable(const Doc& doc) {
  Table t({"dtype", "size class", "input", "producer", "resident", "dram",
           "producer ÷ resident", "dram ÷ resident"});
  for (const std::string& dtype : Dtypes(doc.model)) {
    for (const auto& [cls, n] : ClassSizes(doc.model, dtype)) {
      Query q;
      q.op = "maximum";
      q.form = "highway";
      q.dtype = dtype;
      q.n = n;
      q.out = "reuse";
      q.harness = "ring";
      const Measurement* producer = FastestRow(doc.model, q);
      q.state = "resident";
      const Measurement* resident = FastestRow(doc.model, q);
      q.state = "dram";
      const Measurement* dram = FastestRow(doc.model, q);
      if (!resident || (!producer && !dram)) continue;
      auto time = [](const Measurement* m) {
        return m ? TimeWithCi(*m) : std::string("—");
      };
      auto ratio = [&](const Measurement* m) {
        return m ? RatioWithCi(Compare(*m, *resident)) : std::string("—");
      };
      t.AddRow({dtype, SizeClassName(cls),
                FormatBytes(double(n) * (dtype == "f32" ? 4 : 8)),
                time(producer), time(resident), time(dram), ratio(producer),
                ratio(dram)});
    }
  }
  return t.empty() ? "" : t.Render() + "\n";
}

// Whether the run's probe file holds the Python harness probe (a full run
// with NumPy).
bool PythonProbe(const Doc& doc) {
  return doc.in.probe.find("py_bench.py --probe-harness") != std::string::npos;
}

// The floor the Python row subtracted; a dash for files that record none.
std::string FloorCell(const Measurement& m) {
  const auto floor = m.Counter("harness_overhead_ns");
  return floor && *floor > 0 ? FormatTime(*floor) : std::string("—");
}

// Whether the run has C-timed rows (py_bench.py from this version on).
bool HasCtimed(const Doc& doc) {
  Query q;
  q.harness = "ctimed";
  q.state = "";
  return FastestRow(doc.model, q) != nullptr;
}

// Python less floor against the C-timed batch of the same calls in the
// same rounds (paired); where a run has no C-timed rows, against the C++
// suite's row across processes.
std::string HarnessTable(const Doc& doc) {
  const bool paired = HasCtimed(doc);
  Table t = paired ? Table({"kernel", "dtype", "input", "C-timed",
                            "harness floor", "Python, less floor",
                            "Python ÷ C-timed (95% CI)", "±10%",
                            "C++ suite", "C-timed ÷ suite"})
                   : Table({"kernel", "dtype", "input", "C++ rounds",
                            "harness floor", "Python, less floor",
                            "Python ÷ C++ (95% CI)", "±10%"});
  for (const char* v : {"maximum", "maximum_inplace"}) {
    for (const std::string& dtype : Dtypes(doc.model)) {
      Query q;
      q.op = v;
      q.form = "highway";
      q.out = "default";
      q.harness = "python";
      for (int64_t n : Sizes(doc.model, dtype, q)) {
        const double bytes = double(n) * (dtype == "f32" ? 4 : 8);
        if (bytes < kFrom || !ShownSize(doc, dtype, n)) continue;
        Query py = q;
        py.dtype = dtype;
        py.n = n;
        Query ring = py;
        ring.harness = "ring";
        Query ctimed = py;
        ctimed.harness = "ctimed";
        const Measurement* p = FastestRow(doc.model, py);
        const Measurement* r = FastestRow(doc.model, ring);
        const Measurement* c = FastestRow(doc.model, ctimed);
        if (!p || !(paired ? c : r)) continue;
        const Measurement adjusted = WithoutOverhead(*p);
        const std::string kernel = std::string(v) + "/highway";
        if (!paired) {
          const Comparison cmp = Compare(adjusted, *r);
          t.AddRow({kernel, dtype, FormatBytes(bytes), TimeWithCi(*r),
                    FloorCell(*p), FormatTime(adjusted.time_ns),
                    RatioWithCi(cmp), Agreement(cmp)});
          continue;
        }
        const Comparison cmp = Compare(adjusted, *c);
        t.AddRow({kernel, dtype, FormatBytes(bytes), TimeWithCi(*c),
                  FloorCell(*p), FormatTime(adjusted.time_ns),
                  RatioWithCi(cmp), Agreement(cmp),
                  r ? TimeWithCi(*r) : std::string("—"),
                  r ? RatioWithCi(Compare(*c, *r)) : std::string("—")});
      }
    }
  }
  return t.empty() ? "" : t.Render() + "\n";
}

// `paired` and `unpaired` count the loops shown each way.
std::string GbenchTable(const Doc& doc, size_t* paired, size_t* unpaired) {
  Table t({"kernel", "dtype", "input", "resident (rounds)", "plain GB loop",
           "GB ÷ resident (95% CI)", "±10%"});
  for (const Measurement& g : doc.model.measurements) {
    if (!g.ok() || g.name.Get("harness") != "gbench") continue;
    Query q =
        SuiteQuery(g.name.op, g.name.form, g.name.dtype, g.name.Elements());
    q.state = "resident";
    const Measurement* r = FastestRow(doc.model, q);
    if (r == nullptr || !ShownSize(doc, g.name.dtype, *q.n)) continue;
    const Comparison c = Compare(g, *r);
    ++*(c.kind == Comparison::Kind::kPaired ? paired : unpaired);
    const double bytes = double(*q.n) * (g.name.dtype == "f32" ? 4 : 8);
    t.AddRow({g.name.op + "/" + g.name.form, g.name.dtype, FormatBytes(bytes),
              TimeWithCi(*r), TimeWithCi(g), RatioWithCi(c),
              bytes < kFrom ? std::string("— (below 64 KiB)") : Agreement(c)});
  }
  return t.empty() ? "" : t.Render() + "\n";
}

}  // namespace

std::string RenderStates(const Doc& doc) {
  Glossary& g = doc.glossary;
  std::string out;
  const std::string states = StatesTable(doc);
  if (!states.empty()) {
    out += Fill(kStatesIntro, fmt::arg("producer", g.Term("producer")),
                fmt::arg("resident", g.Term("resident")),
                fmt::arg("dram", g.Term("dram"))) +
           states;
  }
  const std::string harness = HarnessTable(doc);
  if (!harness.empty()) {
    const bool paired = HasCtimed(doc);
    out += Fill(paired ? kHarnessIntro : kHarnessIntroAcross,
                fmt::arg("ring", g.Term("harness:ring")),
                fmt::arg("python", g.Term("harness:python")),
                fmt::arg("ctimed", paired ? g.Term("harness:ctimed") : ""),
                fmt::arg("floor", g.Term("harness floor")),
                fmt::arg("probe", PythonProbe(doc) ? kHarnessProbe : "")) +
           harness;
  }
  size_t paired = 0, unpaired = 0;
  const std::string gbench = GbenchTable(doc, &paired, &unpaired);
  if (!gbench.empty()) {
    const char* how = unpaired == 0 ? kGbenchPaired
                      : paired == 0 ? kGbenchUnpaired
                                    : kGbenchMixed;
    out += Fill(kGbenchIntro, fmt::arg("gbench", g.Term("harness:gbench")),
                fmt::arg("resident", g.Term("resident")),
                fmt::arg("how", how)) +
           gbench;
  }
  if (!doc.in.probe.empty()) {
    out += doc.every_size
               ? kProbeIntro + doc.in.probe + "\n"
               : Fill(kProbePointer, fmt::arg("appendix", doc.appendix),
                      fmt::arg("python",
                               PythonProbe(doc) ? kPythonProbePointer : ""));
  }
  return out;
}

}  // namespace relu::report
