"""An experiment end to end and what it leaves: results, progress records, history, exports, links."""
