// An ImGui context with no window or renderer, in which tests draw panels and count what they drew.
#pragma once

#include <gtest/gtest.h>
#include <imgui.h>
#include <imgui_internal.h>

#include "viz/state.hpp"

namespace civitas::test {

class Headless : public ::testing::Test {
 protected:
  void SetUp() override {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(1600, 900);
    io.DeltaTime = 1.0f / 60.0f;
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);  // builds the font atlas, as a renderer would
  }
  void TearDown() override { ImGui::DestroyContext(); }

  // Draws one panel in a fresh ImGui frame and returns how many vertices its window produced.
  static int draw(viz::viz_state& s, void (*panel)(viz::viz_state&), const char* window) {
    ImGui::NewFrame();
    ImGui::SetNextWindowSize(ImVec2(800, 600));
    panel(s);
    ImGui::Render();
    ImGuiWindow* w = ImGui::FindWindowByName(window);
    return w ? w->DrawList->VtxBuffer.Size : -1;
  }
};

}  // namespace civitas::test
