//! The build context: `.dockerignore` matching, the bounded context walk, COPY/ADD source selection.
