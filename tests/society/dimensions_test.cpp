// The value-dimension table (society/dimensions.cpp).
#include "society/dimensions.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/error.hpp"

using namespace civitas;
using namespace civitas::society;

TEST(Dimensions, DefaultTableIsTheSeventeenSDGs) {
  const auto d = load_default_dimensions();
  ASSERT_EQ(d.size(), 17u);
  EXPECT_EQ(d[12].code, "SDG13");
  EXPECT_EQ(d[12].name, "Climate action");
  EXPECT_EQ(d[8].name, "Industry, innovation and infrastructure");
}

TEST(Dimensions, MalformedFileNamesTheLine) {
  const auto path = std::filesystem::temp_directory_path() / "civitas_bad_dimensions.csv";
  std::ofstream(path) << "index,code,name\n1,SDG1,No poverty\n2 broken\n";
  try {
    load_dimensions(path);
    FAIL() << "expected an input_error";
  } catch (const input_error& e) {
    EXPECT_NE(std::string(e.what()).find(path.string() + ":3:"), std::string::npos) << e.what();
  }
  std::filesystem::remove(path);
}
