"""The QGIS plugin, headless: a QgsApplication on the offscreen platform with Processing
initialised and the provider registered; every algorithm run on the example county, its
outputs asserted, the findings rendered over the units to a PNG.

Run by ctest (tests/CMakeLists.txt) with Debian's python3-qgis:
    GEOADMIN_PROGRAM=build/tools/geoadmin GEOADMIN_QGIS_PLUGIN=build/qgis-plugin \
    QT_QPA_PLATFORM=offscreen /usr/bin/python3 -m unittest tests/qgis/test_plugin.py
GEOADMIN_SCREENSHOT=FILE.png also keeps the rendered map (plugins/qgis/screenshot.png).
"""
import os
import shutil
import sys
import tempfile
import unittest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (QgsApplication, QgsCategorizedSymbolRenderer,  # noqa: E402
                       QgsCoordinateReferenceSystem, QgsFeatureRequest, QgsGeometry,
                       QgsMapRendererParallelJob, QgsMapSettings, QgsProcessingException,
                       QgsProcessingFeatureSourceDefinition, QgsProcessingFeedback,
                       QgsProject, QgsRectangle, QgsVectorLayer)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402

APP = QgsApplication([], False)
APP.initQgis()
sys.path.append("/usr/share/qgis/python/plugins")
from processing.core.Processing import Processing  # noqa: E402

Processing.initialize()
import processing  # noqa: E402

SOURCE = os.environ.get("GEOADMIN_SOURCE_DIR",
                        os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
EXAMPLE = os.path.join(SOURCE, "examples", "anji")
sys.path.insert(0, os.environ["GEOADMIN_QGIS_PLUGIN"])
import geoadmin  # noqa: E402

PLUGIN = geoadmin.classFactory(None)
PLUGIN.initProcessing()

ALGORITHMS = {"names_check", "names_romanize", "markers_check", "boundaries_check", "info",
              "inspect", "inspect_status", "import"}


def example(*parts):
    return os.path.join(EXAMPLE, *parts)


class Feedback(QgsProcessingFeedback):
    """Keeps what an algorithm reports; cancels when told to."""

    def __init__(self, cancel_at=None):
        super().__init__()
        self.progress = []
        self.infos = []
        self.cancel_at = cancel_at
        self.progressChanged.connect(self._progress)

    def _progress(self, value):
        self.progress.append(value)

    def pushInfo(self, info):  # noqa: N802 (Qt's name)
        self.infos.append(info)
        super().pushInfo(info)

    def pushCommandInfo(self, info):  # noqa: N802
        self.infos.append(info)
        if self.cancel_at == "start":
            self.cancel()
        super().pushCommandInfo(info)


def run(name, parameters, feedback=None):
    return processing.run("geoadmin:" + name, parameters, feedback=feedback or Feedback())


def layer_count(path, name):
    layer = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
    return layer.featureCount() if layer.isValid() else 0


def rules_in(path, name):
    layer = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
    return [f["rule"] for f in layer.getFeatures()] if layer.isValid() else []


class PluginTest(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="geoadmin-qgis-")
        QgsProject.instance().clear()

    def tearDown(self):
        if not os.environ.get("GEOADMIN_KEEP_TEST_FILES"):
            shutil.rmtree(self.dir, ignore_errors=True)

    def path(self, name):
        return os.path.join(self.dir, name)

    def test_the_provider_lists_every_algorithm(self):
        provider = QgsApplication.processingRegistry().providerById("geoadmin")
        self.assertIsNotNone(provider)
        self.assertEqual({a.name() for a in provider.algorithms()}, ALGORITHMS)
        for a in provider.algorithms():
            self.assertTrue(a.displayName())
            self.assertIn("geoadmin", a.shortHelpString())  # the command's own --help

    def test_boundaries_check_on_an_edited_memory_layer_shows_styled_findings(self):
        # The townships, one moved 400 m east in memory: an overlap and a gap, as polygons.
        units = QgsVectorLayer(example("townships.shp"), "乡镇", "ogr")
        self.assertTrue(units.isValid())
        units.setProviderEncoding("GB18030")  # the shapefile has no .cpg: as a user sets it
        edited = units.materialize(QgsFeatureRequest())
        edited.startEditing()
        moved = next(edited.getFeatures())
        geometry = QgsGeometry(moved.geometry())
        geometry.translate(400, 0)
        edited.changeGeometry(moved.id(), geometry)
        edited.commitChanges()
        QgsProject.instance().addMapLayer(edited)
        findings = self.path("findings.gpkg")
        feedback = Feedback()
        result = run("boundaries_check", {"UNITS": edited, "FINDINGS": findings,
                                          "GAP_WIDTH": 10, "GAP_AREA": 10000}, feedback)
        self.assertEqual(result["FINDINGS"], findings)
        self.assertGreater(result["ERRORS"], 0)
        polygons = rules_in(findings, "findings_polygon")
        self.assertIn("BOUNDARY-OVERLAP", polygons)
        self.assertTrue(any(r == "BOUNDARY-HOLE" or r.startswith("BOUNDARY-GAP") for r in polygons),
                        polygons)  # where the unit moved away
        self.assertIn(100, feedback.progress, "the program's progress reaches the feedback")
        # Loaded in a group named after the run, styled by severity, rule ids as labels.
        group = next(g for g in QgsProject.instance().layerTreeRoot().children()
                     if g.name().startswith("geoadmin "))
        layers = {node.layer().name(): node.layer() for node in group.findLayers()}
        polygon_layer = next(layer for layer in layers.values()
                             if "findings_polygon" in layer.source())
        renderer = polygon_layer.renderer()
        self.assertIsInstance(renderer, QgsCategorizedSymbolRenderer)
        self.assertEqual(renderer.classAttribute(), "severity")
        self.assertEqual({c.value() for c in renderer.categories()},
                         {"error", "warning", "info"})
        self.assertTrue(polygon_layer.labelsEnabled())
        self.assertEqual(polygon_layer.labeling().settings().fieldName, "rule")
        self.assertEqual(polygon_layer.featureCount(), len(polygons))
        # The units as a map shows them: a light fill, their names.
        from qgis.core import (QgsFillSymbol, QgsPalLayerSettings, QgsSingleSymbolRenderer,
                               QgsVectorLayerSimpleLabeling)
        edited.setRenderer(QgsSingleSymbolRenderer(QgsFillSymbol.createSimple(
            {"color": "#f3f1e7", "outline_color": "#78909c", "outline_width": "0.4"})))
        names = QgsPalLayerSettings()
        names.fieldName = "名称"
        edited.setLabeling(QgsVectorLayerSimpleLabeling(names))
        edited.setLabelsEnabled(True)
        self.render([polygon_layer, edited], "boundaries")

    def render(self, layers, name):
        """Renders `layers` (first on top) to a PNG; asserts it is not blank."""
        settings = QgsMapSettings()
        settings.setLayers(layers)
        settings.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4528"))
        extent = QgsRectangle()
        for layer in layers:
            e = settings.layerExtentToOutputExtent(layer, layer.extent())
            extent = e if extent.isEmpty() else extent
            extent.combineExtentWith(e)
        extent.scale(1.05)
        settings.setExtent(extent)
        settings.setOutputSize(QSize(900, 700))
        settings.setBackgroundColor(QColor("#ffffff"))
        job = QgsMapRendererParallelJob(settings)
        job.start()
        job.waitForFinished()
        image = job.renderedImage()
        path = self.path(name + ".png")
        self.assertTrue(image.save(path, "PNG"))
        colours = {image.pixel(x, y) for x in range(0, image.width(), 7)
                   for y in range(0, image.height(), 7)}
        self.assertGreater(len(colours), 3, "the map is not blank")
        red = QColor("#d32f2f")
        near_red = [c for c in colours
                    if abs(QColor(c).red() - red.red()) < 40 and QColor(c).green() < 120
                    and QColor(c).blue() < 120]
        self.assertTrue(near_red, "error findings drawn in their colour")
        if os.environ.get("GEOADMIN_SCREENSHOT"):
            shutil.copy(path, os.environ["GEOADMIN_SCREENSHOT"])
        return path

    def test_markers_check_gives_what_the_program_gives(self):
        findings = self.path("markers.gpkg")
        result = run("markers_check", {"REGISTER": example("markers.csv"),
                                       "LINES": example("boundary_lines.gpkg"),
                                       "SCHEME": 2, "FINDINGS": findings, "LOAD": False})
        import subprocess
        direct = subprocess.run(
            [os.environ["GEOADMIN_PROGRAM"], "markers", "check", example("markers.csv"),
             "--lines", example("boundary_lines.gpkg"), "--scheme", "township", "--format",
             "json", "--fail-on", "never", "-q"], capture_output=True, text=True)
        severities = [line for line in direct.stdout.splitlines() if line.startswith("{")]
        self.assertEqual(result["ERRORS"] + result["WARNINGS"] + result["INFOS"],
                         len(severities))
        self.assertEqual(len(QgsProject.instance().mapLayers()), 0, "LOAD false: nothing loaded")

    def test_names_check_and_selected_features_only(self):
        names = QgsVectorLayer(example("place_names.xlsx"), "地名", "ogr")
        self.assertTrue(names.isValid())
        QgsProject.instance().addMapLayer(names)
        whole = run("names_check", {"INPUT": names, "FINDINGS": self.path("all.gpkg"),
                                    "LOAD": False})
        self.assertGreater(whole["WARNINGS"] + whole["ERRORS"] + whole["INFOS"], 0)
        names.selectByIds(list(names.allFeatureIds())[:2])
        info = run("info", {"INPUT": QgsProcessingFeatureSourceDefinition(names.id(), True),
                            "FINDINGS": self.path("info.gpkg"), "LOAD": False})
        self.assertIn("2 features", info["REPORT"])
        # A filtered layer: its features only, through a temporary GeoPackage.
        names.removeSelection()
        self.assertTrue(names.setSubsetString("FID <= 5"))
        filtered = run("info", {"INPUT": names, "FINDINGS": self.path("f.gpkg"),
                                "LOAD": False})
        self.assertIn(f"{names.featureCount()} features", filtered["REPORT"])
        self.assertLess(names.featureCount(), 10)

    def test_romanize_adds_a_field_with_the_code_as_context(self):
        layer = QgsVectorLayer("None?field=名称:string&field=代码:string", "names", "memory")
        provider = layer.dataProvider()
        from qgis.core import QgsFeature
        rows = [("安吉县", "330523"), ("孝丰镇", "330523105"), ("", "330523"), ("兴安盟", "15")]
        for name, code in rows:
            f = QgsFeature(layer.fields())
            f.setAttributes([name, code])
            provider.addFeature(f)
        out = run("names_romanize", {"INPUT": layer, "FIELD": "名称", "CODE_FIELD": "代码",
                                     "OUTPUT": "memory:"})["OUTPUT"]
        values = [f["romanization"] for f in out.getFeatures()]
        self.assertEqual(values[0], "Anji Xian")
        self.assertEqual(values[1], "Xiaofeng Zhen")
        self.assertIn(values[2], (None, ""))  # no name, no spelling; the row is kept
        self.assertTrue(values[3].startswith("Hinggan"), values[3])  # 兴安 in Inner Mongolia

    def test_inspect_writes_the_report_and_finds_the_moved_stretch(self):
        report = self.path("联检报告.html")
        result = run("inspect", {
            "OBSERVATIONS": example("inspection", "observations.gpkg"),
            "REGISTER": example("markers.csv"), "LINES": example("boundary_lines.gpkg"),
            "UNITS": example("townships.shp"),
            "RESURVEY": example("inspection", "resurvey.gpkg"), "SCHEME": 2,
            "REPORT": report, "OPEN_REPORT": False, "FINDINGS": self.path("inspect.gpkg")})
        self.assertTrue(os.path.exists(report))
        with open(report, encoding="utf-8") as f:
            self.assertIn("联检双方签字", f.read())
        lines = rules_in(result["FINDINGS"], "findings_line")
        self.assertIn("INSPECT-LINE-MOVED", lines)
        self.assertIn("INSPECT-MARKER-DISPLACED", lines)
        points = rules_in(result["FINDINGS"], "findings_point")
        self.assertIn("INSPECT-MARKER-LOST", points)

    def test_import_inspect_record_and_status_from_the_archive(self):
        db = self.path("anji.sqlite")
        first = run("import", {"FOLDER": example("archive"), "DB": db, "SCHEME": 2,
                               "OPERATOR": "王芳", "FINDINGS": self.path("import.gpkg"),
                               "LOAD": False})
        self.assertGreater(first["NEW"], 200)
        self.assertTrue(first["BATCH"])
        again = run("import", {"FOLDER": example("archive"), "DB": db, "SCHEME": 2,
                               "FINDINGS": self.path("again.gpkg"), "LOAD": False})
        self.assertEqual(again["NEW"], 0)
        run("inspect", {"OBSERVATIONS": example("inspection", "observations.gpkg"),
                        "DB": db, "SCHEME": 2, "RECORD": True, "OPERATOR": "王芳",
                        "REPORT": self.path("r.html"), "OPEN_REPORT": False,
                        "FINDINGS": self.path("inspect.gpkg"), "LOAD": False})
        status = self.path("status.gpkg")
        result = run("inspect_status", {"DB": db, "AS_OF": "2031-12-31", "STATUS": status,
                                        "OVERVIEW": self.path("status.html")})
        self.assertEqual(result["OVERDUE"], 3)
        self.assertEqual(result["NEVER"], 26)
        self.assertTrue(os.path.exists(self.path("status.html")))
        layers = list(QgsProject.instance().mapLayers().values())
        self.assertEqual(len(layers), 1)
        self.assertEqual(layers[0].featureCount(), 29)
        self.assertEqual(layers[0].renderer().classAttribute(), "状况")

    @unittest.skipUnless(os.environ.get("GEOADMIN_TEST_PG_DIR"),
                         "needs the tests' PostGIS server (ctest's postgis fixture)")
    def test_a_postgis_layer_is_read_through_its_connection(self):
        import subprocess
        pg_dir = os.environ["GEOADMIN_TEST_PG_DIR"]
        script = os.path.join(SOURCE, "tests", "support", "pg_server.sh")
        created = subprocess.run(["bash", script, "createdb", pg_dir, "geoadmin_qgis"],
                                 capture_output=True, text=True)
        self.assertEqual(created.returncode, 0, created.stderr)
        connection = created.stdout.strip().splitlines()[-1]
        from osgeo import gdal
        gdal.UseExceptions()
        gdal.VectorTranslate(connection, example("boundary_lines.gpkg"), format="PostgreSQL",
                             layerName="lines", layerCreationOptions=["GEOMETRY_NAME=geom"])
        from qgis.core import QgsDataSourceUri
        uri = QgsDataSourceUri()
        uri.setConnection(pg_dir, "5433", "geoadmin_qgis", "geoadmin", "")
        uri.setDataSource("public", "lines", "geom")
        layer = QgsVectorLayer(uri.uri(False), "界线", "postgres")
        self.assertTrue(layer.isValid())
        self.assertEqual(layer.featureCount(), 29)
        feedback = Feedback()
        result = run("info", {"INPUT": layer, "FINDINGS": self.path("pg.gpkg"), "LOAD": False},
                     feedback)
        self.assertIn("29 features", result["REPORT"])
        command = next(i for i in feedback.infos if "geoadmin" in i and " info " in i)
        self.assertIn("PG:", command, "the connection, not a copy")
        self.assertIn("tables=public.lines", command)

    def test_a_missing_program_is_said_clearly(self):
        saved = os.environ["GEOADMIN_PROGRAM"]
        os.environ["GEOADMIN_PROGRAM"] = self.path("no-such-program")
        try:
            with self.assertRaises(QgsProcessingException) as raised:
                run("info", {"INPUT": example("townships.shp"),
                             "FINDINGS": self.path("f.gpkg"), "LOAD": False})
            self.assertIn("not an executable file", str(raised.exception))
        finally:
            os.environ["GEOADMIN_PROGRAM"] = saved

    def test_cancel_ends_the_program(self):
        with self.assertRaises(QgsProcessingException) as raised:
            run("import", {"FOLDER": example("archive"), "DB": self.path("c.sqlite"),
                           "SCHEME": 2, "FINDINGS": self.path("c.gpkg"), "LOAD": False},
                Feedback(cancel_at="start"))
        self.assertIn("Canceled", str(raised.exception))

    def test_a_usage_error_gives_the_programs_message(self):
        with self.assertRaises(QgsProcessingException) as raised:
            run("markers_check", {"REGISTER": example("markers.csv"), "PATTERN": "(unclosed",
                                  "FINDINGS": self.path("f.gpkg"), "LOAD": False})
        self.assertIn("exit code 2", str(raised.exception))

    def test_translations_load_for_chinese(self):
        from qgis.PyQt.QtCore import QCoreApplication, QTranslator
        translator = QTranslator()
        self.assertTrue(translator.load(os.path.join(os.environ["GEOADMIN_QGIS_PLUGIN"],
                                                     "geoadmin", "i18n", "geoadmin_zh_CN.qm")))
        QCoreApplication.installTranslator(translator)
        try:
            alg = QgsApplication.processingRegistry().createAlgorithmById(
                "geoadmin:boundaries_check")
            self.assertEqual(alg.displayName(), "行政区域面检查")
        finally:
            QCoreApplication.removeTranslator(translator)


if __name__ == "__main__":
    # Run as a script (ctest does): the result is the exit code, and the process ends
    # without Python's own teardown, which destroys Qt objects in an order QGIS does not
    # expect and crashed after every test had passed (once in a busy CI run).
    RESULT = unittest.main(exit=False, verbosity=2).result
    QgsProject.instance().removeAllMapLayers()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0 if RESULT.wasSuccessful() else 1)
