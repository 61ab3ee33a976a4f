"""A layer as the geoadmin program reads it: the file of a file-based layer, the connection
of a PostGIS layer, or a temporary GeoPackage (a memory or filtered layer, selected features
only)."""
from qgis.core import (QgsDataSourceUri, QgsProcessingFeatureSourceDefinition,
                       QgsProcessingUtils, QgsVectorLayer)

# What the program reads directly (GDAL); anything else goes through a temporary GeoPackage.
FORMATS = ["gpkg", "shp", "csv", "xlsx", "xls", "geojson", "json", "sqlite", "db", "gml",
           "kml", "tab", "mif", "dbf", "ods", "fgb"]


def _selected_only(parameters, name):
    value = parameters.get(name)
    return isinstance(value, QgsProcessingFeatureSourceDefinition) and value.selectedFeaturesOnly


def layer_input(algorithm, parameters, name, context, feedback):
    """(source, layer name or "") for the program's input and --layer, or None when the
    optional parameter is not set."""
    layer = algorithm.parameterAsVectorLayer(parameters, name, context)
    if layer is None and parameters.get(name) in (None, ""):
        return None
    selected = _selected_only(parameters, name)
    if (isinstance(layer, QgsVectorLayer) and layer.providerType() == "postgres" and not selected
            and not layer.subsetString()):
        # The connection itself: the program reads PostGIS through GDAL.
        # The connection itself, limited to the layer's table: the program reads PostGIS
        # through GDAL.
        uri = QgsDataSourceUri(layer.source())
        table = f"{uri.schema() or 'public'}.{uri.table()}"
        return f"PG:{uri.connectionInfo(True)} tables={table}", table
    if isinstance(layer, QgsVectorLayer) and layer.subsetString() and not selected:
        # A filtered layer: only its features, through a temporary GeoPackage.
        path = QgsProcessingUtils.generateTempFilename(f"{name.lower()}.gpkg")
        from qgis.core import QgsVectorFileWriter, QgsCoordinateTransformContext
        options = QgsVectorFileWriter.SaveVectorOptions()
        options.driverName = "GPKG"
        options.layerName = layer.name() or "layer"
        error = QgsVectorFileWriter.writeAsVectorFormatV3(layer, path,
                                                          QgsCoordinateTransformContext(), options)
        if error[0] != QgsVectorFileWriter.NoError:
            from qgis.core import QgsProcessingException
            raise QgsProcessingException(f"{layer.name()}: {error[1]}")
        return path, options.layerName
    path, layer_name = algorithm.parameterAsCompatibleSourceLayerPathAndLayerName(
        parameters, name, context, FORMATS, "gpkg", feedback)
    if layer_name and _layer_count(path) > 1:
        # One layer of several: on its own, so that the program reads that one.
        single = QgsProcessingUtils.generateTempFilename(f"{name.lower()}.gpkg")
        from osgeo import gdal
        gdal.VectorTranslate(single, path, layers=[layer_name], format="GPKG")
        return single, layer_name
    return path, layer_name or ""


def _layer_count(path):
    from osgeo import ogr
    ds = ogr.Open(path)
    return ds.GetLayerCount() if ds is not None else 0


def layer_args(algorithm, parameters, name, context, feedback, option=None):
    """The arguments naming one input: [option,] SOURCE (a file or connection holding that
    layer only, so that --layer, which every input of a command shares, is not needed)."""
    found = layer_input(algorithm, parameters, name, context, feedback)
    if found is None:
        return []
    return ([option] if option else []) + [found[0]]
