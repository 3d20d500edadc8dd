# The people's scores (docs/domain.md §6); included from scoring/sources.cmake.
target_sources(civitas_engine PRIVATE
  scoring/se_ratio.cpp
  scoring/modern_slavery.cpp
  scoring/personal_value.cpp
  scoring/alignment.cpp)
