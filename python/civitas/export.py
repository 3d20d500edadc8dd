"""Exports of Civitas files for R, Stata and the rest: CSV and netCDF (python3-netcdf4) tables.

    python3 -m civitas export society.h5 --format csv            # society.csv: /series, one row per step
    python3 -m civitas export society-compare.h5 --format netcdf # society-compare.nc: metric[run, step]

A run exports its /series (one row per step); a comparison or sweep its tidy long table (one row per run and
step, typed parameter columns) as CSV, or as netCDF every metric over (run, step) with the runs' parameters,
points, replicates and seeds as coordinates along `run`; a sensitivity study its indices table.
"""
import os

from . import files


def default_out(path, fmt):
    """The export's default name: the input's with .csv or .nc for .h5 (and .h5.partial)."""
    base = os.fspath(path)
    for suffix in (".partial", ".h5"):
        if base.endswith(suffix):
            base = base[: -len(suffix)]
    return base + (".csv" if fmt == "csv" else ".nc")


def table(path):
    """The table an export writes, as a DataFrame (see the module's docstring)."""
    kind = files.kind_of(path)
    if kind == "run":
        return files.RunFile(path).series_frame().reset_index()
    if kind == "sensitivity":
        return files.SensitivityFile(path).indices()
    return files.SweepFile(path).tidy()


def dataset(path):
    """The netCDF export as an xarray Dataset."""
    import xarray as xr
    kind = files.kind_of(path)
    if kind == "run":
        from . import Run
        ds = Run(path).to_xarray()
        return ds
    if kind == "sensitivity":
        return xr.Dataset.from_dataframe(files.SensitivityFile(path).indices().rename_axis("row"))
    sweep = files.SweepFile(path)
    tidy = sweep.tidy()
    runs = sweep.tidy_runs().set_index("run_id")
    data = {}
    for m in sweep.metrics:
        wide = tidy.pivot(index="run_id", columns="step", values=m)
        data[m] = (("run", "step"), wide.to_numpy())
    wide = tidy.pivot(index="run_id", columns="step", values=sweep.metrics[0]) if sweep.metrics else None
    run_ids = wide.index.to_numpy() if wide is not None else runs.index.to_numpy()
    coords = {"run": run_ids, "step": wide.columns.to_numpy() if wide is not None else []}
    for c in runs.columns:
        values = runs.loc[run_ids, c]
        coords[c] = ("run", values.to_numpy() if values.dtype != object else values.astype(str).to_numpy())
    attrs = {k: v for k, v in sweep.meta.items() if isinstance(v, (str, int, float))}
    return xr.Dataset(data, coords=coords, attrs=attrs)


def export(path, fmt="csv", out=None):
    """Writes `path`'s table as CSV or netCDF to `out` (default: beside it, .csv or .nc); returns `out`."""
    if fmt not in ("csv", "netcdf"):
        raise ValueError(f"no export format '{fmt}' (formats: csv, netcdf)")
    out = os.fspath(out) if out else default_out(path, fmt)
    if fmt == "csv":
        table(path).to_csv(out, index=False)
    else:
        dataset(path).to_netcdf(out)
    return out
