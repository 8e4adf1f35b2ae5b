"""The fact base: its declared schema, its ids, and one reader of its table files (facts.read)
on which both the notebooks' loader (typed and validated with pandas and pandera: facts.load) and
the render process's plain reading (facts.plain, without pandas) are built. Importing this
package loads nothing: import the module you need.
"""
