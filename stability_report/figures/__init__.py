"""The figures: the house style, saving them, and one module of figures per chapter."""
