"""The Processing algorithms: one per geoadmin command. Each runs the program on the
layers' sources (sources.py) and relies only on its contract (data-schemas/
finding.schema.json): JSON lines, exit codes, output files."""
import os
import time

from qgis.core import (QgsFeature, QgsFeatureSink, QgsField, QgsFields, QgsProcessing,
                       QgsProcessingAlgorithm, QgsProcessingException,
                       QgsProcessingOutputNumber, QgsProcessingOutputString,
                       QgsProcessingParameterBoolean, QgsProcessingParameterEnum,
                       QgsProcessingParameterFeatureSink, QgsProcessingParameterFeatureSource,
                       QgsProcessingParameterField, QgsProcessingParameterFile,
                       QgsProcessingParameterFileDestination,
                       QgsProcessingParameterMultipleLayers, QgsProcessingParameterNumber,
                       QgsProcessingParameterString)
from qgis.PyQt.QtCore import QCoreApplication, QVariant
from qgis.PyQt.QtGui import QIcon

from . import results, runner, sources

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMES = ["provincial", "county", "township"]
CATEGORIES = ["", "province", "prefecture", "county", "township", "village", "settlement",
              "street", "residential", "building", "bridge", "river", "lake", "mountain"]


def tr(text):
    return QCoreApplication.translate("geoadmin", text)


class GeoadminAlgorithm(QgsProcessingAlgorithm):
    """What every algorithm shares: the command, its help, the findings output and
    loading the results into the project after the run."""

    COMMAND = []
    NAME = ""
    DISPLAY = ""
    GROUP = "checks"
    SUMMARY = ""

    def __init__(self):
        super().__init__()
        self._to_load = []
        self._help = None

    def tr(self, text):
        return tr(text)

    def createInstance(self):
        return type(self)()

    def name(self):
        return self.NAME

    def displayName(self):
        return self.tr(self.DISPLAY)

    def group(self):
        return {"checks": self.tr("Checks"), "names": self.tr("Place names"),
                "inspection": self.tr("Joint inspection"),
                "archive": self.tr("Archive")}[self.GROUP]

    def groupId(self):
        return self.GROUP

    def icon(self):
        return QIcon(os.path.join(HERE, "icon.svg"))

    def shortHelpString(self):
        if self._help is None:
            text = runner.command_help(self.COMMAND)
            self._help = self.tr(self.SUMMARY)
            if text:
                escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                self._help += "<br><br><b>geoadmin " + " ".join(self.COMMAND) + \
                    "</b><pre>" + escaped + "</pre>"
        return self._help

    # -- shared parameters

    def add_findings(self):
        self.addParameter(QgsProcessingParameterFileDestination(
            "FINDINGS", self.tr("Findings"), self.tr("GeoPackage (*.gpkg)")))
        self.addParameter(QgsProcessingParameterBoolean(
            "LOAD", self.tr("Load the findings into the project (styled, in a group)"), True))
        for key, text in (("ERRORS", self.tr("Errors")), ("WARNINGS", self.tr("Warnings")),
                          ("INFOS", self.tr("Info"))):
            self.addOutput(QgsProcessingOutputNumber(key, text))

    def add_reading_options(self):
        self.addParameter(QgsProcessingParameterString(
            "ENCODING", self.tr("Text encoding of the inputs (GBK, GB18030, UTF-8 ...; empty: "
                                "declared or detected)"), "", optional=True))
        self.addParameter(QgsProcessingParameterString(
            "ASSUME_CRS", self.tr("CRS of inputs that declare none (EPSG:4528, GCJ02 ...)"),
            "", optional=True))

    def reading_args(self, parameters, context):
        args = []
        for key, option in (("ENCODING", "--encoding"), ("ASSUME_CRS", "--assume-crs")):
            value = self.parameterAsString(parameters, key, context).strip()
            if value:
                args += [option, value]
        return args

    def run_findings(self, args, parameters, context, feedback):
        """Runs the command with `args`, the findings to the FINDINGS GeoPackage; the
        results and the program's result."""
        findings = self.parameterAsFileOutput(parameters, "FINDINGS", context)
        if os.path.exists(findings):
            os.remove(findings)
        result = runner.run(self.COMMAND + args + ["--format", "json", "--fail-on", "never",
                                                   "--lang", runner.language(), "-o", findings],
                            feedback)
        counts = result.counts()
        feedback.pushInfo(self.tr("Findings: {} errors, {} warnings, {} info").format(
            counts["error"], counts["warning"], counts["info"]))
        if self.parameterAsBool(parameters, "LOAD", context):
            self._to_load.append(("findings", findings, self.run_group()))
        return {"FINDINGS": findings, "ERRORS": counts["error"],
                "WARNINGS": counts["warning"], "INFOS": counts["info"]}, result

    def run_group(self):
        return "geoadmin " + self.displayName() + " " + time.strftime("%H:%M:%S")

    def postProcessAlgorithm(self, context, feedback):
        project = context.project()
        for kind, path, group, *rest in self._to_load:
            if kind == "findings":
                results.load_findings(path, group, project, feedback)
            else:
                results.load_styled(path, rest[0], rest[1], kind, group, project)
        self._to_load = []
        return {}

    def scheme_args(self, parameters, context):
        pattern = self.parameterAsString(parameters, "PATTERN", context).strip()
        if pattern:
            return ["--scheme", pattern]
        return ["--scheme", SCHEMES[self.parameterAsEnum(parameters, "SCHEME", context)]]

    def add_scheme(self, default=0):
        self.addParameter(QgsProcessingParameterEnum(
            "SCHEME", self.tr("Marker numbering"),
            [self.tr("provincial (4-digit line code + 001 + Q/A/B/C)"),
             self.tr("county"), self.tr("township (105-104 + 001 + Q/A/B/C)")],
            defaultValue=default))
        self.addParameter(QgsProcessingParameterString(
            "PATTERN", self.tr("…or a numbering pattern (RE2, three groups: line, sequence, "
                               "letter)"), "", optional=True))

    def archive_args(self, parameters, context, required=True):
        db = self.parameterAsFile(parameters, "DB", context).strip()
        pg = self.parameterAsString(parameters, "PG", context).strip()
        if db and pg:
            raise QgsProcessingException(self.tr("Give the archive once: a file or a "
                                                 "PostGIS connection"))
        if not db and not pg:
            if required:
                raise QgsProcessingException(self.tr("Give the archive: a SpatiaLite file or "
                                                     "a PostGIS connection"))
            return []
        return ["--db", db or pg]

    def add_archive(self, optional=False):
        self.addParameter(QgsProcessingParameterFile(
            "DB", self.tr("Archive (SpatiaLite file)"), QgsProcessingParameterFile.File,
            fileFilter=self.tr("SpatiaLite (*.sqlite *.db)"), optional=True))
        self.addParameter(QgsProcessingParameterString(
            "PG", self.tr("…or a PostGIS archive (PG:dbname=… host=… or postgresql://…)"), "",
            optional=True))


# ---------------------------------------------------------------- the checks

class NamesCheck(GeoadminAlgorithm):
    COMMAND = ["names", "check"]
    NAME = "names_check"
    DISPLAY = "Check place names"
    GROUP = "names"
    SUMMARY = ("Checks place-name records: characters, generic parts, restricted words, codes, "
               "duplicates and homophones in scope, romanization.")

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterFeatureSource(
            "INPUT", self.tr("Place-name records"), [QgsProcessing.TypeVector]))
        self.addParameter(QgsProcessingParameterFeatureSource(
            "UNITS", self.tr("Unit polygons (a record must lie in the unit its code names)"),
            [QgsProcessing.TypeVectorPolygon], optional=True))
        self.addParameter(QgsProcessingParameterFile(
            "DIVISIONS", self.tr("Division code table (default: the built-in 2023 table)"),
            optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            "CATEGORY", self.tr("Category of every record (for inputs without a category "
                                "column)"), CATEGORIES, defaultValue=0))
        self.addParameter(QgsProcessingParameterEnum(
            "PROFILE", self.tr("Required fields"),
            [self.tr("basic"), self.tr("census")], defaultValue=0))
        self.add_reading_options()
        self.add_findings()

    def processAlgorithm(self, parameters, context, feedback):
        args = sources.layer_args(self, parameters, "INPUT", context, feedback)
        args += sources.layer_args(self, parameters, "UNITS", context, feedback, "--units")
        divisions = self.parameterAsFile(parameters, "DIVISIONS", context)
        if divisions:
            args += ["--divisions", divisions]
        category = CATEGORIES[self.parameterAsEnum(parameters, "CATEGORY", context)]
        if category:
            args += ["--category", category]
        args += ["--profile",
                 ["basic", "census"][self.parameterAsEnum(parameters, "PROFILE", context)]]
        args += self.reading_args(parameters, context)
        return self.run_findings(args, parameters, context, feedback)[0]


class NamesRomanize(GeoadminAlgorithm):
    COMMAND = ["names", "romanize"]
    NAME = "names_romanize"
    DISPLAY = "Romanize place names"
    GROUP = "names"
    SUMMARY = ("Adds the standard romanization (Hanyu Pinyin by the rules for Chinese place "
               "names) of a name field to a copy of the layer; the code field, when given, "
               "tells where each name is, for readings that hold in some regions only.")

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterFeatureSource(
            "INPUT", self.tr("Layer"), [QgsProcessing.TypeVector]))
        self.addParameter(QgsProcessingParameterField(
            "FIELD", self.tr("Name field"), parentLayerParameterName="INPUT",
            type=QgsProcessingParameterField.String))
        self.addParameter(QgsProcessingParameterField(
            "CODE_FIELD", self.tr("Division code field (context for regional readings)"),
            parentLayerParameterName="INPUT", optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            "CATEGORY", self.tr("Category (default: guessed from each name's generic part)"),
            CATEGORIES, defaultValue=0))
        self.addParameter(QgsProcessingParameterBoolean("TONES", self.tr("Tone marks"), False))
        self.addParameter(QgsProcessingParameterEnum(
            "STYLE", self.tr("Style"), [self.tr("standard"), self.tr("sign (capitals)")],
            defaultValue=0))
        self.addParameter(QgsProcessingParameterString(
            "NEW_FIELD", self.tr("New field"), "romanization"))
        self.addParameter(QgsProcessingParameterFeatureSink(
            "OUTPUT", self.tr("Romanized")))

    def processAlgorithm(self, parameters, context, feedback):
        source = self.parameterAsSource(parameters, "INPUT", context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, "INPUT"))
        name_field = self.parameterAsString(parameters, "FIELD", context)
        code_field = self.parameterAsString(parameters, "CODE_FIELD", context)
        new_field = self.parameterAsString(parameters, "NEW_FIELD", context) or "romanization"
        fields = QgsFields(source.fields())
        if fields.indexOf(new_field) >= 0:
            raise QgsProcessingException(
                self.tr("The layer has a field {} already").format(new_field))
        fields.append(QgsField(new_field, QVariant.String))
        features = list(source.getFeatures())
        lines, asked = [], []
        for i, f in enumerate(features):
            name = str(f[name_field] or "").replace("\t", " ").replace("\n", " ").strip()
            if not name or name == "NULL":
                continue
            code = str(f[code_field] or "").strip() if code_field else ""
            code = "" if code == "NULL" else code
            lines.append(f"{code}\t{name}" if code else name)
            asked.append(i)
        args = ["--format", "json"]
        category = CATEGORIES[self.parameterAsEnum(parameters, "CATEGORY", context)]
        if category:
            args += ["--category", category]
        if self.parameterAsBool(parameters, "TONES", context):
            args.append("--tones")
        if self.parameterAsEnum(parameters, "STYLE", context) == 1:
            args += ["--style", "sign"]
        spelled = {}
        if lines:
            result = runner.run(self.COMMAND + args, feedback, "\n".join(lines) + "\n",
                                progress=False)
            rows = [j for j in result.lines if isinstance(j, dict) and "romanization" in j]
            if len(rows) != len(asked):
                raise QgsProcessingException(self.tr(
                    "geoadmin returned {} romanizations for {} names").format(len(rows),
                                                                           len(asked)))
            spelled = {i: row["romanization"] for i, row in zip(asked, rows)}
        sink, dest = self.parameterAsSink(parameters, "OUTPUT", context, fields,
                                          source.wkbType(), source.sourceCrs())
        for i, f in enumerate(features):
            if feedback.isCanceled():
                break
            out = QgsFeature(fields)
            out.setGeometry(f.geometry())
            out.setAttributes(f.attributes() + [spelled.get(i)])
            sink.addFeature(out, QgsFeatureSink.FastInsert)
            feedback.setProgress(100 * (i + 1) / max(1, len(features)))
        return {"OUTPUT": dest}


class MarkersCheck(GeoadminAlgorithm):
    COMMAND = ["markers", "check"]
    NAME = "markers_check"
    DISPLAY = "Check a boundary-marker register"
    SUMMARY = ("Checks a boundary-marker register (界桩登记表): numbers, pairs and triples, "
               "position on the line, coordinates, reference objects.")

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterFeatureSource(
            "REGISTER", self.tr("Marker register"), [QgsProcessing.TypeVector]))
        self.addParameter(QgsProcessingParameterFeatureSource(
            "LINES", self.tr("Boundary lines (界线编号, 左侧单位, 右侧单位)"),
            [QgsProcessing.TypeVectorLine], optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            "UNITS", self.tr("Unit polygons"), [QgsProcessing.TypeVectorPolygon],
            optional=True))
        self.add_scheme()
        self.addParameter(QgsProcessingParameterNumber(
            "TOLERANCE", self.tr("How far a single marker may stand from its line (m; 0: "
                                 "the rule's 1.0 m)"), QgsProcessingParameterNumber.Double,
            0, minValue=0))
        self.add_reading_options()
        self.add_findings()

    def processAlgorithm(self, parameters, context, feedback):
        args = sources.layer_args(self, parameters, "REGISTER", context, feedback)
        args += sources.layer_args(self, parameters, "LINES", context, feedback, "--lines")
        args += sources.layer_args(self, parameters, "UNITS", context, feedback, "--units")
        args += self.scheme_args(parameters, context)
        tolerance = self.parameterAsDouble(parameters, "TOLERANCE", context)
        if tolerance > 0:
            args += ["--tolerance", repr(tolerance)]
        args += self.reading_args(parameters, context)
        return self.run_findings(args, parameters, context, feedback)[0]


class BoundariesCheck(GeoadminAlgorithm):
    COMMAND = ["boundaries", "check"]
    NAME = "boundaries_check"
    DISPLAY = "Check unit boundaries"
    SUMMARY = ("Checks unit polygons as a coverage: validity, gaps, overlaps, shared edges, "
               "parents, boundary lines, junctions.")

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterFeatureSource(
            "UNITS", self.tr("Unit polygons (代码, 名称, 上级代码)"),
            [QgsProcessing.TypeVectorPolygon]))
        self.addParameter(QgsProcessingParameterFeatureSource(
            "PARENT", self.tr("Parent polygons (the units must tile them)"),
            [QgsProcessing.TypeVectorPolygon], optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            "LINES", self.tr("Boundary lines (every shared edge on a line naming its units)"),
            [QgsProcessing.TypeVectorLine], optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            "GAP_WIDTH", self.tr("Report gaps narrower than (m; 0: off)"),
            QgsProcessingParameterNumber.Double, 10, minValue=0))
        self.addParameter(QgsProcessingParameterNumber(
            "GAP_AREA", self.tr("Report gaps smaller than (m²; 0: off)"),
            QgsProcessingParameterNumber.Double, 10000, minValue=0))
        self.addParameter(QgsProcessingParameterNumber(
            "SNAP_TOLERANCE", self.tr("Vertices closer than this count as the same (m)"),
            QgsProcessingParameterNumber.Double, 0, minValue=0))
        self.addParameter(QgsProcessingParameterFileDestination(
            "JUNCTIONS", self.tr("Junctions (points where three or more units meet)"),
            self.tr("GeoPackage (*.gpkg)"), optional=True, createByDefault=False))
        self.add_reading_options()
        self.add_findings()

    def processAlgorithm(self, parameters, context, feedback):
        args = sources.layer_args(self, parameters, "UNITS", context, feedback)
        args += sources.layer_args(self, parameters, "PARENT", context, feedback, "--parent")
        args += sources.layer_args(self, parameters, "LINES", context, feedback, "--lines")
        for key, option in (("GAP_WIDTH", "--gap-width"), ("GAP_AREA", "--gap-area"),
                            ("SNAP_TOLERANCE", "--snap-tolerance")):
            args += [option, repr(self.parameterAsDouble(parameters, key, context))]
        junctions = self.parameterAsFileOutput(parameters, "JUNCTIONS", context)
        if junctions:
            args += ["--junctions", junctions]
        args += self.reading_args(parameters, context)
        out, _ = self.run_findings(args, parameters, context, feedback)
        if junctions:
            out["JUNCTIONS"] = junctions
        return out


class Info(GeoadminAlgorithm):
    COMMAND = ["info"]
    NAME = "info"
    DISPLAY = "Describe a source"
    GROUP = "checks"
    SUMMARY = ("What a layer's source holds: layers, fields, encoding, CRS, extent, and "
               "coordinate problems (swapped axes, Gauss–Krüger zone, GCJ-02).")

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterFeatureSource(
            "INPUT", self.tr("Layer"), [QgsProcessing.TypeVector]))
        self.add_reading_options()
        self.add_findings()
        self.addOutput(QgsProcessingOutputString("REPORT", self.tr("Report")))

    def processAlgorithm(self, parameters, context, feedback):
        args = sources.layer_args(self, parameters, "INPUT", context, feedback)
        args += self.reading_args(parameters, context)
        findings = self.parameterAsFileOutput(parameters, "FINDINGS", context)
        if os.path.exists(findings):
            os.remove(findings)
        result = runner.run(self.COMMAND + args + ["--lang", runner.language(), "-o", findings],
                            feedback)
        feedback.pushInfo(result.text)
        counts = {"error": 0, "warning": 0, "info": 0}
        from osgeo import ogr
        ds = ogr.Open(findings) if os.path.exists(findings) else None
        for i in range(ds.GetLayerCount() if ds is not None else 0):
            for feature in ds.GetLayer(i):
                severity = feature.GetField("severity")
                counts[severity] = counts.get(severity, 0) + 1
        ds = None
        if self.parameterAsBool(parameters, "LOAD", context):
            self._to_load.append(("findings", findings, self.run_group()))
        return {"FINDINGS": findings, "REPORT": result.text, "ERRORS": counts["error"],
                "WARNINGS": counts["warning"], "INFOS": counts["info"]}


# ---------------------------------------------------------------- the joint inspection

class Inspect(GeoadminAlgorithm):
    COMMAND = ["inspect"]
    NAME = "inspect"
    DISPLAY = "Joint inspection"
    GROUP = "inspection"
    SUMMARY = ("The joint inspection (联检) of boundary lines: field observations against the "
               "archived lines and marker register (or the files), the report both sides "
               "sign, and optionally the record in the archive.")

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterFile(
            "OBSERVATIONS", self.tr("Field observations (a field app's GeoPackage, a "
                                    "spreadsheet or CSV)")))
        self.addParameter(QgsProcessingParameterString(
            "LINE_CODES", self.tr("Lines to inspect, by code (empty: every line the "
                                  "observations name)"), "", optional=True))
        self.add_archive(optional=True)
        self.addParameter(QgsProcessingParameterFeatureSource(
            "REGISTER", self.tr("…or the marker register (without an archive)"),
            [QgsProcessing.TypeVector], optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            "LINES", self.tr("…and the boundary lines (without an archive)"),
            [QgsProcessing.TypeVectorLine], optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            "UNITS", self.tr("…and the units, for the names of each side"),
            [QgsProcessing.TypeVectorPolygon], optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            "RESURVEY", self.tr("Re-surveyed lines (compared with the archived ones)"),
            [QgsProcessing.TypeVectorLine], optional=True))
        self.add_scheme()
        self.addParameter(QgsProcessingParameterNumber(
            "TOLERANCE", self.tr("Displacement tolerance (m; 0: the rule's 0.5 m)"),
            QgsProcessingParameterNumber.Double, 0, minValue=0))
        self.addParameter(QgsProcessingParameterString(
            "DATE", self.tr("Report date (YYYY-MM-DD; empty: today)"), "", optional=True))
        self.addParameter(QgsProcessingParameterBoolean(
            "RECORD", self.tr("Record the inspection in the archive"), False))
        self.addParameter(QgsProcessingParameterString(
            "OPERATOR", self.tr("Who records"), "", optional=True))
        self.addParameter(QgsProcessingParameterFileDestination(
            "REPORT", self.tr("Report"), self.tr("HTML (*.html)")))
        self.addParameter(QgsProcessingParameterBoolean(
            "OPEN_REPORT", self.tr("Open the report in the browser"), True))
        self.add_findings()

    def processAlgorithm(self, parameters, context, feedback):
        args = self.parameterAsString(parameters, "LINE_CODES", context).split()
        args += ["--observations", self.parameterAsFile(parameters, "OBSERVATIONS", context)]
        archive = self.archive_args(parameters, context, required=False)
        args += archive
        register = sources.layer_args(self, parameters, "REGISTER", context, feedback,
                                      "--register")
        lines = sources.layer_args(self, parameters, "LINES", context, feedback, "--lines")
        if not archive and (not register or not lines):
            raise QgsProcessingException(self.tr(
                "Give the archive, or the marker register and the boundary lines"))
        args += register + lines
        args += sources.layer_args(self, parameters, "UNITS", context, feedback, "--units")
        args += sources.layer_args(self, parameters, "RESURVEY", context, feedback,
                                   "--resurvey")
        args += self.scheme_args(parameters, context)
        tolerance = self.parameterAsDouble(parameters, "TOLERANCE", context)
        if tolerance > 0:
            args += ["--tolerance", repr(tolerance)]
        date = self.parameterAsString(parameters, "DATE", context).strip()
        if date:
            args += ["--date", date]
        if self.parameterAsBool(parameters, "RECORD", context):
            if not archive:
                raise QgsProcessingException(self.tr("Recording needs the archive"))
            args.append("--record")
            operator = self.parameterAsString(parameters, "OPERATOR", context).strip()
            if operator:
                args += ["--operator", operator]
        report = self.parameterAsFileOutput(parameters, "REPORT", context)
        args += ["--report", report]
        out, _ = self.run_findings(args, parameters, context, feedback)
        out["REPORT"] = report
        self._open = report if self.parameterAsBool(parameters, "OPEN_REPORT", context) else ""
        return out

    def postProcessAlgorithm(self, context, feedback):
        out = super().postProcessAlgorithm(context, feedback)
        report = getattr(self, "_open", "")
        from qgis.PyQt.QtGui import QGuiApplication
        if report and os.path.exists(report) and QGuiApplication.platformName() != "offscreen":
            from qgis.PyQt.QtCore import QUrl
            from qgis.PyQt.QtGui import QDesktopServices
            QDesktopServices.openUrl(QUrl.fromLocalFile(report))
        return out


class InspectStatus(GeoadminAlgorithm):
    COMMAND = ["inspect", "status"]
    NAME = "inspect_status"
    DISPLAY = "Joint inspection status"
    GROUP = "inspection"
    SUMMARY = ("Every line of the archive with its last joint inspection, the next due date "
               "(the cycle of its level) and whether it is overdue, as a layer coloured by "
               "status; optionally the HTML overview.")

    def initAlgorithm(self, config=None):
        self.add_archive()
        self.addParameter(QgsProcessingParameterString(
            "AS_OF", self.tr("The day to judge by (YYYY-MM-DD; empty: today)"), "",
            optional=True))
        self.addParameter(QgsProcessingParameterFileDestination(
            "STATUS", self.tr("Status of every line"), self.tr("GeoPackage (*.gpkg)")))
        self.addParameter(QgsProcessingParameterFileDestination(
            "OVERVIEW", self.tr("Overview (a map and the table)"), self.tr("HTML (*.html)"),
            optional=True, createByDefault=False))
        self.addParameter(QgsProcessingParameterBoolean(
            "LOAD", self.tr("Load the status into the project (styled, in a group)"), True))
        for key, text in (("OVERDUE", self.tr("Lines overdue")),
                          ("NEVER", self.tr("Lines never inspected"))):
            self.addOutput(QgsProcessingOutputNumber(key, text))

    def processAlgorithm(self, parameters, context, feedback):
        args = self.archive_args(parameters, context)
        as_of = self.parameterAsString(parameters, "AS_OF", context).strip()
        if as_of:
            args += ["--as-of", as_of]
        status = self.parameterAsFileOutput(parameters, "STATUS", context)
        if os.path.exists(status):
            os.remove(status)
        common = ["--format", "json", "--fail-on", "never", "--lang", runner.language()]
        result = runner.run(self.COMMAND + args + common + ["-o", status], feedback)
        overview = self.parameterAsFileOutput(parameters, "OVERVIEW", context)
        if overview:
            runner.run(self.COMMAND + args + common + ["-o", overview], feedback)
        rules = [f.get("rule") for f in result.findings()]
        if self.parameterAsBool(parameters, "LOAD", context):
            self._to_load.append(("line_status", status, self.run_group(), "line_status",
                                  self.tr("Line status")))
        out = {"STATUS": status, "OVERDUE": rules.count("INSPECT-LINE-OVERDUE"),
               "NEVER": rules.count("INSPECT-LINE-NEVER")}
        if overview:
            out["OVERVIEW"] = overview
        return out


# ---------------------------------------------------------------- the archive

KINDS = ["auto", "names", "markers", "lines", "units", "documents"]
POLICIES = ["reject", "quarantine", "accept"]


class Import(GeoadminAlgorithm):
    COMMAND = ["import"]
    NAME = "import"
    DISPLAY = "Import into the archive"
    GROUP = "archive"
    SUMMARY = ("Imports files, a folder tree or zips into the archive database, each file "
               "checked by the matching check, the batch in one transaction, with history: "
               "the same files again add nothing.")

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterFile(
            "FOLDER", self.tr("A folder (every file under it)"),
            QgsProcessingParameterFile.Folder, optional=True))
        self.addParameter(QgsProcessingParameterMultipleLayers(
            "FILES", self.tr("…and/or files (registers, lines, units, catalogues, scans, "
                             "zips)"), QgsProcessing.TypeFile, optional=True))
        self.add_archive()
        self.addParameter(QgsProcessingParameterBoolean(
            "INIT", self.tr("Create the SpatiaLite archive when it does not exist"), True))
        self.addParameter(QgsProcessingParameterEnum(
            "KIND", self.tr("What the files hold"), KINDS, defaultValue=0))
        self.addParameter(QgsProcessingParameterEnum(
            "ON_ERROR", self.tr("When a finding is an error"),
            [self.tr("reject the batch"), self.tr("quarantine those records"),
             self.tr("accept, findings kept")], defaultValue=0))
        self.addParameter(QgsProcessingParameterString(
            "OPERATOR", self.tr("Who imports"), "", optional=True))
        self.add_scheme()
        self.addParameter(QgsProcessingParameterBoolean(
            "DRY_RUN", self.tr("Check and count only, load nothing"), False))
        self.add_findings()
        for key, text in (("NEW", self.tr("Records new")),
                          ("CHANGED", self.tr("Records changed (new version)")),
                          ("UNCHANGED", self.tr("Records unchanged")),
                          ("REJECTED", self.tr("Records rejected")),
                          ("QUARANTINED", self.tr("Records quarantined"))):
            self.addOutput(QgsProcessingOutputNumber(key, text))
        self.addOutput(QgsProcessingOutputString("BATCH", self.tr("Batch")))

    def processAlgorithm(self, parameters, context, feedback):
        paths = []
        folder = self.parameterAsFile(parameters, "FOLDER", context)
        if folder:
            paths.append(folder)
        paths += [p for p in self.parameterAsFileList(parameters, "FILES", context) if p]
        if not paths:
            raise QgsProcessingException(self.tr("Give a folder or files to import"))
        archive = self.archive_args(parameters, context)
        db = archive[1]
        if (not db.startswith(("PG:", "postgresql:")) and not os.path.exists(db)
                and self.parameterAsBool(parameters, "INIT", context)):
            runner.run(["db", "init", "--db", db], feedback, progress=False)
        args = paths + archive
        args += ["--kind", KINDS[self.parameterAsEnum(parameters, "KIND", context)]]
        args += ["--on-error", POLICIES[self.parameterAsEnum(parameters, "ON_ERROR", context)]]
        operator = self.parameterAsString(parameters, "OPERATOR", context).strip()
        if operator:
            args += ["--operator", operator]
        args += self.scheme_args(parameters, context)
        if self.parameterAsBool(parameters, "DRY_RUN", context):
            args.append("--dry-run")
        out, result = self.run_findings(args, parameters, context, feedback)
        summary = result.summary() or {}
        totals = {k: 0 for k in ("new", "changed", "unchanged", "rejected", "quarantined")}
        for counts in (summary.get("records") or {}).values():
            for k in totals:
                totals[k] += int(counts.get(k, 0))
        for k, v in totals.items():
            out[k.upper()] = v
        out["BATCH"] = summary.get("batch_id", "")
        feedback.pushInfo(self.tr("Batch {}: {} new, {} changed, {} unchanged, {} rejected, "
                                  "{} quarantined; committed: {}").format(
            out["BATCH"], totals["new"], totals["changed"], totals["unchanged"],
            totals["rejected"], totals["quarantined"], summary.get("committed")))
        return out


ALGORITHMS = [NamesCheck, NamesRomanize, MarkersCheck, BoundariesCheck, Info, Inspect,
              InspectStatus, Import]
