"""The plugin: installs the translation for QGIS's language and registers the Processing
provider (also when QGIS runs Processing without its interface)."""
import os

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QCoreApplication, QTranslator

from .provider import GeoadminProvider
from .runner import language

HERE = os.path.dirname(os.path.abspath(__file__))


def install_translator():
    """Installs i18n/geoadmin_<lang>.qm; the translator, or None when there is none."""
    lang = "zh_CN" if language() == "zh" else "en"
    path = os.path.join(HERE, "i18n", f"geoadmin_{lang}.qm")
    if not os.path.exists(path):
        return None
    translator = QTranslator()
    if not translator.load(path):
        return None
    QCoreApplication.installTranslator(translator)
    return translator


class GeoadminPlugin:

    def __init__(self, iface=None):
        self.iface = iface
        self.provider = None
        self.translator = install_translator()

    def initProcessing(self):
        if self.provider is None:
            self.provider = GeoadminProvider()
            QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self):
        self.initProcessing()

    def unload(self):
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        if self.translator is not None:
            QCoreApplication.removeTranslator(self.translator)
            self.translator = None
