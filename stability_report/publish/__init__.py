"""Publishing a run into the output tree in one atomic step (publish), with file operations that
never follow a symbolic link (safefs), what interrupted runs left cleaned up (recover), and the
lock that keeps two runs from interleaving (lock, a flock taken through filelock).
"""
