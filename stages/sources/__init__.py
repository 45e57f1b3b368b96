"""Sources: one module per input kind. Each turns input files into document batches."""
