//! Shell-word processing and variable expansion, as BuildKit's `frontend/dockerfile/shell` does it.
