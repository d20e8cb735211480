"""The home of the document types defined as data: their Django models are
built at run time (apps.docflow.dynamic) and registered under this app label.
The app has no migrations: its tables follow the definitions, not files."""
