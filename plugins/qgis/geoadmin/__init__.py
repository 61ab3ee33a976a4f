"""geoadmin for QGIS: a Processing provider that runs the geoadmin checks, the joint
inspection and the archive import on the layers open in QGIS."""


def classFactory(iface):  # noqa: N802 (QGIS's name)
    from .plugin import GeoadminPlugin
    return GeoadminPlugin(iface)
