"""The Processing provider "geoadmin": every command as an algorithm, and the setting of
where the program is."""
import os

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from . import algorithms, runner

HERE = os.path.dirname(os.path.abspath(__file__))


class GeoadminProvider(QgsProcessingProvider):

    def id(self):
        return "geoadmin"

    def name(self):
        return "geoadmin"

    def longName(self):
        return runner.tr("geoadmin: administrative divisions and place names")

    def icon(self):
        return QIcon(os.path.join(HERE, "icon.svg"))

    def load(self):
        try:
            from processing.core.ProcessingConfig import ProcessingConfig, Setting
            ProcessingConfig.settingIcons[self.name()] = self.icon()
            ProcessingConfig.addSetting(Setting(
                self.name(), runner.PROGRAM_SETTING,
                runner.tr("geoadmin program (empty: found on PATH)"), "",
                valuetype=Setting.FILE))
            ProcessingConfig.readSettings()
        except ImportError:  # Processing's Python part absent: PATH only
            pass
        self.refreshAlgorithms()
        return True

    def unload(self):
        try:
            from processing.core.ProcessingConfig import ProcessingConfig
            ProcessingConfig.removeSetting(runner.PROGRAM_SETTING)
        except ImportError:
            pass

    def loadAlgorithms(self):
        for cls in algorithms.ALGORITHMS:
            self.addAlgorithm(cls())
