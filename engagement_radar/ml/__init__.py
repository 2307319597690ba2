"""Machine learning for the dbt Python models: pure functions over Arrow tables / pandas frames."""
