#!/usr/bin/python3
"""Writes the QML styles the plugin ships (geoadmin/styles/<lang>/*.qml), with PyQGIS:

  findings_point / findings_line / findings_polygon   a finding layer of -o FILE.gpkg:
      colour by severity (error red, warning orange, info blue), the rule id as label,
      the message in the language as map tip and display expression
  line_status                                          inspect status -o FILE.gpkg:
      the lines coloured by status (按期 on schedule, 逾期 overdue, 从未联检 never)

Run with Debian's python3-qgis, on the offscreen platform:

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 plugins/qgis/make_styles.py
"""
import os
import sys

from qgis.core import (QgsApplication, QgsCategorizedSymbolRenderer, QgsFillSymbol,
                       QgsLineSymbol, QgsMarkerSymbol, QgsPalLayerSettings, QgsRendererCategory,
                       QgsTextBufferSettings, QgsTextFormat, QgsVectorLayer,
                       QgsVectorLayerSimpleLabeling)
from qgis.PyQt.QtGui import QColor, QFont

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "geoadmin", "styles")

SEVERITIES = [  # value, colour, zh, en
    ("error", "#d32f2f", "错误", "error"),
    ("warning", "#f57c00", "警告", "warning"),
    ("info", "#1976d2", "提示", "info"),
]
STATUS = [
    ("按期", "#2e7d32", "按期", "on schedule"),
    ("逾期", "#d32f2f", "逾期", "overdue"),
    ("从未联检", "#757575", "从未联检", "never inspected"),
]


def symbol(kind, colour):
    if kind == "point":
        return QgsMarkerSymbol.createSimple({"name": "circle", "color": colour, "size": "3.2",
                                             "outline_color": "#ffffff", "outline_width": "0.4"})
    if kind == "line":
        return QgsLineSymbol.createSimple({"line_color": colour, "line_width": "0.9"})
    c = QColor(colour)
    return QgsFillSymbol.createSimple({"color": f"{c.red()},{c.green()},{c.blue()},90",
                                       "outline_color": colour, "outline_width": "0.6"})


def label(field, colour="#212121"):
    settings = QgsPalLayerSettings()
    settings.fieldName = field
    settings.enabled = True
    fmt = QgsTextFormat()
    fmt.setFont(QFont("Noto Sans CJK SC"))
    fmt.setSize(8)
    fmt.setColor(QColor(colour))
    buffer = QgsTextBufferSettings()
    buffer.setEnabled(True)
    buffer.setSize(0.8)
    buffer.setColor(QColor("#ffffff"))
    fmt.setBuffer(buffer)
    settings.setFormat(fmt)
    return QgsVectorLayerSimpleLabeling(settings)


def save(layer, lang, name):
    os.makedirs(os.path.join(OUT, lang), exist_ok=True)
    path = os.path.join(OUT, lang, name + ".qml")
    message, ok = layer.saveNamedStyle(path)
    if not ok:
        sys.exit(f"{path}: {message}")
    print(path)


def main():
    app = QgsApplication([], False)
    app.initQgis()
    for lang in ("zh", "en"):
        message = "message_zh" if lang == "zh" else "message_en"
        for kind, wkb in (("point", "Point"), ("line", "LineString"), ("polygon", "Polygon")):
            layer = QgsVectorLayer(f"{wkb}?crs=EPSG:4490&field=rule:string&field=severity:string"
                                   f"&field=message_zh:string&field=message_en:string", "f",
                                   "memory")
            cats = [QgsRendererCategory(v, symbol(kind, c), zh if lang == "zh" else en)
                    for v, c, zh, en in SEVERITIES]
            layer.setRenderer(QgsCategorizedSymbolRenderer("severity", cats))
            layer.setLabeling(label("rule"))
            layer.setLabelsEnabled(True)
            layer.setDisplayExpression(f'"rule" || \': \' || "{message}"')
            layer.setMapTipTemplate(f'<b>[% "rule" %]</b> ([% "severity" %])<br>[% "{message}" %]')
            save(layer, lang, "findings_" + kind)
        layer = QgsVectorLayer("MultiLineString?crs=EPSG:4490&field=界线编号:string&field=状况:string",
                               "s", "memory")
        cats = [QgsRendererCategory(v, QgsLineSymbol.createSimple(
            {"line_color": c, "line_width": "1.2"}), zh if lang == "zh" else en)
            for v, c, zh, en in STATUS]
        layer.setRenderer(QgsCategorizedSymbolRenderer("状况", cats))
        layer.setLabeling(label("界线编号"))
        layer.setLabelsEnabled(True)
        layer.setDisplayExpression('"界线编号"')
        save(layer, lang, "line_status")
    app.exitQgis()


if __name__ == "__main__":
    main()
