"""The edge between an engine and the ML steps (steps.py): one `Tables` per engine. Only this module touches an
engine's API; the steps and the ML functions see DataFrames.

- DbtDuckDBTables: inside a dbt Python model on DuckDB (dbt-duckdb hands the model DuckDB relations).
- SparkTables: in engagement_radar.spark, on a Spark session.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from .frames import to_frame


class RunSettings:
    """An engine's settings: the build's vars, read once from the run_settings mart ({setting: value as text, or
    None}), for Tables.config()."""

    settings: dict | None = None

    def config(self, key: str):
        if self.settings is None:
            frame = self.read("run_settings", columns="setting, setting_value")
            self.settings = dict(zip(frame["setting"], frame["setting_value"], strict=True))
        if key not in self.settings:
            raise KeyError(f"run_settings has no setting {key}: add it to models/marts/core/run_settings.sql")
        return self.settings[key]


def _select(source: str, where: str | None, columns: str, order: str | None) -> str:
    return (f"select {columns} from {source}" + (f" where {where}" if where else "")
            + (f" order by {order}" if order else ""))


class DbtDuckDBTables(RunSettings):
    """What a dbt Python model reads on DuckDB. dbt finds a model's dependencies in its dbt.ref() calls, so the
    model passes its relations in by name: DbtDuckDBTables(dbt, session, int_ml_retrain=dbt.ref("int_ml_retrain")).
    A model that reads settings (vars) passes run_settings=dbt.ref("run_settings"): the build's vars, each named
    once in that mart (a Python model sees no var otherwise)."""

    def __init__(self, dbt, session, **relations):
        self.dbt, self.session, self.relations = dbt, session, relations

    def read(self, name: str, where: str | None = None, columns: str = "*", order: str | None = None
             ) -> pd.DataFrame:
        if name not in self.relations:
            raise KeyError(f"the model does not read {name}: pass {name}=dbt.ref('{name}')")
        return to_frame(self.relations[name].query("t", _select("t", where, columns, order)).to_arrow_table())

    def previous(self) -> pa.Table | None:
        """The model's table as the last run left it, as stored (Arrow: written back unchanged)."""
        this = self.dbt.this
        exists = self.session.execute(
            "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
            [this.schema, this.identifier]).fetchall()[0][0]
        return self.session.sql(f"select * from {this}").to_arrow_table() if exists else None


class SparkTables(RunSettings):
    """What an ML step reads on Spark: the relations of `schema` (its settings from run_settings), and its own
    previous table."""

    def __init__(self, spark, schema: str, name: str):
        self.spark, self.schema, self.name = spark, schema, name

    def read(self, name: str, where: str | None = None, columns: str = "*", order: str | None = None
             ) -> pd.DataFrame:
        table = self.spark.sql(_select(f"{self.schema}.{name}", where, columns, order)).toArrow()
        return to_frame(_without_time_zones(table))

    def previous(self) -> pa.Table | None:
        if not self.spark.catalog.tableExists(f"{self.schema}.{self.name}"):
            return None
        return _without_time_zones(self.spark.sql(f"select * from {self.schema}.{self.name}").toArrow())

    def write(self, table) -> int:
        """Replaces the step's table with a DataFrame or an Arrow table; returns its row count."""
        if isinstance(table, pd.DataFrame):
            table = pa.Table.from_pandas(table, preserve_index=False)
        self.spark.createDataFrame(table).write.mode("overwrite").saveAsTable(f"{self.schema}.{self.name}")
        return table.num_rows


def _without_time_zones(table: pa.Table) -> pa.Table:
    """Spark hands timestamps over in UTC with a zone; the warehouse's are UTC without one (as on DuckDB)."""
    fields = [pa.field(field.name, pa.timestamp(field.type.unit)) if pa.types.is_timestamp(field.type)
              and field.type.tz else field for field in table.schema]
    return table.cast(pa.schema(fields))
