"""Runs the reference `analyze_single_file` of a copy of RationaleRM's metajudge_analysis.py
on one judged file and prints its figures as JSON (for tests/bench_speed.sh).

    python bench_reference.py path/to/metajudge_analysis.py FILE MODEL

The published script does not compile as a whole (an indentation error in
`analyze_directory`), so only its text before that function is run: the helpers and
`analyze_single_file`, unchanged. Nothing of the script is kept in this repository.
"""
import json
import sys

script, path, model = sys.argv[1:4]
source = open(script, encoding="utf-8").read()
cut = source.find("def analyze_directory")
namespace = {"__name__": "metajudge_analysis"}
exec(compile(source[:cut] if cut >= 0 else source, script, "exec"), namespace)
figures = namespace["analyze_single_file"](path, model)
print(json.dumps({k: v if isinstance(v, str) else float(v) for k, v in figures.items()}))
