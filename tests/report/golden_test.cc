// Golden tests: committed sample inputs must render to the committed report,
// byte for byte.
//
// Regenerate after an intended change with
//   RELU_UPDATE_GOLDEN=1 ctest --test-dir build -R report.Golden
// and review the diff of tests/report/golden/ like code.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "report/bench_json.h"
#include "report/model.h"
#include "report/render.h"
#include "report/semantics.h"
#include "report/so_claims.h"
#include "tests/report/test_util.h"

namespace relu::report {
namespace {

using testing::DataPath;
using testing::GoldenPath;
using testing::ReadFileOrDie;

struct GoldenCase {
  const char* golden;              // tests/report/golden/<golden>
  std::vector<const char*> bench;  // tests/report/data/...
  std::vector<const char*> semantics;
  const char* claims;  // nullptr: no StackOverflow section
};

// Adding a sample is one line here (then RELU_UPDATE_GOLDEN=1 once), e.g.
//   {"suite_sample.md", {"suite_sample.json"}, {}, nullptr},
const GoldenCase kCases[] = {
    // Another project's file (Debian libbenchmark-tools' gbench test input):
    // every row unrecognised, nothing dropped, no crash on BigO/RMS rows,
    // and no empty section.
    {"gbench_test1_run1.md", {"gbench_test1_run1.json"}, {}, nullptr},
    // A real run of this tree in the current format (make_run_fixture.sh):
    // paired rounds, every state, threads, isa, peers, the Python harness,
    // the replays at py_bench --tiny's shape and both semantics files.
    {"run.md",
     {"run_bench.json", "run_py.json"},
     {"run_semantics.json", "run_numpy_semantics.json"},
     "run_so_claims.json"},
    // Older runs, which kept aggregates only: hand-made (make_samples.py)
    // with the replays, and a real relu_bench run of the time.
    {"sample.md",
     {"sample_cpp.json", "sample_py.json"},
     {"sample_semantics_cpp.json", "sample_semantics_numpy.json"},
     "so_claims.json"},
    {"suite_sample.md", {"suite_sample.json"}, {}, nullptr},
};

// gtest prints the case by its golden name rather than as raw bytes.
void PrintTo(const GoldenCase& c, std::ostream* os) { *os << c.golden; }

// Renders as the CLI would with --no-plots, naming inputs by their base
// names so goldens do not depend on where the tree is checked out.
std::string Render(const GoldenCase& c) {
  ReportInput data;
  for (const char* f : c.bench) {
    BenchFile file = LoadBenchFile(DataPath(f));
    file.path = f;
    data.files.push_back(std::move(file));
  }
  CheckSameMachine(data.files);
  for (const char* f : c.semantics) {
    SemanticsFile file = LoadSemanticsFile(DataPath(f));
    file.path = f;
    for (SemRow& r : file.rows) r.file = f;
    data.semantics.push_back(std::move(file));
  }
  if (c.claims != nullptr) {
    data.claims = LoadSoClaims(DataPath(c.claims));
    data.claims->path = c.claims;
  }
  const Model model = BuildModel(data.files);
  const Rendered r = RenderReport(data, model, "appendix.md");
  return r.report + "\n<!-- appendix.md -->\n" + r.appendix;
}

class GoldenTest : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(GoldenTest, MatchesCommittedReport) {
  const GoldenCase& c = GetParam();
  const std::string got = Render(c);
  const std::string path = GoldenPath(c.golden);
  const char* update = std::getenv("RELU_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    testing::WriteFileOrDie(path, got);
    GTEST_SKIP() << "rewrote " << path;
  }
  ASSERT_TRUE(std::filesystem::exists(path))
      << path << " is missing; run with RELU_UPDATE_GOLDEN=1 to create it";
  const std::string want = ReadFileOrDie(path);
  if (got == want) return;
  // Point at the first differing line rather than dumping two reports.
  std::istringstream g(got), w(want);
  std::string gl, wl;
  int line = 1;
  while (true) {
    bool more_g = static_cast<bool>(std::getline(g, gl));
    bool more_w = static_cast<bool>(std::getline(w, wl));
    if (!more_g && !more_w) break;
    if (!more_g || !more_w || gl != wl) {
      FAIL()
          << c.golden << " differs at line " << line
          << "\n  golden: " << (more_w ? wl : "<end>")
          << "\n  now:    " << (more_g ? gl : "<end>")
          << "\n(RELU_UPDATE_GOLDEN=1 regenerates if the change is intended)";
    }
    ++line;
  }
  FAIL() << c.golden << " differs only in line endings";
}

std::string CaseName(const ::testing::TestParamInfo<GoldenCase>& info) {
  std::string name = info.param.golden;
  name = name.substr(0, name.find('.'));
  for (char& ch : name) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Samples, GoldenTest, ::testing::ValuesIn(kCases),
                         CaseName);

// The goldens themselves must satisfy the invariants, or regenerating them
// could bless a broken report.
TEST_P(GoldenTest, EveryTableIsRectangular) {
  const std::string md = Render(GetParam());
  auto tables = testing::MarkdownTables(md);
  ASSERT_FALSE(tables.empty());
  for (const auto& t : tables) {
    ASSERT_GE(t.size(), 2u);
    for (const auto& row : t) {
      EXPECT_EQ(row.size(), t[0].size())
          << "ragged row starting '" << row[0] << "'";
    }
    for (const auto& cell : t[1]) {
      EXPECT_TRUE(cell == "---" || cell == "---:")
          << "bad separator cell '" << cell << "'";
    }
  }
}

}  // namespace
}  // namespace relu::report
