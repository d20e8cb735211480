"""P4 Kebijakan Teknis: processes defined as data (doctype/, workflows/, print_formats/, naming/, demo/)."""
