"""P1 dan P3 Keuangan dan Sarana: processes defined as data (doctype/, workflows/, print_formats/, naming/, demo/)."""
