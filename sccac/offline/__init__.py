"""The offline mode: the complete SCC-AC system simulated in one process, no credentials needed."""
