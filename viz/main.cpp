// civitas-viz: explore a society live or replay a run file (Dear ImGui + GLFW + OpenGL 3).
//
//   civitas-viz [SCENARIO.toml | shipped name | RUN.h5 | RUN.h5.partial] [--set key=value ...] [--threads N]
//               [--speed STEPS_PER_S] [--page overview|flows|side] [--compare FILE ... [--paired]]
//               [--side-by-side REGIME,REGIME[,...]] [--screenshot FILE.png] [--record FILE.mp4] [--frames N]
//
// One frame loop on the main thread; in live mode the engine runs on its own thread and publishes frames the
// UI picks up without waiting. --screenshot renders N frames in a hidden window (live runs play), saves the
// last one as PNG, prints the mean frame time and exits. --record pipes every frame to ffmpeg (Debian's
// ffmpeg package) as an H.264 video at 30 frames/s; with --frames it renders that many frames hidden and
// exits, else it records until the window closes. Exit codes as for `civitas`: 2 bad input (or a PNG that
// cannot be written), 3 a file that cannot be read, 4 no display or an internal error, 5 a video that could
// not be written whole.
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>
#include <imgui_internal.h>  // FindWindowByName: --panel crops the screenshot to one window
#include <stb_image_write.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <vector>

#include "core/error.hpp"
#include "driver/registry.hpp"
#include "governance/registry.hpp"
#include "viz/panels.hpp"
#include "viz/recorder.hpp"
#include "viz/sources.hpp"

namespace fs = std::filesystem;
using namespace civitas;

namespace {

bool is_run_file(const std::string& path) { return path.ends_with(".h5") || path.ends_with(".h5.partial"); }

// The back buffer's rectangle x, y, width, height (y from the bottom), RGBA, rows bottom-up.
std::vector<unsigned char> read_pixels(int x, int y_bottom, int width, int height) {
  std::vector<unsigned char> pixels(static_cast<std::size_t>(width) * height * 4);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(x, y_bottom, width, height, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
  return pixels;
}

// Writes the back buffer (or the rectangle x, y, width, height of it, y from the top) as a PNG (rows
// flipped: OpenGL's origin is bottom-left).
bool save_png(const std::string& path, int x, int y_top, int width, int height, int window_height) {
  const auto pixels = read_pixels(x, window_height - y_top - height, width, height);
  std::vector<unsigned char> flipped(pixels.size());
  const std::size_t row = static_cast<std::size_t>(width) * 4;
  for (int y = 0; y < height; ++y)
    std::copy_n(pixels.data() + static_cast<std::size_t>(height - 1 - y) * row, row,
                flipped.data() + static_cast<std::size_t>(y) * row);
  return stbi_write_png(path.c_str(), width, height, 4, flipped.data(), static_cast<int>(row)) != 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"civitas-viz: watch a Civitas society live, or replay a run file"};
  std::string target, screenshot, panel;
  std::vector<std::string> sets, compare;
  unsigned threads = 0, frames = 60;
  float speed = 50;
  bool paused = false;
  app.add_option("target", target,
                 "Scenario file or shipped name (live), or a run file .h5 (replay); default society/default");
  app.add_option("--set", sets, "Override a scenario parameter (live mode, and the side-by-side lanes)")
      ->allow_extra_args(false);
  app.add_option("--threads", threads, "Engine threads (0: every core)")->check(CLI::Range(0u, 1024u));
  app.add_option("--speed", speed, "Live steps per second (1000: as fast as possible)")
      ->check(CLI::Range(1.0f, 1000.0f));
  std::string page = "overview";
  app.add_option("--page", page,
                 "The page shown first: overview, flows (the network and the money flows), or side (regimes "
                 "side by side)")
      ->check(CLI::IsMember({"overview", "flows", "side"}));
  std::string side_by_side;
  app.add_option("--side-by-side", side_by_side,
                 "Run the scenario under these regimes at once, on the same seed (two to four, e.g. "
                 "market,social_credit); opens the side-by-side page");
  std::string record;
  app.add_option("--record", record, "Record the window as an MP4 video (through ffmpeg) to this file");
  app.add_option("--compare", compare,
                 "Run, sweep or comparison file (`civitas compare`) to overlay in the Compare runs panel");
  app.add_option("--screenshot", screenshot, "Render headless, save the last frame to this PNG and exit");
  app.add_option("--panel", panel,
                 "With --screenshot: save only this panel (its window title, e.g. Society)");
  app.add_flag("--paused", paused,
               "With --screenshot: leave a live run paused at step 0, as a user first sees it");
  bool paired = false;
  app.add_flag("--paired", paired,
               "Show paired differences against the first regime (a comparison file, or --side-by-side)");
  app.add_option("--frames", frames, "Frames to render with --screenshot")->check(CLI::Range(1u, 1000000u));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }

  // Rendered in a hidden window for a fixed number of frames, then exit: a screenshot, or a recording
  // given --frames.
  const bool headless = !screenshot.empty() || (!record.empty() && app.count("--frames") > 0);
  std::unique_ptr<viz::video_recorder> recorder;
  viz::viz_state state;
  state.page = page == "flows" ? 1 : page == "side" ? 2 : 0;
  state.compare_paired = paired;
  state.lane_differences = paired;
  try {
    // A comparison file is not a run: it belongs in the comparison panel, beside the default society.
    if (!target.empty() && is_run_file(target) && viz::is_sweep_file(target)) {
      compare.insert(compare.begin(), target);
      target.clear();
    }
    for (const auto& c : compare)
      for (auto& run : viz::load_compared_runs(c)) state.compared.push_back(std::move(run));
    if (!record.empty()) recorder = std::make_unique<viz::video_recorder>(record);
    if (!target.empty() && is_run_file(target)) {
      state.src = viz::make_replay_source(target);
      state.overrides = sets;  // replay: for the side-by-side lanes only
    } else {
      state.scenario_path = params::resolve_scenario(target.empty() ? "society/default" : target);
      state.overrides = sets;
      state.src = viz::make_live_source(state.scenario_path, sets, threads);
      state.src->set_speed(speed);
      state.speed = speed;
      if (headless && !paused) state.src->play(true);
    }
    if (!side_by_side.empty()) {
      const auto regimes = viz::parse_regime_list(side_by_side);
      const auto& names = governance::regime_names();
      for (std::size_t i = 0; i < state.lane_chosen.size(); ++i)
        state.lane_chosen[i] =
            i < names.size() && std::find(regimes.begin(), regimes.end(), names[i]) != regimes.end();
      state.lane_threads = threads;
      state.lane_speed = speed;
      if (!viz::try_start_lanes(state)) {
        std::fprintf(stderr, "error: %s\n", state.lane_message.c_str());
        return 2;
      }
      if (headless && paused) state.lanes->play(false);
      if (app.count("--page") == 0) state.page = 2;
    }
  } catch (const input_error& e) {
    for (const auto& d : e.diagnostics()) std::fprintf(stderr, "error: %s\n", d.str().c_str());
    return 2;
  } catch (const data_error& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 3;
  }

  if (!glfwInit()) {
    std::fprintf(stderr, "error: cannot initialise GLFW (no display? try xvfb-run)\n");
    return 4;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  if (headless) glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
  if (recorder) glfwWindowHint(GLFW_RESIZABLE, GLFW_FALSE);  // a video keeps one size
  GLFWwindow* window = glfwCreateWindow(1600, 900, "civitas-viz", nullptr, nullptr);
  if (!window) {
    std::fprintf(stderr, "error: cannot open an OpenGL 3.3 window (no display? try xvfb-run)\n");
    glfwTerminate();
    return 4;
  }
  glfwMakeContextCurrent(window);
  glfwSwapInterval(headless ? 0 : 1);
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;  // the layout is the program's, not a file's
  ImGui::StyleColorsDark();
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 330");

  int exit_code = 0;
  unsigned frame = 0;
  double total_ms = 0, ui_ms = 0;  // whole frame; building it (ImGui + panels, without OpenGL drawing)
  while (!glfwWindowShouldClose(window)) {
    const auto started = std::chrono::steady_clock::now();
    glfwPollEvents();
    state.view = state.src->latest();  // a pointer swap: the UI never waits for a step
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    const auto ui_started = std::chrono::steady_clock::now();
    ImGui::NewFrame();
    int width = 0, height = 0;
    glfwGetFramebufferSize(window, &width, &height);
    viz::draw_all(state, static_cast<float>(width), static_cast<float>(height));
    ImGui::Render();
    ui_ms += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - ui_started).count();
    glViewport(0, 0, width, height);
    glClearColor(0.08f, 0.08f, 0.1f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    ++frame;
    const bool last = headless && frame >= frames;
    if (recorder && !recorder->add_frame(read_pixels(0, 0, width, height), width, height)) {
      std::fprintf(stderr, "error: --record %s: %s\n", record.c_str(), recorder->error().c_str());
      exit_code = 5;
      recorder.reset();
    }
    if (state.save_png || (last && !screenshot.empty())) {
      const bool shot = last && !screenshot.empty();
      const std::string path = shot ? screenshot : "civitas-viz-" + std::to_string(frame) + ".png";
      int x = 0, y = 0, w = width, h = height;
      if (shot && !panel.empty()) {
        if (const ImGuiWindow* win = ImGui::FindWindowByName(panel.c_str())) {
          x = std::clamp(static_cast<int>(win->Pos.x), 0, width - 1);
          y = std::clamp(static_cast<int>(win->Pos.y), 0, height - 1);
          w = std::clamp(static_cast<int>(win->Size.x), 1, width - x);
          h = std::clamp(static_cast<int>(win->Size.y), 1, height - y);
        } else {
          std::fprintf(stderr, "error: no panel called '%s'\n", panel.c_str());
          exit_code = 2;
        }
      }
      if (!save_png(path, x, y, w, h, height)) {
        std::fprintf(stderr, "error: cannot write %s\n", path.c_str());
        exit_code = 2;
      }
      state.message = "saved " + path;
      state.save_png = false;
    }
    glfwSwapBuffers(window);
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    total_ms += ms;
    state.mean_frame_ms = 0.95 * state.mean_frame_ms + 0.05 * ms;
    if (last) break;
  }
  if (recorder) {
    if (!recorder->finish()) {
      std::fprintf(stderr, "error: --record %s: %s\n", record.c_str(), recorder->error().c_str());
      exit_code = 5;
    } else {
      std::printf("civitas-viz: recorded %d frames to %s\n", recorder->frames(), record.c_str());
    }
  }
  if (headless) {
    const auto view = state.src->latest();
    std::printf(
        "civitas-viz: %u frames, mean frame time %.2f ms (%.0f frames/s), of which building the UI %.2f ms; "
        "%zu agents, engine at step %u; wrote %s\n",
        frame, total_ms / frame, 1000.0 * frame / total_ms, ui_ms / frame, view ? view->agents() : 0,
        view ? view->step : 0, screenshot.empty() ? record.c_str() : screenshot.c_str());
  }
  state.src.reset();  // stop the engine thread before the window goes
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  return exit_code;
}
