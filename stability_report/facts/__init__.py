"""The fact base: its declared schema, its ids, loading and validating it (pandas and pandera), and
reading it with the csv module where pandas is not wanted. Importing this package loads nothing:
import the module you need.
"""
