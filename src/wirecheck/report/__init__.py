"""Reports and exports. Reads through the store only."""
