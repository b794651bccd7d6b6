"""The terminal practice app (prompt-toolkit). The only package that imports the UI."""
