// civitas-viz end to end under Xvfb: a real window, real OpenGL, a real PNG a person would see.
#include <gtest/gtest.h>
#include <stb_image.h>
#include <unistd.h>

#include <filesystem>
#include <set>

#include "support/process.hpp"

#ifndef CIVITAS_VIZ_BINARY
#error "CIVITAS_VIZ_BINARY must name the civitas-viz executable"
#endif

namespace fs = std::filesystem;

namespace {

struct result {
  int exit_code = -1;
  std::string out;
};

result run_viz(const std::string& args) {
  // One output file per test process: ctest runs these tests side by side, and a shared file let one
  // test read another's output.
  const auto out = fs::temp_directory_path() / ("civitas_viz_e2e." + std::to_string(::getpid()) + ".out");
  const std::string command = "xvfb-run -a -s '-screen 0 1600x900x24' '" + std::string(CIVITAS_VIZ_BINARY) +
                              "' " + args + " >'" + out.string() + "' 2>&1";
  const int status = std::system(command.c_str());
  result r{WIFEXITED(status) ? WEXITSTATUS(status) : -1, civitas::test::slurp(out)};
  fs::remove(out);
  return r;
}

bool have_xvfb() { return std::system("command -v xvfb-run >/dev/null 2>&1") == 0; }

// A real, non-blank image: the window's size, many colours, and most of it not the clear colour.
void expect_real_image(const fs::path& png) {
  int w = 0, h = 0, channels = 0;
  unsigned char* data = stbi_load(png.c_str(), &w, &h, &channels, 3);
  ASSERT_NE(data, nullptr) << png << " is not a PNG";
  EXPECT_EQ(w, 1600);
  EXPECT_EQ(h, 900);
  std::set<unsigned> colours;
  std::size_t background = 0;
  for (int i = 0; i < w * h; ++i) {
    const unsigned c = (unsigned{data[3 * i]} << 16) | (unsigned{data[3 * i + 1]} << 8) | data[3 * i + 2];
    colours.insert(c);
    background += c == 0x14141a;  // glClearColor(0.08, 0.08, 0.1)
  }
  stbi_image_free(data);
  EXPECT_GT(colours.size(), 50u);
  EXPECT_LT(background, static_cast<std::size_t>(w) * h / 2);
}

}  // namespace

TEST(VizE2E, LiveScreenshotIsARealImage) {
  if (!have_xvfb()) GTEST_SKIP() << "xvfb-run is not installed (Debian package xvfb)";
  const auto png = fs::temp_directory_path() / "civitas_viz_live.png";
  fs::remove(png);
  const auto r = run_viz("--screenshot '" + png.string() +
                         "' --frames 20 --set population.citizens=800 "
                         "--set population.firms=16 --set population.charities=4 society/default");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_TRUE(civitas::test::contains(r.out, "mean frame time")) << r.out;
  expect_real_image(png);
  fs::remove(png);
}

TEST(VizE2E, ReplayScreenshotOfARunFile) {
  if (!have_xvfb()) GTEST_SKIP() << "xvfb-run is not installed (Debian package xvfb)";
  const auto h5 = fs::temp_directory_path() / "civitas_viz_replay.h5";
  const auto made = civitas::test::run_civitas(
      "run society/default --steps 8 --set population.citizens=800 "
      "--set population.firms=16 --set population.charities=4 --quiet --out '" +
      h5.string() + "'");
  ASSERT_EQ(made.exit_code, 0) << made.err;
  const auto png = fs::temp_directory_path() / "civitas_viz_replay.png";
  const auto r = run_viz("--screenshot '" + png.string() + "' --frames 5 '" + h5.string() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  expect_real_image(png);
  fs::remove(png);
  fs::remove(h5);
}

// A `civitas compare` file given directly opens in the Compare runs panel (it once failed with "/meta
// attribute 'scenario_name': missing attribute"), beside a live society; --panel saves that panel alone.
TEST(VizE2E, AComparisonFileOpensInTheComparePanel) {
  if (!have_xvfb()) GTEST_SKIP() << "xvfb-run is not installed (Debian package xvfb)";
  const auto h5 = fs::temp_directory_path() / ("civitas_viz_compare." + std::to_string(::getpid()) + ".h5");
  const auto made = civitas::test::run_civitas(
      "compare society/default --regimes market,daf --replicates 2 --steps 6 --set population.citizens=400 "
      "--set population.firms=8 --set population.charities=2 --set daf.voters=400 --quiet --out '" +
      h5.string() + "'");
  ASSERT_EQ(made.exit_code, 0) << made.err;
  const auto png = fs::temp_directory_path() / ("civitas_viz_compare." + std::to_string(::getpid()) + ".png");
  const auto r =
      run_viz("--screenshot '" + png.string() + "' --frames 3 --panel 'Compare runs' '" + h5.string() +
              "' --set population.citizens=400 --set population.firms=8 --set population.charities=2");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  int w = 0, h = 0, channels = 0;
  unsigned char* data = stbi_load(png.c_str(), &w, &h, &channels, 3);
  ASSERT_NE(data, nullptr) << r.out;
  stbi_image_free(data);
  EXPECT_EQ(w, 800);  // the panel alone: half the 1600-pixel window
  EXPECT_LT(h, 900);
  fs::remove(png);
  fs::remove(h5);
}

TEST(VizE2E, BadInputExitsWithTheRightCode) {
  if (!have_xvfb()) GTEST_SKIP() << "xvfb-run is not installed (Debian package xvfb)";
  const auto missing = run_viz("--screenshot /tmp/never.png --frames 1 no/such/scenario");
  EXPECT_EQ(missing.exit_code, 2) << missing.out;
  EXPECT_TRUE(civitas::test::contains(missing.out, "no/such/scenario")) << missing.out;
  const auto garbage = fs::temp_directory_path() / "civitas_viz_garbage.h5";
  {
    std::FILE* f = std::fopen(garbage.c_str(), "wb");
    std::fputs("not hdf5", f);
    std::fclose(f);
  }
  const auto corrupt = run_viz("--screenshot /tmp/never.png --frames 1 '" + garbage.string() + "'");
  EXPECT_EQ(corrupt.exit_code, 3) << corrupt.out;
  const auto bad_set =
      run_viz("--screenshot /tmp/never.png --frames 1 --set governance.regime=anarchy society/default");
  EXPECT_EQ(bad_set.exit_code, 2) << bad_set.out;
  fs::remove(garbage);
}

// Regimes live side by side in a real window: the page opens on its own, every lane reaches the end.
TEST(VizE2E, RegimesSideBySideRunLive) {
  if (!have_xvfb()) GTEST_SKIP() << "xvfb-run is not installed (Debian package xvfb)";
  const auto png = fs::temp_directory_path() / ("civitas_viz_side." + std::to_string(::getpid()) + ".png");
  const auto r =
      run_viz("--screenshot '" + png.string() +
              "' --frames 120 --speed 1000 --side-by-side market,social_credit,daf regimes/compare "
              "--set population.citizens=400 --set population.firms=8 --set population.charities=2 "
              "--set daf.voters=400 --set run.steps=8");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  expect_real_image(png);
  fs::remove(png);
  const auto one = run_viz("--screenshot /tmp/never.png --frames 1 --side-by-side market society/default");
  EXPECT_EQ(one.exit_code, 2) << one.out;
  EXPECT_TRUE(civitas::test::contains(one.out, "two to four")) << one.out;
  const auto boltzmann =
      run_viz("--screenshot /tmp/never.png --frames 1 --side-by-side market,daf validation/boltzmann");
  EXPECT_EQ(boltzmann.exit_code, 2) << boltzmann.out;
  EXPECT_TRUE(civitas::test::contains(boltzmann.out, "has none")) << boltzmann.out;
}

// --record: the window's frames become an MP4 of the window's size, one video frame per UI frame.
TEST(VizE2E, RecordWritesAVideoOfTheWindow) {
  if (!have_xvfb()) GTEST_SKIP() << "xvfb-run is not installed (Debian package xvfb)";
  if (std::system("command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "ffmpeg is not installed (Debian package ffmpeg)";
  const auto video =
      fs::temp_directory_path() / ("civitas_viz_record." + std::to_string(::getpid()) + ".mp4");
  const auto r = run_viz("--record '" + video.string() +
                         "' --frames 30 --set population.citizens=400 --set population.firms=8 "
                         "--set population.charities=2 society/default");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_TRUE(civitas::test::contains(r.out, "recorded 30 frames")) << r.out;
  const auto probe =
      fs::temp_directory_path() / ("civitas_viz_record." + std::to_string(::getpid()) + ".txt");
  std::system(("ffprobe -v error -count_frames -select_streams v:0 -show_entries "
               "stream=width,height,nb_read_frames -of csv=p=0 '" +
               video.string() + "' >'" + probe.string() + "' 2>&1")
                  .c_str());
  EXPECT_TRUE(civitas::test::contains(civitas::test::slurp(probe), "1600,900,30"))
      << civitas::test::slurp(probe);
  fs::remove(probe);
  fs::remove(video);
  const auto nowhere = run_viz("--record /no/such/folder/clip.mp4 --frames 2 society/default");
  EXPECT_EQ(nowhere.exit_code, 2) << nowhere.out;
  EXPECT_TRUE(civitas::test::contains(nowhere.out, "no such folder")) << nowhere.out;
}
