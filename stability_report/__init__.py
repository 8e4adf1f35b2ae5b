"""Analysis of Stability AI's 2023-24 cash crisis and executive attrition, from two news
articles."""

import csv as _csv

from .config import MAX_TABLE_BYTES as _MAX_TABLE_BYTES

# A cell is never larger than the file it is in: every CSV reader of the package reads a file
# of the largest size accepted (config.MAX_TABLE_BYTES) without the csv module's own limit
# (131,072 characters) stopping it unexplained; the loaders then name the cell that is too long
# (config.MAX_CELL) by file, row and column.
_csv.field_size_limit(_MAX_TABLE_BYTES)
