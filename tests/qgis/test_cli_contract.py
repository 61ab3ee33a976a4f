"""The command-line contract the QGIS plugin relies on (data-schemas/finding.schema.json):
every JSON line each command writes with --format json, and every progress line of
--progress-json, is valid against the schema; exit codes are the documented ones.

    GEOADMIN_PROGRAM=build/tools/geoadmin /usr/bin/python3 -m unittest tests/qgis/test_cli_contract.py
"""
import json
import os
import shutil
import subprocess
import tempfile
import unittest

import jsonschema

SOURCE = os.environ.get("GEOADMIN_SOURCE_DIR",
                        os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
EXAMPLE = os.path.join(SOURCE, "examples", "anji")
PROGRAM = os.environ["GEOADMIN_PROGRAM"]
with open(os.path.join(SOURCE, "data-schemas", "finding.schema.json"), encoding="utf-8") as f:
    SCHEMA = json.load(f)
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def example(*parts):
    return os.path.join(EXAMPLE, *parts)


def geoadmin(*args, stdin=None):
    return subprocess.run([PROGRAM] + list(args), capture_output=True, text=True, input=stdin)


class ContractTest(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="geoadmin-contract-")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def valid_lines(self, text, expect):
        """Every line of `text` is a JSON value valid against the schema, of `expect`."""
        lines = [line for line in text.splitlines() if line.strip()]
        self.assertTrue(lines, "some output")
        kinds = set()
        for line in lines:
            value = json.loads(line)
            errors = list(VALIDATOR.iter_errors(value))
            self.assertEqual(errors, [], line)
            kinds.add("progress" if "progress" in value else "summary" if "summary" in value
                      else "finding" if "rule" in value else "romanization")
        self.assertIn(expect, kinds)
        return lines

    def test_the_checks_write_findings_and_progress_as_the_schema_says(self):
        runs = [
            ["names", "check", example("place_names.xlsx")],
            ["markers", "check", example("markers.csv"), "--lines",
             example("boundary_lines.gpkg"), "--scheme", "township"],
            ["boundaries", "check", example("townships.shp"), "--parent",
             example("county.gpkg"), "--lines", example("boundary_lines.gpkg")],
            ["inspect", "--register", example("markers.csv"), "--lines",
             example("boundary_lines.gpkg"), "--observations",
             example("inspection", "observations.gpkg"), "--resurvey",
             example("inspection", "resurvey.gpkg"), "--scheme", "township"],
        ]
        for args in runs:
            r = geoadmin(*args, "--format", "json", "--fail-on", "never", "--progress-json")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.valid_lines(r.stdout, "finding")
            progress = [line for line in r.stderr.splitlines() if line.startswith("{")]
            if args[0] != "inspect":
                self.assertTrue(progress, args)
                self.valid_lines("\n".join(progress), "progress")

    def test_import_ends_with_its_summary_and_status_writes_findings(self):
        db = os.path.join(self.dir, "a.sqlite")
        self.assertEqual(geoadmin("db", "init", "--db", db).returncode, 0)
        r = geoadmin("import", example("archive"), "--db", db, "--scheme", "township",
                     "--format", "json", "--fail-on", "never")
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = self.valid_lines(r.stdout, "summary")
        self.assertIn("summary", json.loads(lines[-1]), "the summary is the last line")
        r = geoadmin("inspect", "status", "--db", db, "--format", "json", "--as-of",
                     "2031-12-31")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.valid_lines(r.stdout, "finding")

    def test_info_and_romanize(self):
        r = geoadmin("info", example("townships.shp"), "--format", "json")
        self.assertEqual(r.returncode, 0, r.stderr)
        document = json.loads(r.stdout)
        self.assertEqual(list(VALIDATOR.iter_errors(document)), [])
        self.assertTrue(document["findings"])
        r = geoadmin("names", "romanize", "--format", "json", stdin="330523\t安吉县\n孝丰镇\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(self.valid_lines(r.stdout, "romanization")), 2)

    def test_exit_codes(self):
        self.assertEqual(geoadmin("markers", "check", example("markers.csv"), "--scheme",
                                  "(unclosed").returncode, 2)
        self.assertEqual(geoadmin("info", os.path.join(self.dir, "missing.gpkg")).returncode, 3)
        self.assertEqual(geoadmin("boundaries", "check", example("townships.shp"), "--parent",
                                  example("county.gpkg"), "--lines",
                                  example("boundary_lines.gpkg"), "-q").returncode, 0)

    def test_the_findings_geopackage_has_the_documented_layers(self):
        out = os.path.join(self.dir, "f.gpkg")
        r = geoadmin("inspect", "--register", example("markers.csv"), "--lines",
                     example("boundary_lines.gpkg"), "--observations",
                     example("inspection", "observations.gpkg"), "--scheme", "township",
                     "--fail-on", "never", "-q", "-o", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        from osgeo import ogr
        ds = ogr.Open(out)
        names = {ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount())}
        self.assertLessEqual(names, {"findings", "findings_point", "findings_line",
                                     "findings_polygon"})
        self.assertIn("findings_point", names)
        layer = ds.GetLayerByName("findings_point")
        fields = {layer.GetLayerDefn().GetFieldDefn(i).GetName()
                  for i in range(layer.GetLayerDefn().GetFieldCount())}
        self.assertLessEqual({"rule", "severity", "message_zh", "message_en", "key"}, fields)
        self.assertEqual(layer.GetSpatialRef().GetAuthorityCode(None), "4490")


if __name__ == "__main__":
    unittest.main()
