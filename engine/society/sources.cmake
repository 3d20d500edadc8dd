target_sources(civitas_engine PRIVATE
  society/dimensions.cpp
  society/passport.cpp
  society/pool.cpp
  society/society_model.cpp
  society/tender.cpp)
