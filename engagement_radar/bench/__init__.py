"""The benchmark of the warehouse against a pandas notebook and bare DuckDB: `python -m engagement_radar.bench`."""
