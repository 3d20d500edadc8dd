// Every panel draws from a real run on ImGui's headless path (a context with no window or renderer).
#include "viz/panels.hpp"

#include <gtest/gtest.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <thread>

#include "core/error.hpp"
#include "driver/registry.hpp"
#include "driver/run.hpp"
#include "io/run_file.hpp"
#include "sim/world.hpp"
#include "support/headless_imgui.hpp"
#include "viz/chart.hpp"
#include "viz/run_settings.hpp"
#include "viz/sources.hpp"

using namespace civitas;
namespace fs = std::filesystem;

namespace {

const std::string society = std::string(CIVITAS_SOURCE_DIR) + "/scenarios/society/default.toml";
const std::vector<std::string> small = {
    "population.citizens=600", "population.firms=12", "population.charities=3",
    "daf.voters=600",          "run.steps=12",        "output.snapshot_every=4"};

// The shared headless context (tests/support/headless_imgui.hpp) and what these tests add to it.
class Headless : public test::Headless {
 protected:
  // Draws one panel and returns the text it showed: widgets' labels and values and the charts' tick and
  // axis labels, as ImGui's log records them (one line per row on screen).
  static std::string drawn_text(viz::viz_state& s, void (*panel)(viz::viz_state&)) {
    ImGui::NewFrame();
    ImGui::SetNextWindowSize(ImVec2(800, 600));
    // The log of a window ends (and is cleared) at its End(); logging to ImGui's own clipboard keeps it.
    ImGui::SetClipboardText("");
    ImGui::LogToClipboard();
    panel(s);
    ImGui::LogFinish();
    std::string text = ImGui::GetClipboardText();
    ImGui::Render();
    return text;
  }

  // A live source whose first frame has been published.
  static void open_live(viz::viz_state& s, const std::string& scenario,
                        const std::vector<std::string>& sets) {
    s.src = viz::make_live_source(scenario, sets, 2);
    s.scenario_path = scenario;
    s.overrides = sets;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!s.src->latest() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    s.view = s.src->latest();
  }

  static std::string make_run_file() {
    const auto path = fs::temp_directory_path() / "civitas_viz_panels.h5";
    driver::run_options o;
    o.out_path = path.string();
    o.threads = 2;
    driver::run_scenario(driver::load_scenario(society, small), o);
    return path.string();
  }
};

struct panel {
  void (*draw)(viz::viz_state&);
  const char* window;
};
const panel panels[] = {{viz::draw_controls, "Run"},
                        {viz::draw_series, "Time series"},
                        {viz::draw_society, "Society"},
                        {viz::draw_inspector, "Agent"},
                        {viz::draw_ledger, "Ledger"},
                        {viz::draw_comparison, "Compare runs"},
                        {viz::draw_distribution, "Distribution"}};

}  // namespace

TEST_F(Headless, EveryPanelDrawsAReplayedRun) {
  const std::string path = make_run_file();
  viz::viz_state s;
  s.src = viz::make_replay_source(path);
  s.view = s.src->latest();
  ASSERT_TRUE(s.view);
  EXPECT_EQ(s.view->step, 12u);
  EXPECT_EQ(s.view->agents(), 600u + 12 + 3 + 1);
  EXPECT_FALSE(s.view->lots.empty());
  for (const panel& p : panels) EXPECT_GT(draw(s, p.draw, p.window), 100) << p.window;
  // Scrubbing back shows an earlier block, its snapshot and its transfers.
  s.src->seek(5);
  s.src->show_records_of(5);
  s.view = s.src->latest();
  EXPECT_EQ(s.view->step, 5u);
  EXPECT_EQ(s.view->rows.size(), 6u);
  EXPECT_EQ(s.view->snapshot_step, 4u);
  EXPECT_EQ(s.view->records_step, 5u);
  EXPECT_EQ(s.view->records.size(), s.view->blocks.back().transfers);
  for (const panel& p : panels) EXPECT_GT(draw(s, p.draw, p.window), 100) << p.window << " at step 5";
  // The comparison view overlays another file's series.
  s.compared = viz::load_compared_runs(path);
  ASSERT_EQ(s.compared.size(), 1u);
  EXPECT_EQ(s.compared.back().rows.size(), 13u);
  EXPECT_GT(draw(s, viz::draw_comparison, "Compare runs"), 100);
  fs::remove(path);
}

TEST_F(Headless, LiveEngineRunsOnItsOwnThreadAndPanelsFollowIt) {
  viz::viz_state s;
  s.src = viz::make_live_source(society, small, 2);
  s.src->single_step();
  s.src->single_step();
  s.src->single_step();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while ((!s.src->latest() || s.src->latest()->step < 3) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  s.view = s.src->latest();
  ASSERT_TRUE(s.view);
  EXPECT_EQ(s.view->step, 3u);  // exactly the steps asked for: paused otherwise
  EXPECT_EQ(s.view->rows.size(), 4u);
  EXPECT_FALSE(s.view->records.empty());
  for (const panel& p : panels) EXPECT_GT(draw(s, p.draw, p.window), 100) << p.window;
  // Restarting with a bad override is refused, naming it; a good one restarts from genesis.
  EXPECT_THROW(s.src->restart({"governance.regime=anarchy"}), input_error);
  auto overrides = small;
  overrides.push_back("governance.regime=daf");
  s.src->restart(overrides);
  const auto again = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (s.src->latest()->step != 0 && std::chrono::steady_clock::now() < again)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ(s.src->latest()->step, 0u);
  s.src->play(true);
  while (s.src->latest()->step < 12 && std::chrono::steady_clock::now() < again + std::chrono::seconds(30))
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ(s.src->latest()->step, 12u);
  EXPECT_FALSE(s.src->latest()->column("treasury").empty());  // the DAF's columns are there
}

TEST_F(Headless, AComparisonFileGivesOneCurvePerRegime) {
  const auto path = fs::temp_directory_path() / "civitas_viz_compare.h5";
  const std::string civitas = CIVITAS_BINARY;
  const std::string command = "'" + civitas + "' compare '" + society +
                              "' --regimes market,daf --replicates 2 --steps 6 "
                              "--set population.citizens=400 --set population.firms=8 --set "
                              "population.charities=2 --set daf.voters=400 "
                              "--quiet "
                              "--out '" +
                              path.string() + "'";
  ASSERT_EQ(std::system(command.c_str()), 0);
  const auto runs = viz::load_compared_runs(path.string());
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].name, "market (mean of replicates)");
  EXPECT_EQ(runs[1].name, "daf (mean of replicates)");
  EXPECT_EQ(runs[0].rows.size(), 7u);
  EXPECT_EQ(runs[0].citizens, 400u);  // from the comparison's base scenario
  const auto col = static_cast<std::size_t>(
      std::find(runs[1].columns.begin(), runs[1].columns.end(), "treasury") - runs[1].columns.begin());
  ASSERT_LT(col, runs[1].columns.size());
  EXPECT_GT(runs[1].rows.back()[col], 0);             // the DAF has a treasury
  EXPECT_TRUE(std::isnan(runs[0].rows.back()[col]));  // the market has none
  // Each point's mean has its 95% interval, and the DAF its paired difference against the market.
  const auto gini = static_cast<std::size_t>(
      std::find(runs[1].columns.begin(), runs[1].columns.end(), "gini_cash") - runs[1].columns.begin());
  ASSERT_LT(gini, runs[1].columns.size());
  EXPECT_EQ(runs[1].replicates, 2u);
  EXPECT_TRUE(runs[0].diff.empty());
  ASSERT_EQ(runs[1].diff.size(), 7u);
  EXPECT_EQ(runs[1].baseline, runs[0].name);
  for (std::size_t t = 1; t < 7; ++t)
    for (const auto& r : runs) {
      EXPECT_LE(r.lo[t][gini], r.rows[t][gini]);
      EXPECT_GE(r.hi[t][gini], r.rows[t][gini]);
      EXPECT_GT(r.hi[t][gini], r.lo[t][gini]);  // two replicates differ
    }
  // With every replicate in both points, the mean of the differences is the difference of the means.
  const double d = runs[1].rows[6][gini] - runs[0].rows[6][gini];
  EXPECT_NEAR(runs[1].diff[6][gini], d, 1e-12);
  EXPECT_LE(runs[1].diff_lo[6][gini], runs[1].diff[6][gini]);
  EXPECT_GE(runs[1].diff_hi[6][gini], runs[1].diff[6][gini]);
  viz::viz_state s;
  s.compared = runs;
  const int levels = draw(s, viz::draw_comparison, "Compare runs");
  EXPECT_GT(levels, 100);
  s.compare_bands = false;
  EXPECT_LT(draw(s, viz::draw_comparison, "Compare runs"), levels);  // the bands are geometry of their own
  s.compare_bands = true;
  s.compare_paired = true;
  const std::string paired = drawn_text(s, viz::draw_comparison);
  EXPECT_NE(paired.find("minus market"), std::string::npos) << paired;
  EXPECT_NE(paired.find("daf (mean of replicates) - baseline"), std::string::npos) << paired;
  s.compare_more = {static_cast<int>(col)};  // small multiples: gini_cash and treasury side by side
  const std::string both = drawn_text(s, viz::draw_comparison);
  EXPECT_NE(both.find("treasury minus market"), std::string::npos) << both;
  fs::remove(path);
}

TEST_F(Headless, ReplayFollowsARunStillBeingWritten) {
  // A run writing its file (SWMR): the viewer opens the .partial and sees new blocks as they are flushed.
  const auto final_path = fs::temp_directory_path() / "civitas_viz_growing.h5";
  fs::remove(final_path);
  fs::remove(final_path.string() + ".partial");
  const params::scenario sc = driver::load_scenario(society, small);
  const auto world_owner = driver::make_world(sc);
  sim::world& w = *world_owner;
  io::run_meta meta;
  meta.scenario = w.canonical_scenario();
  meta.scenario_name = sc.get<sim::run_params>().name;
  meta.seed = sc.get<sim::run_params>().seed;
  meta.steps_planned = sc.get<sim::run_params>().steps;
  meta.ledger_log = "full";
  meta.activation = "simultaneous";
  auto writer = std::make_unique<io::run_writer>(final_path.string(), meta, w.layout());
  w.genesis([&](io::step_packet&& p) { writer->push(std::move(p)); });
  for (int i = 0; i < 3; ++i) w.step();
  auto wait_for = [&](viz::source& src, step_t step) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (src.latest()->step < step && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    return src.latest()->step;
  };
  std::unique_ptr<viz::source> src;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!src && std::chrono::steady_clock::now() < deadline) {
    try {
      src = viz::make_replay_source(writer->partial_path());
    } catch (const data_error&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the first blocks are still in the queue
    }
  }
  ASSERT_TRUE(src);
  EXPECT_EQ(wait_for(*src, 3), 3u);
  for (int i = 0; i < 4; ++i) w.step();
  EXPECT_EQ(wait_for(*src, 7), 7u);  // followed as the run went on
  EXPECT_EQ(src->latest()->rows.size(), 8u);
  src.reset();
  writer.reset();  // leaves the .partial, as a killed run would
  fs::remove(final_path.string() + ".partial");
}

TEST_F(Headless, BadRunFilesAreDataErrors) {
  const auto path = fs::temp_directory_path() / "civitas_viz_garbage.h5";
  {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    std::fputs("not hdf5", f);
    std::fclose(f);
  }
  EXPECT_THROW(viz::make_replay_source(path.string()), data_error);
  fs::remove(path);
}

// The controls show the scenario's own regime (they once always said "market", and a restart then silently
// switched the regime), and a restart changes only what the user changed.
TEST_F(Headless, ControlsShowTheLoadedScenariosRegimeAndRestartChangesOnlyEdits) {
  for (const std::string regime : {"market", "social_credit", "daf", "alliance"}) {
    SCOPED_TRACE(regime);
    const std::string path = std::string(CIVITAS_SOURCE_DIR) + "/scenarios/regimes/" + regime + ".toml";
    viz::viz_state s;
    open_live(s, path, small);
    ASSERT_TRUE(s.view);
    const std::string text = drawn_text(s, viz::draw_controls);
    EXPECT_TRUE(text.find("{ " + regime + " } regime") != std::string::npos) << text;
    EXPECT_TRUE(text.find("press Run (or Space) to start") != std::string::npos) << text;
    // Untouched controls restart the same scenario.
    EXPECT_EQ(viz::restart_overrides(s), small);
    const params::scenario before = *s.src->scenario();
    viz::restart(s);
    EXPECT_TRUE(*s.src->scenario() == before);
    // One changed parameter: the restarted scenario differs in that one and no other.
    const auto* e = s.src->scenario()->schema().find("run.seed");
    ASSERT_NE(e, nullptr);
    viz::edit_value(s, *e, params::value(std::int64_t{7}));
    EXPECT_EQ(viz::restart_overrides(s).back(), "run.seed=7");
    viz::restart(s);
    EXPECT_TRUE(s.edits.empty());
    for (const auto& entry : before.schema().entries())
      if (entry.path == "run.seed")
        EXPECT_EQ(std::get<std::int64_t>(s.src->scenario()->get(entry)), 7);
      else
        EXPECT_TRUE(s.src->scenario()->get(entry) == before.get(entry)) << entry.path;
    EXPECT_TRUE(drawn_text(s, viz::draw_controls).find("{ " + regime + " } regime") != std::string::npos);
  }
}

TEST_F(Headless, AnEditTheDeclarationRefusesIsShownAndRefusedOnRestart) {
  viz::viz_state s;
  open_live(s, society, small);
  const auto* e = s.src->scenario()->schema().find("population.citizens");
  ASSERT_NE(e, nullptr);
  viz::edit_value(s, *e, params::value(std::int64_t{0}));
  EXPECT_THROW(viz::restart(s), input_error);  // as `--set population.citizens=0` is
  EXPECT_EQ(s.edits.size(), 1u);               // kept, to be corrected
  EXPECT_EQ(s.overrides, small);               // the engine and its overrides untouched
  // The Run panel shows the refusal in red right under the restart button, above the scenario field.
  EXPECT_FALSE(viz::try_restart(s));
  EXPECT_TRUE(s.message_is_error);
  const std::string text = drawn_text(s, viz::draw_controls);
  const auto error = text.find("population.citizens");
  EXPECT_LT(text.find("--set"), error) << text;
  EXPECT_LT(error, text.find("Open scenario")) << text;
  // Setting the scenario's own value again is no change at all.
  viz::edit_value(s, *e, s.src->scenario()->get(*e));
  EXPECT_TRUE(s.edits.empty());
}

TEST(Chart, TicksAreNiceStepsWithShortLabels) {
  EXPECT_EQ(viz::chart::nice_step(104, 5), 20);
  EXPECT_EQ(viz::chart::nice_step(1, 5), 0.2);
  EXPECT_DOUBLE_EQ(viz::chart::nice_step(0.16, 4), 0.05);
  EXPECT_EQ(viz::chart::linear_ticks(0, 104, 5), (std::vector<double>{0, 20, 40, 60, 80, 100}));
  const auto t = viz::chart::linear_ticks(0.31, 0.47, 4);
  ASSERT_EQ(t.size(), 3u);
  EXPECT_NEAR(t[0], 0.35, 1e-12);
  EXPECT_NEAR(t[2], 0.45, 1e-12);
  EXPECT_EQ(viz::chart::linear_ticks(-1, 1, 4), (std::vector<double>{-1, -0.5, 0, 0.5, 1}));
  EXPECT_EQ(viz::chart::log_ticks(1, 1e5), (std::vector<double>{1, 10, 100, 1e3, 1e4, 1e5}));
  EXPECT_EQ(viz::chart::log_ticks(3, 30), (std::vector<double>{5, 10, 20}));
  char b[32];
  viz::chart::format_tick(b, sizeof b, 20000, 5000, 1e5);
  EXPECT_STREQ(b, "20k");
  viz::chart::format_tick(b, sizeof b, 1.5e6, 5e5, 2e6);
  EXPECT_STREQ(b, "1.5M");
  viz::chart::format_tick(b, sizeof b, 0.35, 0.05, 0.47);
  EXPECT_STREQ(b, "0.35");
  viz::chart::format_tick(b, sizeof b, 40, 20, 104);
  EXPECT_STREQ(b, "40");
}

// Every chart has a labelled x axis with ticks; the society view names its colours.
TEST_F(Headless, ChartsShowAxesTicksAndLegends) {
  const std::string path = make_run_file();
  viz::viz_state s;
  s.src = viz::make_replay_source(path);
  s.view = s.src->latest();
  EXPECT_EQ(s.view->run->step_unit, "week");  // the society's steps are weeks
  const std::string series = drawn_text(s, viz::draw_series);
  EXPECT_TRUE(series.find("week") != std::string::npos) << series;
  EXPECT_TRUE(series.find("gini_cash") != std::string::npos) << series;
  EXPECT_TRUE(series.find(" 10 ") != std::string::npos || series.find(" 10\n") != std::string::npos ||
              series.find("10 week") != std::string::npos)
      << series;  // an x tick at week 10 of 12
  EXPECT_TRUE(series.find("from 0") != std::string::npos && series.find("log") != std::string::npos);
  const std::string distribution = drawn_text(s, viz::draw_distribution);
  EXPECT_TRUE(distribution.find("share of citizens, poorest first") != std::string::npos) << distribution;
  EXPECT_TRUE(distribution.find("0.5") != std::string::npos) << distribution;
  EXPECT_TRUE(distribution.find("citizens") != std::string::npos) << distribution;
  const std::string society_text = drawn_text(s, viz::draw_society);
  for (const char* word :
       {"citizen", "firm", "charity", "government", "cash (log scale)", "value tokens held"})
    EXPECT_TRUE(society_text.find(word) != std::string::npos) << word << " in\n" << society_text;
  s.color_by = 2;
  EXPECT_TRUE(drawn_text(s, viz::draw_society).find("value tokens held:") != std::string::npos);
  s.compared = viz::load_compared_runs(path);
  const std::string compare = drawn_text(s, viz::draw_comparison);
  EXPECT_TRUE(compare.find("this run") != std::string::npos) << compare;
  EXPECT_TRUE(compare.find("week") != std::string::npos) << compare;
  EXPECT_TRUE(compare.find("note: this run has") == std::string::npos) << compare;  // like for like
  s.compared.back().citizens = 300;
  EXPECT_TRUE(drawn_text(s, viz::draw_comparison).find("note: this run has 600 citizens") !=
              std::string::npos);
  fs::remove(path);
}

// The Parameters section is generated from the declarations: each parameter the model reads, with its
// value from the scenario, and an edit shows what it replaces.
TEST_F(Headless, ParametersSectionShowsTheScenariosValuesAndEdits) {
  viz::viz_state s;
  open_live(s, society, small);
  drawn_text(s, viz::draw_controls);
  // Open the section and its "population" table as a click would (their state lives in the window).
  ImGuiWindow* w = ImGui::FindWindowByName("Run");
  ASSERT_NE(w, nullptr);
  w->StateStorage.SetInt(w->GetID("###parameters"), 1);
  w->StateStorage.SetInt(w->GetID("population"), 1);
  std::string text = drawn_text(s, viz::draw_controls);
  EXPECT_TRUE(text.find("Parameters (0 changed)") != std::string::npos) << text;
  EXPECT_TRUE(text.find("{ 600 } [ - ] [ + ] citizens") != std::string::npos) << text;  // the scenario's
  EXPECT_TRUE(text.find("{ 0.25 } profit_share") != std::string::npos) << text;         // a slider
  EXPECT_TRUE(text.find("exchange") == std::string::npos) << text;  // not read by the society model
  viz::edit_value(s, *s.src->scenario()->schema().find("population.citizens"),
                  params::value(std::int64_t{0}));
  text = drawn_text(s, viz::draw_controls);
  EXPECT_TRUE(text.find("Parameters (1 changed)") != std::string::npos) << text;
  EXPECT_TRUE(text.find("(was 600)") != std::string::npos) << text;
  EXPECT_TRUE(text.find("is out of range") != std::string::npos) << text;  // the declaration's own check
}

namespace {
// A chart of 105 weeks alone in a window at the origin, for driving it with the mouse.
void week_chart(viz::viz_state&) {
  static const std::vector<double> y = [] {
    std::vector<double> v;
    for (int i = 0; i <= 104; ++i) v.push_back(0.3 + 0.001 * i);
    return v;
  }();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::Begin("Chart");
  const viz::chart::series one{"gini", y};
  viz::chart::options o;
  o.x_label = "week";
  o.x_integer = true;
  viz::chart::plot("weeks", std::span(&one, 1), o, ImVec2(600, 300));
  ImGui::End();
}
}  // namespace

// Wheel zooms time about the mouse, double-click shows the whole run again; y is fitted, not pinned at 0.
TEST_F(Headless, ChartsZoomOnTimeAndFitY) {
  viz::viz_state s;
  ImGuiIO& io = ImGui::GetIO();
  io.MousePos = ImVec2(300, 200);
  const std::string whole = drawn_text(s, week_chart);
  EXPECT_TRUE(whole.find("week 0 10 20") != std::string::npos) << whole;  // the x ticks, at nice steps
  EXPECT_TRUE(whole.find(" 90") != std::string::npos) << whole;           // to the end of the run
  EXPECT_TRUE(whole.find("0.30") != std::string::npos) << whole;  // y fitted to the data (0.3 .. 0.404)
  EXPECT_TRUE(whole.find("0.00") == std::string::npos) << whole;  // not pinned at 0
  for (int i = 0; i < 5; ++i) {
    io.MouseWheel = 1;
    drawn_text(s, week_chart);
  }
  io.MouseWheel = 0;
  const std::string zoomed = drawn_text(s, week_chart);
  EXPECT_TRUE(zoomed.find(" 90") == std::string::npos) << zoomed;  // about a third of the run, mid-way
  EXPECT_TRUE(zoomed.find(" 10 ") == std::string::npos) << zoomed;
  EXPECT_TRUE(zoomed.find("week") != std::string::npos) << zoomed;
  // A double-click: two clicks close together in time and place.
  for (int click = 0; click < 2; ++click) {
    io.MouseDown[0] = true;
    drawn_text(s, week_chart);
    io.MouseDown[0] = false;
    drawn_text(s, week_chart);
  }
  EXPECT_TRUE(drawn_text(s, week_chart).find(" 90") != std::string::npos);
}

namespace {
bool with_band = false;
// Two regimes' means, the first with a band (lo..hi), as the comparison's confidence bands will be.
void band_chart(viz::viz_state&) {
  static const std::vector<double> mean{0.30, 0.40, 0.45, 0.50}, lo{0.28, 0.37, 0.41, 0.46},
      hi{0.34, 0.50, 0.58, 0.62}, other{0.31, 0.35, 0.38, 0.40};
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(800, 600));
  ImGui::Begin("Bands");
  viz::chart::series both[] = {{"market (mean of 5)", mean}, {"daf (mean of 5)", other}};
  if (with_band) both[0].lo = lo, both[0].hi = hi;
  viz::chart::plot("bands", both, viz::chart::options{}, ImVec2(600, 300));
  ImGui::End();
}
}  // namespace

TEST_F(Headless, ChartsDrawBandsAndOneLegendEntryPerSeries) {
  viz::viz_state s;
  // The band's fill: the series' colour at alpha 60, found among the vertices the window drew.
  const ImU32 fill = (viz::chart::palette(0) & ~IM_COL32_A_MASK) | (ImU32{60} << IM_COL32_A_SHIFT);
  auto has_fill = [&] {
    draw(s, band_chart, "Bands");
    const ImDrawList* dl = ImGui::FindWindowByName("Bands")->DrawList;
    for (const ImDrawVert& v : dl->VtxBuffer)
      if (v.col == fill) return true;
    return false;
  };
  EXPECT_FALSE(has_fill());
  const std::string text = drawn_text(s, band_chart);
  EXPECT_TRUE(text.find("market (mean of 5)") != std::string::npos) << text;
  EXPECT_TRUE(text.find("daf (mean of 5)") != std::string::npos) << text;
  EXPECT_TRUE(text.find("0.6") == std::string::npos) << text;  // the means reach 0.50
  with_band = true;
  EXPECT_TRUE(has_fill());
  const std::string banded = drawn_text(s, band_chart);
  EXPECT_TRUE(banded.find("0.6") != std::string::npos) << banded;  // the y range covers the band (0.62)
  with_band = false;
}
