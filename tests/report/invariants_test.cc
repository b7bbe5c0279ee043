// Markdown invariants: escaping of hostile names, rectangular tables, ragged
// rows refused.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "report/bench_json.h"
#include "report/markdown.h"
#include "report/model.h"
#include "report/render.h"
#include "report/semantics.h"
#include "tests/report/test_util.h"

namespace relu::report {
namespace {

using testing::GbJson;
using testing::GbRow;
using testing::MarkdownTables;

TEST(EscapeTest, PipesBackticksAndEmphasisAreEscaped) {
  EXPECT_EQ(Escape("a|b`c`"), "a\\|b\\`c\\`");
  EXPECT_EQ(Escape("*x*"), "\\*x\\*");
  EXPECT_EQ(Escape("a\\b"), "a\\\\b");
  EXPECT_EQ(Escape("<b>"), "&lt;b&gt;");
  EXPECT_EQ(Escape("[link](x)"), "\\[link\\](x)");
  EXPECT_EQ(Escape("line\nbreak"), "line break");
}

TEST(EscapeTest, UnderscoresInsideWordsStayReadable) {
  EXPECT_EQ(Escape("maximum_inplace"), "maximum_inplace");
  EXPECT_EQ(Escape("_x_"), "\\_x\\_");
  EXPECT_EQ(Escape("a_ b"), "a\\_ b");
}

TEST(TableTest, RefusesRaggedRows) {
  Table t({"a", "b"});
  t.AddRow({"1", "2"});
  EXPECT_THROW(t.AddRow({"1"}), std::logic_error);
  EXPECT_THROW(t.AddRow({"1", "2", "3"}), std::logic_error);
}

TEST(TableTest, EmptyCellsStayCells) {
  Table t({"a", "b"});
  t.AddRow({"", "x|y"});
  auto tables = MarkdownTables(t.Render());
  ASSERT_EQ(tables.size(), 1u);
  ASSERT_EQ(tables[0].size(), 3u);
  EXPECT_EQ(tables[0][2].size(), 2u);
  EXPECT_EQ(tables[0][2][1], " x\\|y ");
}

// A report built from names and messages full of Markdown metacharacters:
// every table stays rectangular and no raw | or backtick leaks from a name.
TEST(InvariantTest, HostileNamesAreEscapedEverywhere) {
  testing::ScratchDir dir;
  const std::string bench = dir.File("hostile.json");
  testing::WriteFileOrDie(
      bench,
      GbJson(
          {GbRow("BM_a|b`c`*d*", 10),
           GbRow("relu/maximum/highway/f32/n:64/out:reuse/manual_time", 20,
                 "ns", R"("bytes_per_second": 1e10, "ws_bytes": 512)"),
           GbRow("relu/maximum/highway/f32/n:64/out:fresh/manual_time", 30),
           GbRow("relu/maximum/scalar/f32/n:64/out:reuse/manual_time", 0, "ns",
                 R"("error_occurred": true, "error_message": "bad | `thing`")"),
           GbRow("relu/maximum/highway/f32/n:64/weird:`x|y`", 5)},
          R"({"host_name": "h|`x`", "num_cpus": 4, "library_build_type": "debug",
                 "cache_l1d": "32768", "cache_l2": "1048576", "cache_llc": "8388608",
                 "compiler": "g++ | `clang`"})"));
  const std::string sem = dir.File("sem.json");
  testing::WriteFileOrDie(sem,
                          R"({"inputs": [{"label": "a|b`", "f32": "0x3f800000",
      "f64": "0x3ff0000000000000"}], "rows": [{"variant": "max|imum", "form": "sc`alar",
      "dtype": "f32", "outputs": [{"bits": "0x3f800000", "text": "1|`"}]}]})");
  ReportInput data;
  data.files.push_back(LoadBenchFile(bench));
  data.semantics.push_back(LoadSemanticsFile(sem));
  const Model model = BuildModel(data.files);
  ASSERT_EQ(model.unrecognised.size(), 2u);
  const Rendered r = RenderReport(data, model, "appendix.md");
  const std::string md = r.report + r.appendix;

  auto tables = MarkdownTables(md);
  ASSERT_GE(tables.size(), 5u);
  for (const auto& t : tables) {
    for (const auto& row : t) {
      ASSERT_EQ(row.size(), t[0].size()) << "ragged row: " << row[0];
      for (const std::string& cell : row) {
        // After splitting on unescaped pipes, unescaped backticks only
        // open and close code spans (the report's own formulations), so
        // they come in pairs; a name's backticks are escaped.
        int ticks = 0;
        for (size_t i = 0; i < cell.size(); ++i) {
          if (cell[i] == '`' && (i == 0 || cell[i - 1] != '\\')) ++ticks;
        }
        EXPECT_EQ(ticks % 2, 0) << "unbalanced backtick in cell: " << cell;
      }
    }
  }
  EXPECT_NE(md.find("BM_a\\|b\\`c\\`\\*d\\*"), std::string::npos);
  EXPECT_NE(md.find("bad \\| \\`thing\\`"), std::string::npos);
  EXPECT_NE(md.find("max\\|imum"), std::string::npos);
  EXPECT_NE(md.find("h\\|\\`x\\`"), std::string::npos);
}

}  // namespace
}  // namespace relu::report
