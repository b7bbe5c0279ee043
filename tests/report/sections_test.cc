// Sections: the first screen's ranking and verdicts, the ceilings, the
// glossary links, and the report's length limits on a real run.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "report/bench_json.h"
#include "report/cli.h"
#include "report/model.h"
#include "report/render.h"
#include "report/sections/answer.h"
#include "report/sections/machines.h"
#include "report/sections/sections.h"
#include "report/so_claims.h"
#include "tests/report/test_util.h"

namespace relu::report {
namespace {

using testing::DataPath;
using testing::GbJson;
using testing::GbRounds;
using testing::LineCount;
using testing::MarkdownTables;

// The files and the model live as long as the test: the model points into
// them.
struct Run {
  ReportInput in;
  Model model;
  Glossary glossary{"appendix.md"};
  Doc doc() { return Doc{in, model, glossary, "appendix.md"}; }
};

std::unique_ptr<Run> RunOf(const std::vector<std::string>& rows) {
  auto run = std::make_unique<Run>();
  run->in.files.push_back(ParseBenchJson(
      ParseJsonText(GbJson(rows, R"({"host_name": "h", "num_cpus": 2,
          "numpy_version": "1.24.2"})"),
                    "py.json"),
      "py.json"));
  run->model = BuildModel(run->in.files);
  return run;
}

std::unique_ptr<Run> FixtureRun() {
  auto run = std::make_unique<Run>();
  for (const char* f : {"run_bench.json", "run_py.json"}) {
    BenchFile file = LoadBenchFile(DataPath(f));
    file.path = f;
    run->in.files.push_back(std::move(file));
  }
  run->in.claims = LoadSoClaims(DataPath("run_so_claims.json"));
  run->model = BuildModel(run->in.files);
  return run;
}

// NumPy rows at the question's shape, as py_bench names them.
std::string Numpy(const std::string& variant, const std::string& out) {
  return "relu/" + variant +
         "/numpy/f64/n:25000000/shape:5000x5000/out:" + out +
         "/state:producer/neg:50/threads:1/harness:python/protocol:fair";
}

// The table of md whose header says `title` in column `column`, its cells
// trimmed; empty if there is none.
std::vector<std::vector<std::string>> TableHeaded(const std::string& md,
                                                  size_t column,
                                                  const std::string& title) {
  std::vector<std::vector<std::string>> found;
  for (auto table : MarkdownTables(md)) {
    for (auto& row : table) {
      for (std::string& cell : row) {
        cell.erase(0, cell.find_first_not_of(' '));
        cell.erase(cell.find_last_not_of(' ') + 1);
      }
    }
    if (table[0].size() > column && table[0][column] == title) found = table;
  }
  return found;
}

// n rounds around `base` with a deterministic +-2% wobble shared by every
// row (the machine's slow stretches), times `factor`.
std::vector<double> Rounds(double base, double factor, int n = 20) {
  std::vector<double> v;
  for (int i = 0; i < n; ++i)
    v.push_back(base * factor * (1 + 0.02 * ((i * 7) % 5 - 2)));
  return v;
}

TEST(AnswerTest, RanksNumpyFormulationsWithIntervalsAndTies) {
  auto run = RunOf({
      GbRounds(Numpy("maximum", "fresh"), Rounds(30e6, 1.00)),
      GbRounds(Numpy("multiply", "fresh"), Rounds(30e6, 1.30)),
      // Within a per-round wobble of maximum: a tie, whatever its median.
      GbRounds(Numpy("broadcast_zeros", "fresh"),
               [] {
                 auto v = Rounds(30e6, 1.0);
                 for (size_t i = 0; i < v.size(); ++i)
                   v[i] *= i % 2 ? 1.004 : 0.997;
                 return v;
               }()),
      GbRounds(Numpy("maximum_inplace", "inplace"), Rounds(30e6, 0.60)),
  });
  Doc doc = run->doc();
  const auto ranking = NumpyRanking(doc, "f64", 25000000);
  ASSERT_EQ(ranking.size(), 4u);
  EXPECT_EQ(ranking[0].variant, "maximum_inplace");
  EXPECT_EQ(ranking[0].verdict, "fastest");
  EXPECT_EQ(ranking[3].variant, "multiply");
  EXPECT_EQ(ranking[3].verdict, "slower");
  EXPECT_NEAR(ranking[3].vs_fastest.ratio.estimate, 1.30 / 0.60, 1e-6);

  // Against each other, maximum and broadcast_zeros are a tie.
  const Comparison c = Compare(*ranking[1].m, *ranking[2].m);
  EXPECT_EQ(Against(c), Verdict::kTie);
}

TEST(AnswerTest, AnOutlierRoundDoesNotFlipTheRanking) {
  // multiply is 10% slower in every round; one stalled round makes
  // maximum 4x slower there.
  auto slow = Rounds(30e6, 1.0);
  slow[5] *= 4;
  auto run = RunOf({GbRounds(Numpy("maximum", "fresh"), slow),
                    GbRounds(Numpy("multiply", "fresh"), Rounds(30e6, 1.1))});
  Doc doc = run->doc();
  const auto ranking = NumpyRanking(doc, "f64", 25000000);
  ASSERT_EQ(ranking.size(), 2u);
  EXPECT_EQ(ranking[0].variant, "maximum");
  EXPECT_EQ(ranking[1].verdict, "slower");
  EXPECT_GT(ranking[1].vs_fastest.ratio.lo, 1.05);
}

TEST(AnswerTest, FirstScreenIsEmptyWithoutNumpyRowsAtTheShape) {
  auto run =
      RunOf({GbRounds("relu/maximum/highway/f64/n:1024", Rounds(100, 1))});
  Doc doc = run->doc();
  EXPECT_EQ(RenderAnswer(doc), "");
}

// A run without replays (every preset but so) says where they are instead
// of marking each answer "not reproduced".
TEST(AnswerTest, ARunWithoutReplaysPointsToTheSoPreset) {
  auto run =
      RunOf({GbRounds(Numpy("maximum", "fresh"), Rounds(30e6, 1.0)),
             GbRounds(Numpy("multiply", "fresh"), Rounds(30e6, 1.3)),
             GbRounds(Numpy("maximum_inplace", "inplace"), Rounds(30e6, 0.6))});
  run->in.claims = LoadSoClaims(DataPath("run_so_claims.json"));
  run->in.claims->shape = {5000, 5000};  // the rows' shape
  Doc doc = run->doc();
  const std::string first = RenderAnswer(doc);
  EXPECT_EQ(first.find("not reproduced"), std::string::npos) << first;
  EXPECT_NE(first.find("only the `so` preset re-runs each answer's own method"),
            std::string::npos)
      << first;
}

TEST(CeilingTest, InPlaceVariantsAreHeldToTheInPlaceCopy) {
  const std::string tail = "/f64/n:4096/state:producer/neg:50/threads:1";
  auto run = RunOf({
      GbRounds("relu/maximum_inplace/highway" + tail, Rounds(1000, 1.0)),
      GbRounds("relu/maximum/highway" + tail, Rounds(1000, 1.2)),
      GbRounds("copy/memcpy/libc" + tail, Rounds(1000, 0.5)),
      GbRounds("copy/inplace/highway" + tail + "/out:inplace",
               Rounds(1000, 0.9)),
  });
  const Measurement* inplace = nullptr;
  const Measurement* outofplace = nullptr;
  for (const Measurement& m : run->model.measurements) {
    if (m.name.op == "maximum_inplace") inplace = &m;
    if (m.name.op == "maximum") outofplace = &m;
  }
  ASSERT_TRUE(inplace && outofplace);
  const Measurement* c1 = CeilingOf(run->model, *inplace);
  const Measurement* c2 = CeilingOf(run->model, *outofplace);
  ASSERT_TRUE(c1 && c2);
  EXPECT_EQ(c1->name.op, "inplace");
  EXPECT_EQ(c2->name.op, "memcpy");
}

// Each Python row loses its own floor (the counter harness_overhead_ns the
// harness measured for it), not one figure for the run: the same 13 us
// against a 10 us C++ row agrees after a 3 us floor and disagrees after a
// 0.5 us one.
TEST(HarnessTableTest, EachPythonRowLosesItsOwnFloor) {
  auto rows = [](int64_t n, double floor_ns) {
    const std::string tail = "/f64/n:" + std::to_string(n) +
                             "/state:producer/neg:50/threads:1";
    return std::vector<std::string>{
        GbRounds("relu/maximum/highway" + tail, Rounds(10000, 1.0)),
        GbRounds("relu/maximum/highway" + tail +
                     "/harness:python/protocol:fair",
                 Rounds(10000, 1.3),
                 "\"harness_overhead_ns\": " + std::to_string(floor_ns))};
  };
  std::vector<std::string> all = rows(1 << 16, 3000);
  for (const std::string& r : rows(1 << 17, 500)) all.push_back(r);
  auto run = RunOf(all);
  Doc doc = run->doc();
  doc.every_size = true;
  const std::string md = RenderStates(doc);
  const auto harness = TableHeaded(md, 4, "harness floor");
  ASSERT_EQ(harness.size(), 4u) << md;  // header, rule, two sizes
  EXPECT_EQ(harness[2][2], "512 KiB");
  EXPECT_EQ(harness[2][4], "3.00 µs");
  EXPECT_EQ(harness[2][7], "agree");
  EXPECT_EQ(harness[3][2], "1.00 MiB");
  EXPECT_EQ(harness[3][4], "500 ns");
  EXPECT_EQ(harness[3][7], "disagree");
  // The intro points to the harness probe only when the run has it.
  EXPECT_EQ(md.find("The harness probe (appendix)"), std::string::npos);
  run->in.probe = "Python harness probe (`py_bench.py --probe-harness`), ...";
  EXPECT_NE(RenderStates(doc).find("The harness probe (appendix)"),
            std::string::npos);
}

// Where the Python run has C-timed rows, the Python row is judged against
// the C-timed batch of the same calls in the same rounds, paired round by
// round: a machine whose speed swings 60% from round to round, and a C++
// suite process that ran twice as slow, leave the verdict alone.
TEST(HarnessTableTest, PairsPythonWithTheCTimedBatchOfItsRounds) {
  const std::string tail = "/f64/n:131072/state:producer/neg:50/threads:1";
  std::vector<double> ctimed, python;
  for (int i = 0; i < 20; ++i) {
    const double swing = 1 + 0.3 * (i % 3);
    ctimed.push_back(10000 * swing);
    python.push_back(10000 * swing * 1.05 + 2000);
  }
  auto run = RunOf({
      GbRounds("relu/maximum/highway" + tail, Rounds(20000, 1.0)),
      GbRounds("relu/maximum/highway" + tail + "/harness:python/protocol:fair",
               python, "\"harness_overhead_ns\": 2000"),
      GbRounds("relu/maximum/highway" + tail + "/harness:ctimed/protocol:fair",
               ctimed),
  });
  Doc doc = run->doc();
  doc.every_size = true;
  const std::string md = RenderStates(doc);
  const auto harness = TableHeaded(md, 3, "C-timed");
  ASSERT_EQ(harness.size(), 3u) << md;  // header, rule, one size
  EXPECT_EQ(harness[2][4], "2.00 µs");
  EXPECT_EQ(harness[2][6].substr(0, 6), "1.05×") << harness[2][6];
  EXPECT_EQ(harness[2][7], "agree");
  EXPECT_EQ(harness[2][9].substr(0, 3), "0.6") << harness[2][9];
  EXPECT_NE(md.find("Paired round by round"), std::string::npos);
}

// A plain Google Benchmark loop timed in the resident group's rounds is
// judged round by round: a machine whose speed swings 60% from round to
// round leaves a 3% difference an agreement; timed in a file of its own
// (no rounds), the same samples say only that the loop is slower than the
// resident row by an unsettled amount, and the intro says which it was.
TEST(GbenchTableTest, PairsTheLoopWithTheResidentRowRoundByRound) {
  const std::string row =
      "relu/maximum/highway/f64/n:131072/out:reuse/state:resident/neg:50/"
      "threads:1";
  std::vector<double> resident, loop;
  for (int i = 0; i < 20; ++i) {
    const double swing = 1 + 0.3 * (i % 3);
    resident.push_back(10000 * swing);
    loop.push_back(10000 * swing * (i % 2 ? 1.02 : 1.04));
  }
  auto run = RunOf({GbRounds(row, resident),
                    GbRounds(row + "/harness:gbench", loop)});
  Doc doc = run->doc();
  doc.every_size = true;
  const std::string md = RenderStates(doc);
  const auto table = TableHeaded(md, 4, "plain GB loop");
  ASSERT_EQ(table.size(), 3u) << md;  // header, rule, one size
  EXPECT_EQ(table[2][5].substr(0, 6), "1.03×") << table[2][5];
  EXPECT_EQ(table[2][6], "agree");
  EXPECT_NE(md.find("paired round by round"), std::string::npos);
  // Without the group's rounds, only all the samples compare.
  std::string unpaired = GbRounds(row + "/harness:gbench", loop);
  for (size_t at = unpaired.find(", \"group_rounds\": 20");
       at != std::string::npos;
       at = unpaired.find(", \"group_rounds\": 20")) {
    unpaired.erase(at, std::string(", \"group_rounds\": 20").size());
  }
  auto apart = RunOf({GbRounds(row, resident), unpaired});
  Doc doc2 = apart->doc();
  doc2.every_size = true;
  const std::string md2 = RenderStates(doc2);
  const auto table2 = TableHeaded(md2, 4, "plain GB loop");
  ASSERT_EQ(table2.size(), 3u) << md2;
  EXPECT_NE(table2[2][6], "agree") << table2[2][5];
  EXPECT_NE(md2.find("not in its rounds"), std::string::npos);
}

// The C-timed rows are the harness check only: a query that names no
// harness never returns them, and they are not the default condition.
TEST(HarnessTableTest, CTimedRowsAnswerOnlyQueriesForThem) {
  const std::string tail = "/f64/n:131072/state:producer/neg:50/threads:1";
  auto run = RunOf({
      GbRounds("relu/maximum/highway" + tail, Rounds(20000, 1.0)),
      GbRounds("relu/maximum/highway" + tail + "/harness:ctimed/protocol:fair",
               Rounds(5000, 1.0)),
  });
  Doc doc = run->doc();
  Query q;
  q.op = "maximum";
  q.form = "highway";
  q.dtype = "f64";
  q.n = 131072;
  const Measurement* any = FastestRow(doc.model, q);
  ASSERT_NE(any, nullptr);
  EXPECT_EQ(Effective(any->name, "harness"), "ring");
  q.harness = "ctimed";
  const Measurement* ctimed = FastestRow(doc.model, q);
  ASSERT_NE(ctimed, nullptr);
  EXPECT_FALSE(IsDefaultCondition(ctimed->name));
  EXPECT_TRUE(IsDefaultCondition(any->name));
}

// Two runs of one group: two threads against one flips, and the core round
// trip each group recorded says the host had moved the virtual CPUs; a
// one-thread comparison (against the copy) that flips carries none.
TEST(VerdictDiffTest, FlipsOfTwoThreadRowsShowBothRunsCoreRoundTrips) {
  const std::string tail = "/f64/n:131072/out:reuse/state:producer/neg:50";
  auto run = [&](double two_factor, double copy_factor, double rtt) {
    const std::string rtt_counter =
        "\"group_core_rtt_ns\": " + std::to_string(rtt);
    return RunOf({
        GbRounds("relu/maximum/highway" + tail + "/threads:1",
                 Rounds(50000, 1.0), rtt_counter),
        GbRounds("relu/maximum/highway" + tail + "/threads:2",
                 Rounds(50000, two_factor), rtt_counter),
        GbRounds("copy/loadstore/highway" + tail + "/threads:1",
                 Rounds(50000, copy_factor)),
    });
  };
  // The second thread helps, then hurts; the copy is faster, then slower.
  auto near = run(0.6, 0.9, 120);
  auto far = run(1.9, 1.1, 480);
  const std::string md = RenderDiff(near->in, far->in, "A", "B");
  // The copy's flip is one; the two-thread row's, at placements 4x apart,
  // is listed apart.
  EXPECT_NE(md.find("1 flip (faster in one run, slower in the other)"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("1 more comparisons with a two-thread row differ (1 of "
                    "them in direction)"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("## At different placements"), std::string::npos) << md;
  bool two_thread_row = false, one_thread_row = false;
  for (const auto& table : MarkdownTables(md)) {
    ASSERT_EQ(table[0].back(), " core round trip ");
    for (size_t i = 2; i < table.size(); ++i) {
      const std::string& rtt = table[i].back();
      if (table[i][0].find("threads:2") != std::string::npos) {
        EXPECT_EQ(rtt, " 120 ns / 480 ns ") << table[i][0];
        two_thread_row = true;
      } else {
        EXPECT_EQ(rtt, "   ") << table[i][0];
        one_thread_row = true;
      }
    }
  }
  EXPECT_TRUE(two_thread_row);
  EXPECT_TRUE(one_thread_row);
  // The same placement in both runs: a flip like any other.
  const std::string same =
      RenderDiff(near->in, run(1.9, 1.1, 130)->in, "A", "B");
  EXPECT_NE(same.find("2 flip (faster"), std::string::npos) << same;
  EXPECT_NE(same.find("1 of the flips involve a two-thread row whose two "
                      "runs did not place"),
            std::string::npos)
      << same;
  EXPECT_EQ(same.find("## At different placements"), std::string::npos);
}

// Where the run measured the core round trip every round, a comparison with
// a two-thread row uses only the rounds at the group's main placement: 13
// rounds where the second thread helps at 100-112 ns give the verdict; 6
// where it hurts at 480 ns, and one that began at 113 ns and ended at
// 480 ns (the host moved a vCPU during it), are left out, and the threads
// table says how many rounds it kept. A comparison of one-thread rows
// keeps every round.
TEST(ThreadsTest, TwoThreadRowsAreJudgedAtTheGroupsMainPlacement) {
  const std::string tail = "/f64/n:131072/out:reuse/state:producer/neg:50";
  std::vector<std::string> rtt;
  std::vector<double> two;
  for (int i = 0; i < 20; ++i) {
    const bool far = i >= 14;
    const int start = far ? 480 : 100 + i;
    const int end = i == 13 ? 480 : start;
    rtt.push_back(fmt::format(
        "\"round_core_rtt_ns\": {}, \"round_core_rtt_end_ns\": {}", start,
        end));
    two.push_back(50000 * (far || i == 13 ? 1.9 : 0.6) * (1 + 0.01 * (i % 3)));
  }
  auto run = RunOf({
      GbRounds("relu/maximum/highway" + tail + "/threads:1",
               Rounds(50000, 1.0), "", rtt),
      GbRounds("relu/maximum/highway" + tail + "/threads:2", two, "", rtt),
      GbRounds("relu/maximum/eigen" + tail + "/threads:1", Rounds(50000, 1.2),
               "", rtt),
  });
  Doc doc = run->doc();
  doc.every_size = true;
  const Measurement* one = nullptr;
  const Measurement* pair = nullptr;
  const Measurement* eigen = nullptr;
  for (const Measurement& m : doc.model.measurements) {
    if (m.name.form == "eigen") eigen = &m;
    else if (Effective(m.name, "threads") == "2") pair = &m;
    else one = &m;
  }
  ASSERT_TRUE(one && pair && eigen);
  EXPECT_EQ(pair->round_rtt_ns.size(), 20u);
  const Comparison c = Compare(*pair, *one);
  EXPECT_EQ(c.other_placement, 7u);
  EXPECT_EQ(c.n, 13u);
  EXPECT_EQ(Against(c), Verdict::kBelow) << c.ratio.estimate;
  EXPECT_EQ(Compare(*eigen, *one).other_placement, 0u);
  EXPECT_EQ(Compare(*eigen, *one).n, 20u);
  const std::string md = RenderThreads(doc);
  EXPECT_NE(md.find("106 ns (13 of 20 rounds)"), std::string::npos) << md;
}

// Too few rounds at one placement give no interval, not one over every
// round, which would mix the placements.
TEST(ThreadsTest, TooFewRoundsAtOnePlacementGiveNoInterval) {
  const std::string tail = "/f64/n:131072/out:reuse/state:producer/neg:50";
  std::vector<std::string> rtt;
  for (int i = 0; i < 10; ++i) {
    // Every round at a placement of its own: 100 ns, 300 ns, 900 ns, ...
    const double ns = 100 * std::pow(3.0, i % 5);
    rtt.push_back(fmt::format(
        "\"round_core_rtt_ns\": {0}, \"round_core_rtt_end_ns\": {0}", ns));
  }
  auto run = RunOf({
      GbRounds("relu/maximum/highway" + tail + "/threads:1",
               Rounds(50000, 1.0, 10), "", rtt),
      GbRounds("relu/maximum/highway" + tail + "/threads:2",
               Rounds(50000, 0.5, 10), "", rtt),
  });
  const Measurement& one = run->model.measurements[0];
  const Measurement& two = run->model.measurements[1];
  const Comparison c = Compare(two, one);
  EXPECT_EQ(c.n, 2u);
  EXPECT_EQ(c.other_placement, 8u);
  EXPECT_EQ(c.kind, Comparison::Kind::kPaired);
  EXPECT_FALSE(c.valid());
  EXPECT_EQ(Against(c), Verdict::kNoInterval);
}

TEST(GlossaryTest, OnlyTheFirstUseIsLinked) {
  Glossary g("appendix.md");
  const std::string first = g.Term("out:fresh");
  EXPECT_EQ(first, "[out:fresh](appendix.md#glossary-out-fresh)");
  EXPECT_EQ(g.Term("out:fresh"), "out:fresh");
  EXPECT_TRUE(Glossary::Defines("95% CI"));
  EXPECT_NE(Glossary::Render().find("id=\"glossary-out-fresh\""),
            std::string::npos);
}

TEST(LayoutTest, TheFixtureRunAnswersOnTheFirstScreen) {
  auto run = FixtureRun();
  const Rendered r = RenderReport(run->in, run->model, "appendix.md");
  // The ranking table starts within the first 40 lines, and the first
  // screen also says why the answers differ and what leaving NumPy buys.
  std::string first;
  size_t pos = 0;
  for (int line = 0; line < 40 && pos != std::string::npos; ++line) {
    pos = r.report.find('\n', pos == 0 ? 0 : pos + 1);
  }
  first = r.report.substr(0, pos);
  EXPECT_NE(first.find("| # | NumPy formulation"), std::string::npos) << first;
  EXPECT_NE(first.find("**Why the answers disagreed.**"), std::string::npos)
      << first;
  EXPECT_NE(first.find("**Is leaving NumPy worth it?**"), std::string::npos)
      << first;
  EXPECT_LE(LineCount(r.report), 250);
  // Context and semantics live in the appendix.
  EXPECT_EQ(r.report.find("## Machine and build"), std::string::npos);
  EXPECT_NE(r.appendix.find("## Machine and build"), std::string::npos);
  EXPECT_NE(r.appendix.find("## Glossary"), std::string::npos);
}

// The cache-state probe's long table lives in the appendix; the report
// points to it.
TEST(LayoutTest, TheProbeTableIsInTheAppendix) {
  auto run = FixtureRun();
  run->in.probe =
      "| input | arm | time per call | ÷ resident (95% CI) | rounds won |\n"
      "|---|---|---|---|---|\n"
      "| 1 MiB | producer-noretouch | 155 µs | 2.288 (2.079–2.506) | 2 of 67 "
      "|\n";
  const Rendered r = RenderReport(run->in, run->model, "appendix.md");
  EXPECT_EQ(r.report.find("producer-noretouch"), std::string::npos);
  EXPECT_NE(r.report.find("(appendix.md#every-size)"), std::string::npos);
  const size_t every = r.appendix.find("## Every size");
  ASSERT_NE(every, std::string::npos);
  EXPECT_NE(r.appendix.find("producer-noretouch", every), std::string::npos);
}

TEST(LayoutTest, EveryGlossaryLinkHasAnEntry) {
  auto run = FixtureRun();
  const Rendered r = RenderReport(run->in, run->model, "appendix.md");
  const std::string text = r.report + r.appendix;
  size_t at = 0;
  int links = 0;
  while ((at = text.find("appendix.md#glossary-", at)) != std::string::npos) {
    at += std::string("appendix.md#").size();
    const size_t end = text.find(')', at);
    const std::string anchor = text.substr(at, end - at);
    EXPECT_NE(r.appendix.find("id=\"" + anchor + "\""), std::string::npos)
        << anchor;
    ++links;
  }
  EXPECT_GT(links, 5);
}

TEST(LayoutTest, AnotherProjectsFileGivesAShortReportWithoutEmptySections) {
  ReportInput in;
  in.files.push_back(LoadBenchFile(DataPath("gbench_test1_run1.json")));
  const Model model = BuildModel(in.files);
  const Rendered r = RenderReport(in, model, "appendix.md");
  EXPECT_LE(LineCount(r.report), 10) << r.report;
  EXPECT_EQ(r.report.find("No pair"), std::string::npos);
  EXPECT_EQ(MarkdownTables(r.report).size(), 0u);
}

// The committed runs of two machines (Zen 5 and Zen 4 VMs, both "AMD EPYC")
// render side by side, told apart by their caches, each cell of the second
// machine a ratio to the first with its interval.
TEST(MachinesTest, CommittedRunsOfTwoMachinesRenderSideBySide) {
  const std::string root = RELU_REPORTS_DIR;
  std::vector<ReportInput> runs = {
      LoadRunDir(root + "/amd-epyc-2c-avx3_dl-l1d48k/so"),
      LoadRunDir(root + "/amd-epyc-2c-avx3_dl-l1d32k/so")};
  EXPECT_NE(MachineLabel(runs[0]), MachineLabel(runs[1]));
  EXPECT_EQ(MachineSlug(runs[0]), "amd-epyc-2c-avx3_dl-l1d48k");
  const std::string md = RenderMachines(runs);
  const auto tables = MarkdownTables(md);
  ASSERT_GE(tables.size(), 2u);
  const auto& shape = tables[1];
  ASSERT_GE(shape.size(), 8u);
  EXPECT_EQ(shape[0].size(), 3u);  // the row label and one column per machine
  // NumPy's maximum: the second machine's time over the first's, with an
  // interval from both runs' samples.
  EXPECT_NE(shape[2][2].find("the first"), std::string::npos) << shape[2][2];
  EXPECT_NE(shape[2][2].find("–"), std::string::npos) << shape[2][2];
}

}  // namespace
}  // namespace relu::report
