"""Models of data-defined doctypes are attached here at run time."""
