// --record FILE.mp4: the window's frames piped to ffmpeg (Debian's ffmpeg package), which encodes them as
// H.264 in a fragmented MP4, so that a recording cut short (the window killed, the disk full) still plays
// up to its last fragment. ffmpeg is started directly (no shell), its input a pipe of raw RGBA frames.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace civitas::viz {

class video_recorder {
 public:
  // Checks that ffmpeg is on the PATH and that `path` can be written (its folder exists; it is not a
  // folder, a device or anything else but a regular file); throws input_error naming what is wrong.
  // Nothing is started until the first frame.
  explicit video_recorder(std::string path, int frames_per_second = 30);
  ~video_recorder();  // finishes the video if finish() was not called
  video_recorder(const video_recorder&) = delete;
  video_recorder& operator=(const video_recorder&) = delete;

  // One frame of `width` x `height` RGBA pixels, rows bottom-up as OpenGL reads them. The first frame
  // fixes the size; a frame of another size (the window resized) is cropped or padded to it. Returns false
  // once ffmpeg has failed (then error() says why).
  bool add_frame(const std::vector<unsigned char>& rgba, int width, int height);
  // Closes the pipe and waits for ffmpeg; returns whether the video was written whole.
  bool finish();
  const std::string& error() const { return error_; }
  int frames() const { return frames_; }

 private:
  bool start(int width, int height);
  std::string path_;
  int fps_;
  int width_ = 0, height_ = 0;
  int pipe_ = -1;
  pid_t child_ = -1;
  int frames_ = 0;
  std::string error_;
  std::vector<unsigned char> fitted_;
};

}  // namespace civitas::viz
