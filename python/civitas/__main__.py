"""`python3 -m civitas export FILE --format csv|netcdf [--out PATH]`: a run's series, or a comparison's,
sweep's or sensitivity study's table, as CSV or netCDF (civitas/export.py)."""
import argparse
import sys

from . import export as _export


def main(argv=None):
    """The command line: `export` (the only command)."""
    parser = argparse.ArgumentParser(prog="python3 -m civitas", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    ex = commands.add_parser("export", help="export a run's series or a study's table as CSV or netCDF")
    ex.add_argument("file", help="a Civitas HDF5 file (run, comparison, sweep or sensitivity; .partial too)")
    ex.add_argument("--format", choices=["csv", "netcdf"], default="csv", help="output format (default csv)")
    ex.add_argument("--out", help="output path (default: FILE with .csv or .nc)")
    args = parser.parse_args(argv)
    # Exit codes as the civitas command's: 2 bad input, 3 a file that cannot be read.
    try:
        out = _export.export(args.file, args.format, args.out)
    except OSError as e:
        print(f"error: {args.file}: {e}", file=sys.stderr)
        return 3
    except (ValueError, KeyError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
