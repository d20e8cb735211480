"""P2 Perencanaan dan Evaluasi: processes defined as data (doctype/, workflows/, print_formats/, naming/, demo/)."""
