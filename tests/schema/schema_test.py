#!/usr/bin/env python3
"""Keeps schemas/geosim-scenario-v1.schema.json in sync with the loader.

For every section of the format the schema describes with a closed set of keys, this
test (1) writes one scenario using every key the schema lists and checks that
`geosim validate` accepts it, and (2) adds a made-up key to that section and checks
that geosim refuses it with "unknown key", and that the keys geosim then lists as
expected are exactly the schema's. Enumerations (rule, outcome kinds, removable
sections) and patterns (scenario id, names) are checked the same way, both directions.
Usage: schema_test.py GEOSIM SCHEMA. Scenarios are written as JSON, which is YAML."""

import copy
import json
import os
import re
import subprocess
import sys
import tempfile

GEOSIM, SCHEMA_PATH = sys.argv[1], sys.argv[2]
SCHEMA = json.load(open(SCHEMA_PATH, encoding="utf-8"))
DEFS = SCHEMA["definitions"]
MADE_UP = "zz_made_up_key"
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg)


def keys_of(d):
    """The closed key set of a schema object (following $ref and anyOf)."""
    if "$ref" in d:
        return keys_of(DEFS[d["$ref"].split("/")[-1]])
    if d.get("additionalProperties") is False:
        return set(d["properties"])
    for alt in d.get("anyOf", []):
        k = keys_of(alt)
        if k:
            return k
    return set()


# A scenario using every key of every closed section; `base.json` is what it extends.
BASE = {"geosim": 1, "scenario": {"id": "base", "steps": 4},
        "parameters": {"dropped": 1}, "world": {"w": 0}}
FULL = {
    "geosim": 1,
    "extends": "base.json",
    "remove": ["parameters.dropped"],
    "scenario": {"id": "schema-full", "title": "All keys", "description": "Every key once.",
                 "steps": 5, "step": "day", "replicates": 20, "seed": 3, "sources": ["none"]},
    "parameters": {"p": {"value": 0.5, "min": 0, "max": 1, "doc": "a parameter",
                         "basis": "fitted", "from": "a fit"}, "q": 2},
    "world": {"x": {"init": "p", "min": 0, "max": 10, "doc": "a variable",
                    "basis": "judgement", "from": "why"}, "y": 1, "z": 0},
    "actors": {
        "a": {"name": "Actor A", "groups": ["g"], "state": {"v": {"init": 0, "min": 0, "max": 100, "doc": "v",
                                                "basis": "sourced", "from": "S01"}}},
        "c": {},
        "b": {"name": "Actor B", "groups": ["g"], "state": {"v": 1}},
    },
    "relations": {"rel": {"default": 0.1, "a": {"b": 0.5}}, "rel2": {}},
    "decisions": {
        "d_actor": {"actor": "a", "when": "t >= 0", "rule": "logit", "rationality": 2,
                    "options": {"up": {"utility": "world.x", "effects": ["self.v += 1"]},
                                "stay": {"utility": 0.3}}},
        "d_group": {"group": "g", "rule": "sample",
                    "options": {"one": {"weight": 1, "effects": "self.v += 0"},
                                "two": {"weight": "p"}}},
        "d_argmax": {"actor": "b", "rule": "argmax", "options": {"only": {"utility": 1}}},
    },
    "events": {"e": {"at": [0, 2], "when": "world.x < 5", "probability": "0.5", "once": True,
                     "effects": ["world.x += 1"]},
               "e2": {"effects": "world.y += 0"}},
    "dynamics": ["world.y = world.y * 0.5", {"group": "g", "do": ["self.v = self.v + 0"]}],
    "outcomes": {"final": "world.x", "hi": {"max": "world.x"}, "lo": {"min": "world.x"},
                 "avg": {"mean": "world.x"}, "when_big": {"first": "world.x > 1"},
                 "kind": {"cases": {"big": "world.x > 2", "other": "true"}},
                 "cond": {"value": "world.x", "given": "world.y > 0"}},
    "track": ["world.x", "sum(g.v)"],
    "stop_when": "world.x > 9",
    "bargaining": {"issues": {
        "dimensions": ["d1", "d2"],
        "model": {"VictoryProbModel": "Square"},
        "actors": {"a": {"capability": "1 + self.v", "position": [0.2, "uniform(0.1, 0.3)"],
                         "salience": [0.5, 0.3]},
                   "b": {"capability": 2, "position": [0.8, 0.6], "salience": [0.4, "p / 2"]}}}},
    "storyline": {"events": ["e"], "decisions": {"d_actor": ["up"], "d_group": None},
                  "steps": True, "max_length": 4, "max_paths": 10},
}

# Where each closed section sits in FULL, and how geosim names it in "unknown key" messages.
SECTIONS = [
    ("top level", None, [], "at the top level"),
    ("scenario", "scenario", ["scenario"], "in scenario"),
    ("parameter", "parameter", ["parameters", "p"], "in parameter 'p'"),
    ("world variable", "variable", ["world", "x"], "in variable 'world.x'"),
    ("actor variable", "variable", ["actors", "a", "state", "v"], "in variable 'a.v'"),
    ("actor", "actor", ["actors", "a"], "in actor 'a'"),
    ("decision", "decision", ["decisions", "d_actor"], "in decision 'd_actor'"),
    ("option", "option", ["decisions", "d_actor", "options", "up"],
     "in option 'up' of decision 'd_actor'"),
    ("event", "event", ["events", "e"], "in event 'e'"),
    ("dynamics group", "dynamicsGroup", ["dynamics", 1], "in dynamics[1]"),
    ("outcome", "outcome", ["outcomes", "hi"], "in outcome 'hi'"),
    ("issue set", "bargainingSet", ["bargaining", "issues"], "in bargaining 'issues'"),
    ("bargaining actor", "bargainingActor", ["bargaining", "issues", "actors", "a"],
     "in actor 'a' of bargaining 'issues'"),
    ("storyline", "storyline", ["storyline"], "in storyline"),
]


def at(doc, path):
    for p in path:
        doc = doc[p]
    return doc


def validate(doc, name="s.json"):
    """Runs geosim validate --format json; returns (exit code, [messages])."""
    with tempfile.TemporaryDirectory(prefix="geosim-schema-") as d:
        with open(os.path.join(d, "base.json"), "w") as f:
            json.dump(BASE, f)
        path = os.path.join(d, name)
        with open(path, "w") as f:
            json.dump(doc, f, indent=1)
        p = subprocess.run([GEOSIM, "validate", "--format", "json", path], capture_output=True,
                           text=True, timeout=60)
    try:
        out = json.loads(p.stdout)
        msgs = [e["message"] for r in out for e in r["errors"]]
    except (ValueError, KeyError, TypeError):
        msgs = ["unparseable output: " + p.stdout + p.stderr]
    return p.returncode, msgs


def expected_list(msg):
    m = re.search(r"expected one of (.*)$", msg)
    return set(re.findall(r"'([^']*)'", m.group(1))) if m else None


# 1. The full scenario uses every schema key, and geosim accepts it.
code, msgs = validate(FULL)
if code != 0:
    fail(f"the scenario using every schema key is refused: {msgs}")
for label, defname, path, where in SECTIONS:
    schema_keys = set(SCHEMA["properties"]) if defname is None else keys_of(DEFS[defname])
    if not schema_keys:
        fail(f"schema section {label}: no closed key set found")
        continue
    node = at(FULL, path)
    used = set(node)
    if label == "outcome":  # one kind per outcome: collect over all outcomes
        used = set().union(*(o.keys() for o in FULL["outcomes"].values() if isinstance(o, dict)))
    if label == "option":
        used = set().union(*(set(o) for d in FULL["decisions"].values()
                             for o in d["options"].values()))
    if label == "decision":
        used = set().union(*(set(d) for d in FULL["decisions"].values()))
    if used != schema_keys:
        fail(f"{label}: the test scenario uses {sorted(used)}, the schema lists "
             f"{sorted(schema_keys)}; extend FULL in schema_test.py")

    # 2. A made-up key is refused, and geosim's list of keys is the schema's.
    doc = copy.deepcopy(FULL)
    at(doc, path)[MADE_UP] = 1
    code, msgs = validate(doc)
    hits = [m for m in msgs if f"unknown key '{MADE_UP}' {where}" in m]
    if code != 2 or not hits:
        fail(f"{label}: made-up key not refused with \"unknown key '{MADE_UP}' {where}\": {msgs}")
        continue
    loader_keys = expected_list(hits[0])
    if loader_keys is None:
        fail(f"{label}: no 'expected one of' list in {hits[0]!r}")
    elif loader_keys != schema_keys:
        fail(f"{label}: geosim accepts {sorted(loader_keys)}, the schema lists "
             f"{sorted(schema_keys)}")
    else:
        print(f"ok: {label}: {len(schema_keys)} keys agree")

# 3. Enumerations, in both directions.
rules = DEFS["decision"]["properties"]["rule"]["enum"]
for r in rules:
    doc = copy.deepcopy(FULL)
    d = doc["decisions"]["d_argmax"]
    d["rule"] = r
    if r == "logit":
        d["rationality"] = 1
    if r == "sample":
        d["options"]["only"] = {"weight": 1}
    code, msgs = validate(doc)
    if code != 0:
        fail(f"rule {r!r} from the schema is refused: {msgs}")
doc = copy.deepcopy(FULL)
doc["decisions"]["d_argmax"]["rule"] = "zz_rule"
code, msgs = validate(doc)
m = [x for x in msgs if "unknown rule 'zz_rule'" in x]
loader_rules = set(re.findall(r"'(\w+)'", m[0].split("expected", 1)[1])) if m else set()
if loader_rules != set(rules):
    fail(f"rules: geosim lists {sorted(loader_rules)}, the schema {sorted(rules)}: {msgs}")
else:
    print(f"ok: rule enum {sorted(rules)} agrees")

# Bargaining model parameters: each schema key with each of its values is accepted; a
# made-up key lists KTAB's names, which must be the schema's (it also lists the
# command-line spellings, with dashes); a made-up value lists the schema's enum.
model_props = DEFS["bargainingModel"]["properties"]
for key, prop in model_props.items():
    for value in prop["enum"]:
        doc = copy.deepcopy(FULL)
        doc["bargaining"]["issues"]["model"] = {key: value}
        code, msgs = validate(doc)
        if code != 0:
            fail(f"bargaining model {key}: {value} (in the schema) is refused: {msgs}")
    doc = copy.deepcopy(FULL)
    doc["bargaining"]["issues"]["model"] = {key: "ZzValue"}
    code, msgs = validate(doc)
    m = [x for x in msgs if "'ZzValue'" in x and "expected" in x]
    listed = set(re.findall(r"'([^']*)'", m[0].split("expected", 1)[1])) if m else None
    if listed != set(prop["enum"]):
        fail(f"bargaining model {key}: geosim lists {listed}, the schema {prop['enum']}: {msgs}")
doc = copy.deepcopy(FULL)
doc["bargaining"]["issues"]["model"] = {MADE_UP: "Linear"}
code, msgs = validate(doc)
m = [x for x in msgs if f"unknown model parameter '{MADE_UP}'" in x]
ktab_names = {k for k in model_props if "-" not in k}
if not m or expected_list(m[0]) != ktab_names:
    fail(f"bargaining model: geosim lists {expected_list(m[0]) if m else None}, the schema "
         f"{sorted(ktab_names)}: {msgs}")
else:
    print(f"ok: bargaining model: {len(ktab_names)} parameters and their values agree")

sections = re.match(r"\^\((.*)\)", SCHEMA["properties"]["remove"]["items"]["pattern"]).group(1)
for sec in sections.split("|"):
    # Entries nothing else refers to, so that removing them leaves a valid scenario.
    name = {"parameters": "q", "world": "z", "actors": "c", "relations": "rel2", "decisions":
            "d_argmax", "events": "e2", "outcomes": "final", "bargaining": "issues"}.get(sec)
    doc = copy.deepcopy(FULL)
    doc["remove"] = [f"{sec}.{name}"]
    code, msgs = validate(doc)
    if code != 0 or msgs:
        fail(f"remove: {sec}.{name} (allowed by the schema) is refused: {msgs}")
doc = copy.deepcopy(FULL)
doc["remove"] = ["zz_section.x"]
code, msgs = validate(doc)
m = [x for x in msgs if "unknown section 'zz_section'" in x]
loader_sections = expected_list(m[0]) if m else None
if loader_sections != set(sections.split("|")):
    fail(f"remove: geosim's sections {loader_sections}, the schema's {sections.split('|')}: {msgs}")
else:
    print(f"ok: remove sections agree")

# 4. Patterns: scenario ids and names, as the schema's regular expressions decide.
id_re = re.compile(DEFS["scenario"]["properties"]["id"]["pattern"])
for sid in ["kz-2022_a", "abc", "Caps", "has space", "dot.ted", "ü"]:
    doc = copy.deepcopy(FULL)
    doc["scenario"]["id"] = sid
    code, _ = validate(doc)
    if (code == 0) != bool(id_re.search(sid)):
        fail(f"scenario.id {sid!r}: geosim exit {code}, schema pattern says "
             f"{'valid' if id_re.search(sid) else 'invalid'}")
name_re = re.compile(DEFS["name"]["pattern"])
reserved = set(DEFS["name"]["not"]["enum"])
for n in ["ok_name", "_x1", "X", "1x", "with-dash", "t", "normal", "self", "dotted.name"]:
    doc = copy.deepcopy(FULL)
    doc["parameters"][n] = 1
    code, _ = validate(doc)
    schema_ok = bool(name_re.search(n)) and n not in reserved
    if (code == 0) != schema_ok:
        fail(f"parameter name {n!r}: geosim exit {code}, schema says "
             f"{'valid' if schema_ok else 'invalid'}")

if failures:
    sys.exit(f"{len(failures)} disagreement(s) between the schema and the loader")
print("schema and loader agree")
