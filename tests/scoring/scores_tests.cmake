civitas_test(scoring_scores_test scoring/scores_test.cpp)
