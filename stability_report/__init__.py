"""Analysis of Stability AI's 2023-24 cash crisis and executive attrition, from two news
articles."""
