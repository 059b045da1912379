"""CSV files into a clean series: read (bytes to cells), numbers, times, spacing, load (the whole path)."""
