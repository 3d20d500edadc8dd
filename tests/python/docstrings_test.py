"""Every public function, class and method of the package civitas has a docstring."""
import inspect
import sys

import civitas
import civitas.__main__
import civitas.export
import civitas.files
from support import Checks


def docstrings(c):
    modules = [civitas, civitas.files, civitas.export, civitas.errors, civitas.__main__]
    for module in modules:
        c.check(bool(module.__doc__), f"module {module.__name__} has a docstring")
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            if inspect.isfunction(obj) or inspect.isclass(obj):
                c.check(bool(obj.__doc__), f"{module.__name__}.{name} has a docstring")
            if inspect.isclass(obj):
                for attr, member in vars(obj).items():
                    if attr.startswith("_"):
                        continue
                    if inspect.isfunction(member) or isinstance(member, property):
                        c.check(bool(member.__doc__), f"{module.__name__}.{name}.{attr} has a docstring")
    for name in civitas.__all__:
        c.check(hasattr(civitas, name), f"civitas.{name} exists")
    engine = civitas._engine
    for name in ("run", "compare", "sweep", "sensitivity", "experiment", "verify", "params"):
        c.check(bool(getattr(engine, name).__doc__), f"_civitas.{name} has a docstring")


if __name__ == "__main__":
    sys.exit(Checks().run(docstrings))
