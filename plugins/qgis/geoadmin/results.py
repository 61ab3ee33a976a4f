"""Loads what a run wrote into the project: the findings GeoPackage's layers (points,
lines, polygons and the findings without geometry) styled by severity, with the rule id as
label and the message in QGIS's language, in a group named after the run."""
import os

from osgeo import ogr
from qgis.core import QgsProject, QgsVectorLayer

from .runner import language, tr

HERE = os.path.dirname(os.path.abspath(__file__))
FINDING_LAYERS = ["findings_polygon", "findings_line", "findings_point", "findings"]


def style_path(name, lang=None):
    return os.path.join(HERE, "styles", lang or language(), name + ".qml")


def layer_names(path):
    ds = ogr.Open(path) if path and os.path.exists(path) else None
    if ds is None:
        return []
    return [ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount())]


def _group(project, name):
    root = project.layerTreeRoot()
    group = root.findGroup(name)
    return group if group is not None else root.insertGroup(0, name)


def load_findings(path, group_name, project=None, feedback=None):
    """Adds the finding layers of `path` to a group of the project; the layers added."""
    project = project or QgsProject.instance()
    present = layer_names(path)
    added = []
    group = None
    for name in FINDING_LAYERS:
        if name not in present:
            continue
        layer = QgsVectorLayer(f"{path}|layername={name}", _title(name), "ogr")
        if not layer.isValid():
            if feedback is not None:
                feedback.reportError(f"{path}: {name}")
            continue
        if name != "findings":
            message, ok = layer.loadNamedStyle(style_path(name))
            if not ok and feedback is not None:
                feedback.reportError(message)
        else:
            field = "message_zh" if language() == "zh" else "message_en"
            layer.setDisplayExpression(f'"rule" || \': \' || "{field}"')
        if group is None:
            group = _group(project, group_name)
        project.addMapLayer(layer, False)
        group.addLayer(layer)
        added.append(layer)
    return added


def load_styled(path, layer_name, title, style, group_name, project=None):
    """One layer of `path` with a shipped style, in the run's group; None when absent."""
    project = project or QgsProject.instance()
    if layer_name not in layer_names(path):
        return None
    layer = QgsVectorLayer(f"{path}|layername={layer_name}", title, "ogr")
    if not layer.isValid():
        return None
    layer.loadNamedStyle(style_path(style))
    project.addMapLayer(layer, False)
    _group(project, group_name).addLayer(layer)
    return layer


def _title(name):
    return {
        "findings_point": tr("Findings (points)"),
        "findings_line": tr("Findings (lines)"),
        "findings_polygon": tr("Findings (areas)"),
        "findings": tr("Findings (no geometry)"),
    }[name]
