// --record: frames piped to a real ffmpeg become a video ffprobe reads back with the frames and size sent;
// a path that cannot take a video is refused before anything starts.
#include "viz/recorder.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "core/error.hpp"
#include "support/process.hpp"

namespace fs = std::filesystem;
using civitas::viz::video_recorder;

namespace {

bool have_ffmpeg() {
  return std::system("command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1") == 0;
}

fs::path temp(const std::string& name) {
  return fs::temp_directory_path() / ("civitas_recorder_" + std::to_string(::getpid()) + "_" + name);
}

// "width,height,frames" of the video's first stream, as ffprobe counts them by decoding.
std::string probe(const fs::path& video) {
  const auto out = temp("probe.txt");
  const std::string command =
      "ffprobe -v error -count_frames -select_streams v:0 -show_entries "
      "stream=width,height,nb_read_frames -of csv=p=0 '" +
      video.string() + "' >'" + out.string() + "' 2>&1";
  std::system(command.c_str());
  std::string text = civitas::test::slurp(out);
  fs::remove(out);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

// A frame that changes with i, so the encoder has something to encode.
std::vector<unsigned char> frame_of(int width, int height, int i) {
  std::vector<unsigned char> rgba(static_cast<std::size_t>(width) * height * 4);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      unsigned char* p = &rgba[(static_cast<std::size_t>(y) * width + x) * 4];
      p[0] = static_cast<unsigned char>(x + i * 4), p[1] = static_cast<unsigned char>(y), p[2] = 90,
      p[3] = 255;
    }
  return rgba;
}

}  // namespace

TEST(Recorder, FramesBecomeAVideoOfThatSizeAndLength) {
  if (!have_ffmpeg()) GTEST_SKIP() << "ffmpeg is not installed (Debian package ffmpeg)";
  const auto video = temp("clip.mp4");
  {
    video_recorder r(video.string());
    for (int i = 0; i < 24; ++i) ASSERT_TRUE(r.add_frame(frame_of(320, 240, i), 320, 240)) << r.error();
    ASSERT_TRUE(r.finish()) << r.error();
    EXPECT_EQ(r.frames(), 24);
  }
  EXPECT_EQ(probe(video), "320,240,24");
  fs::remove(video);
}

TEST(Recorder, OddSizesAreCroppedToEvenAndAResizedWindowKeepsTheVideosSize) {
  if (!have_ffmpeg()) GTEST_SKIP() << "ffmpeg is not installed (Debian package ffmpeg)";
  const auto video = temp("odd.mp4");
  video_recorder r(video.string());
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(r.add_frame(frame_of(321, 241, i), 321, 241)) << r.error();
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(r.add_frame(frame_of(400, 200, i), 400, 200)) << r.error();
  ASSERT_TRUE(r.finish()) << r.error();
  EXPECT_EQ(probe(video), "320,240,10");
  fs::remove(video);
}

TEST(Recorder, PathsThatCannotTakeAVideoAreRefusedByName) {
  auto refused = [](const std::string& path, const std::string& why) {
    try {
      video_recorder r(path);
      ADD_FAILURE() << path << " was accepted";
    } catch (const civitas::input_error& e) {
      const std::string m = e.diagnostics().at(0).str();
      EXPECT_NE(m.find("--record"), std::string::npos) << m;
      EXPECT_NE(m.find(why), std::string::npos) << m;
    }
  };
  refused(temp("missing").string() + "/clip.mp4", "no such folder");
  refused(temp("clip.avi").string(), ".mp4");
  // A node the test makes itself, standing in for a device: never written through.
  const auto fifo = temp("fifo.mp4");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  refused(fifo.string(), "not a regular file");
  fs::remove(fifo);
  const auto folder = temp("folder.mp4");
  fs::create_directory(folder);
  refused(folder.string(), "not a regular file");
  fs::remove(folder);
}
