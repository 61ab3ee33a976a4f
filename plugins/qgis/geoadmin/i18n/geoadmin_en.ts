<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
  <context>
    <name>geoadmin</name>
    <message>
      <source>Check place names</source>
      <translation>Check place names</translation>
    </message>
    <message>
      <source>Checks place-name records: characters, generic parts, restricted words, codes, duplicates and homophones in scope, romanization.</source>
      <translation>Checks place-name records: characters, generic parts, restricted words, codes, duplicates and homophones in scope, romanization.</translation>
    </message>
    <message>
      <source>Romanize place names</source>
      <translation>Romanize place names</translation>
    </message>
    <message>
      <source>Adds the standard romanization (Hanyu Pinyin by the rules for Chinese place names) of a name field to a copy of the layer; the code field, when given, tells where each name is, for readings that hold in some regions only.</source>
      <translation>Adds the standard romanization (Hanyu Pinyin by the rules for Chinese place names) of a name field to a copy of the layer; the code field, when given, tells where each name is, for readings that hold in some regions only.</translation>
    </message>
    <message>
      <source>Check a boundary-marker register</source>
      <translation>Check a boundary-marker register</translation>
    </message>
    <message>
      <source>Checks a boundary-marker register (界桩登记表): numbers, pairs and triples, position on the line, coordinates, reference objects.</source>
      <translation>Checks a boundary-marker register (界桩登记表): numbers, pairs and triples, position on the line, coordinates, reference objects.</translation>
    </message>
    <message>
      <source>Check unit boundaries</source>
      <translation>Check unit boundaries</translation>
    </message>
    <message>
      <source>Checks unit polygons as a coverage: validity, gaps, overlaps, shared edges, parents, boundary lines, junctions.</source>
      <translation>Checks unit polygons as a coverage: validity, gaps, overlaps, shared edges, parents, boundary lines, junctions.</translation>
    </message>
    <message>
      <source>Describe a source</source>
      <translation>Describe a source</translation>
    </message>
    <message>
      <source>What a layer's source holds: layers, fields, encoding, CRS, extent, and coordinate problems (swapped axes, Gauss–Krüger zone, GCJ-02).</source>
      <translation>What a layer's source holds: layers, fields, encoding, CRS, extent, and coordinate problems (swapped axes, Gauss–Krüger zone, GCJ-02).</translation>
    </message>
    <message>
      <source>Joint inspection</source>
      <translation>Joint inspection</translation>
    </message>
    <message>
      <source>The joint inspection (联检) of boundary lines: field observations against the archived lines and marker register (or the files), the report both sides sign, and optionally the record in the archive.</source>
      <translation>The joint inspection (联检) of boundary lines: field observations against the archived lines and marker register (or the files), the report both sides sign, and optionally the record in the archive.</translation>
    </message>
    <message>
      <source>Joint inspection status</source>
      <translation>Joint inspection status</translation>
    </message>
    <message>
      <source>Every line of the archive with its last joint inspection, the next due date (the cycle of its level) and whether it is overdue, as a layer coloured by status; optionally the HTML overview.</source>
      <translation>Every line of the archive with its last joint inspection, the next due date (the cycle of its level) and whether it is overdue, as a layer coloured by status; optionally the HTML overview.</translation>
    </message>
    <message>
      <source>Import into the archive</source>
      <translation>Import into the archive</translation>
    </message>
    <message>
      <source>Imports files, a folder tree or zips into the archive database, each file checked by the matching check, the batch in one transaction, with history: the same files again add nothing.</source>
      <translation>Imports files, a folder tree or zips into the archive database, each file checked by the matching check, the batch in one transaction, with history: the same files again add nothing.</translation>
    </message>
    <message>
      <source>Checks</source>
      <translation>Checks</translation>
    </message>
    <message>
      <source>Place names</source>
      <translation>Place names</translation>
    </message>
    <message>
      <source>Archive</source>
      <translation>Archive</translation>
    </message>
    <message>
      <source>Findings</source>
      <translation>Findings</translation>
    </message>
    <message>
      <source>GeoPackage (*.gpkg)</source>
      <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
      <source>Load the findings into the project (styled, in a group)</source>
      <translation>Load the findings into the project (styled, in a group)</translation>
    </message>
    <message>
      <source>Errors</source>
      <translation>Errors</translation>
    </message>
    <message>
      <source>Warnings</source>
      <translation>Warnings</translation>
    </message>
    <message>
      <source>Info</source>
      <translation>Info</translation>
    </message>
    <message>
      <source>Text encoding of the inputs (GBK, GB18030, UTF-8 ...; empty: declared or detected)</source>
      <translation>Text encoding of the inputs (GBK, GB18030, UTF-8 ...; empty: declared or detected)</translation>
    </message>
    <message>
      <source>CRS of inputs that declare none (EPSG:4528, GCJ02 ...)</source>
      <translation>CRS of inputs that declare none (EPSG:4528, GCJ02 ...)</translation>
    </message>
    <message>
      <source>Marker numbering</source>
      <translation>Marker numbering</translation>
    </message>
    <message>
      <source>…or a numbering pattern (RE2, three groups: line, sequence, letter)</source>
      <translation>…or a numbering pattern (RE2, three groups: line, sequence, letter)</translation>
    </message>
    <message>
      <source>Give the archive once: a file or a PostGIS connection</source>
      <translation>Give the archive once: a file or a PostGIS connection</translation>
    </message>
    <message>
      <source>Archive (SpatiaLite file)</source>
      <translation>Archive (SpatiaLite file)</translation>
    </message>
    <message>
      <source>…or a PostGIS archive (PG:dbname=… host=… or postgresql://…)</source>
      <translation>…or a PostGIS archive (PG:dbname=… host=… or postgresql://…)</translation>
    </message>
    <message>
      <source>Place-name records</source>
      <translation>Place-name records</translation>
    </message>
    <message>
      <source>Unit polygons (a record must lie in the unit its code names)</source>
      <translation>Unit polygons (a record must lie in the unit its code names)</translation>
    </message>
    <message>
      <source>Division code table (default: the built-in 2023 table)</source>
      <translation>Division code table (default: the built-in 2023 table)</translation>
    </message>
    <message>
      <source>Category of every record (for inputs without a category column)</source>
      <translation>Category of every record (for inputs without a category column)</translation>
    </message>
    <message>
      <source>Required fields</source>
      <translation>Required fields</translation>
    </message>
    <message>
      <source>Layer</source>
      <translation>Layer</translation>
    </message>
    <message>
      <source>Name field</source>
      <translation>Name field</translation>
    </message>
    <message>
      <source>Division code field (context for regional readings)</source>
      <translation>Division code field (context for regional readings)</translation>
    </message>
    <message>
      <source>Category (default: guessed from each name's generic part)</source>
      <translation>Category (default: guessed from each name's generic part)</translation>
    </message>
    <message>
      <source>Tone marks</source>
      <translation>Tone marks</translation>
    </message>
    <message>
      <source>Style</source>
      <translation>Style</translation>
    </message>
    <message>
      <source>New field</source>
      <translation>New field</translation>
    </message>
    <message>
      <source>Romanized</source>
      <translation>Romanized</translation>
    </message>
    <message>
      <source>Marker register</source>
      <translation>Marker register</translation>
    </message>
    <message>
      <source>Boundary lines (界线编号, 左侧单位, 右侧单位)</source>
      <translation>Boundary lines (界线编号, 左侧单位, 右侧单位)</translation>
    </message>
    <message>
      <source>Unit polygons</source>
      <translation>Unit polygons</translation>
    </message>
    <message>
      <source>How far a single marker may stand from its line (m; 0: the rule's 1.0 m)</source>
      <translation>How far a single marker may stand from its line (m; 0: the rule's 1.0 m)</translation>
    </message>
    <message>
      <source>Unit polygons (代码, 名称, 上级代码)</source>
      <translation>Unit polygons (代码, 名称, 上级代码)</translation>
    </message>
    <message>
      <source>Parent polygons (the units must tile them)</source>
      <translation>Parent polygons (the units must tile them)</translation>
    </message>
    <message>
      <source>Boundary lines (every shared edge on a line naming its units)</source>
      <translation>Boundary lines (every shared edge on a line naming its units)</translation>
    </message>
    <message>
      <source>Report gaps narrower than (m; 0: off)</source>
      <translation>Report gaps narrower than (m; 0: off)</translation>
    </message>
    <message>
      <source>Report gaps smaller than (m²; 0: off)</source>
      <translation>Report gaps smaller than (m²; 0: off)</translation>
    </message>
    <message>
      <source>Vertices closer than this count as the same (m)</source>
      <translation>Vertices closer than this count as the same (m)</translation>
    </message>
    <message>
      <source>Junctions (points where three or more units meet)</source>
      <translation>Junctions (points where three or more units meet)</translation>
    </message>
    <message>
      <source>Report</source>
      <translation>Report</translation>
    </message>
    <message>
      <source>Field observations (a field app's GeoPackage, a spreadsheet or CSV)</source>
      <translation>Field observations (a field app's GeoPackage, a spreadsheet or CSV)</translation>
    </message>
    <message>
      <source>Lines to inspect, by code (empty: every line the observations name)</source>
      <translation>Lines to inspect, by code (empty: every line the observations name)</translation>
    </message>
    <message>
      <source>…or the marker register (without an archive)</source>
      <translation>…or the marker register (without an archive)</translation>
    </message>
    <message>
      <source>…and the boundary lines (without an archive)</source>
      <translation>…and the boundary lines (without an archive)</translation>
    </message>
    <message>
      <source>…and the units, for the names of each side</source>
      <translation>…and the units, for the names of each side</translation>
    </message>
    <message>
      <source>Re-surveyed lines (compared with the archived ones)</source>
      <translation>Re-surveyed lines (compared with the archived ones)</translation>
    </message>
    <message>
      <source>Displacement tolerance (m; 0: the rule's 0.5 m)</source>
      <translation>Displacement tolerance (m; 0: the rule's 0.5 m)</translation>
    </message>
    <message>
      <source>Report date (YYYY-MM-DD; empty: today)</source>
      <translation>Report date (YYYY-MM-DD; empty: today)</translation>
    </message>
    <message>
      <source>Record the inspection in the archive</source>
      <translation>Record the inspection in the archive</translation>
    </message>
    <message>
      <source>Who records</source>
      <translation>Who records</translation>
    </message>
    <message>
      <source>HTML (*.html)</source>
      <translation>HTML (*.html)</translation>
    </message>
    <message>
      <source>Open the report in the browser</source>
      <translation>Open the report in the browser</translation>
    </message>
    <message>
      <source>Give the archive, or the marker register and the boundary lines</source>
      <translation>Give the archive, or the marker register and the boundary lines</translation>
    </message>
    <message>
      <source>The day to judge by (YYYY-MM-DD; empty: today)</source>
      <translation>The day to judge by (YYYY-MM-DD; empty: today)</translation>
    </message>
    <message>
      <source>Status of every line</source>
      <translation>Status of every line</translation>
    </message>
    <message>
      <source>Overview (a map and the table)</source>
      <translation>Overview (a map and the table)</translation>
    </message>
    <message>
      <source>Load the status into the project (styled, in a group)</source>
      <translation>Load the status into the project (styled, in a group)</translation>
    </message>
    <message>
      <source>Lines overdue</source>
      <translation>Lines overdue</translation>
    </message>
    <message>
      <source>Lines never inspected</source>
      <translation>Lines never inspected</translation>
    </message>
    <message>
      <source>A folder (every file under it)</source>
      <translation>A folder (every file under it)</translation>
    </message>
    <message>
      <source>…and/or files (registers, lines, units, catalogues, scans, zips)</source>
      <translation>…and/or files (registers, lines, units, catalogues, scans, zips)</translation>
    </message>
    <message>
      <source>Create the SpatiaLite archive when it does not exist</source>
      <translation>Create the SpatiaLite archive when it does not exist</translation>
    </message>
    <message>
      <source>What the files hold</source>
      <translation>What the files hold</translation>
    </message>
    <message>
      <source>When a finding is an error</source>
      <translation>When a finding is an error</translation>
    </message>
    <message>
      <source>Who imports</source>
      <translation>Who imports</translation>
    </message>
    <message>
      <source>Check and count only, load nothing</source>
      <translation>Check and count only, load nothing</translation>
    </message>
    <message>
      <source>Records new</source>
      <translation>Records new</translation>
    </message>
    <message>
      <source>Records changed (new version)</source>
      <translation>Records changed (new version)</translation>
    </message>
    <message>
      <source>Records unchanged</source>
      <translation>Records unchanged</translation>
    </message>
    <message>
      <source>Records rejected</source>
      <translation>Records rejected</translation>
    </message>
    <message>
      <source>Records quarantined</source>
      <translation>Records quarantined</translation>
    </message>
    <message>
      <source>Batch</source>
      <translation>Batch</translation>
    </message>
    <message>
      <source>Give a folder or files to import</source>
      <translation>Give a folder or files to import</translation>
    </message>
    <message>
      <source>Findings: {} errors, {} warnings, {} info</source>
      <translation>Findings: {} errors, {} warnings, {} info</translation>
    </message>
    <message>
      <source>provincial (4-digit line code + 001 + Q/A/B/C)</source>
      <translation>provincial (4-digit line code + 001 + Q/A/B/C)</translation>
    </message>
    <message>
      <source>county</source>
      <translation>county</translation>
    </message>
    <message>
      <source>township (105-104 + 001 + Q/A/B/C)</source>
      <translation>township (105-104 + 001 + Q/A/B/C)</translation>
    </message>
    <message>
      <source>Give the archive: a SpatiaLite file or a PostGIS connection</source>
      <translation>Give the archive: a SpatiaLite file or a PostGIS connection</translation>
    </message>
    <message>
      <source>SpatiaLite (*.sqlite *.db)</source>
      <translation>SpatiaLite (*.sqlite *.db)</translation>
    </message>
    <message>
      <source>basic</source>
      <translation>basic</translation>
    </message>
    <message>
      <source>census</source>
      <translation>census</translation>
    </message>
    <message>
      <source>standard</source>
      <translation>standard</translation>
    </message>
    <message>
      <source>sign (capitals)</source>
      <translation>sign (capitals)</translation>
    </message>
    <message>
      <source>Recording needs the archive</source>
      <translation>Recording needs the archive</translation>
    </message>
    <message>
      <source>Line status</source>
      <translation>Line status</translation>
    </message>
    <message>
      <source>reject the batch</source>
      <translation>reject the batch</translation>
    </message>
    <message>
      <source>quarantine those records</source>
      <translation>quarantine those records</translation>
    </message>
    <message>
      <source>accept, findings kept</source>
      <translation>accept, findings kept</translation>
    </message>
    <message>
      <source>Batch {}: {} new, {} changed, {} unchanged, {} rejected, {} quarantined; committed: {}</source>
      <translation>Batch {}: {} new, {} changed, {} unchanged, {} rejected, {} quarantined; committed: {}</translation>
    </message>
    <message>
      <source>The layer has a field {} already</source>
      <translation>The layer has a field {} already</translation>
    </message>
    <message>
      <source>geoadmin returned {} romanizations for {} names</source>
      <translation>geoadmin returned {} romanizations for {} names</translation>
    </message>
    <message>
      <source>geoadmin: administrative divisions and place names</source>
      <translation>geoadmin: administrative divisions and place names</translation>
    </message>
    <message>
      <source>geoadmin program (empty: found on PATH)</source>
      <translation>geoadmin program (empty: found on PATH)</translation>
    </message>
    <message>
      <source>Findings (points)</source>
      <translation>Findings (points)</translation>
    </message>
    <message>
      <source>Findings (lines)</source>
      <translation>Findings (lines)</translation>
    </message>
    <message>
      <source>Findings (areas)</source>
      <translation>Findings (areas)</translation>
    </message>
    <message>
      <source>Findings (no geometry)</source>
      <translation>Findings (no geometry)</translation>
    </message>
    <message>
      <source>The geoadmin program was not found on PATH. Install it (cmake --install), or set its path in Processing › Options › Providers › geoadmin.</source>
      <translation>The geoadmin program was not found on PATH. Install it (cmake --install), or set its path in Processing › Options › Providers › geoadmin.</translation>
    </message>
    <message>
      <source>Canceled: geoadmin was stopped.</source>
      <translation>Canceled: geoadmin was stopped.</translation>
    </message>
    <message>
      <source>The geoadmin program set in Processing › Options › Providers › geoadmin is not an executable file: {}</source>
      <translation>The geoadmin program set in Processing › Options › Providers › geoadmin is not an executable file: {}</translation>
    </message>
    <message>
      <source>geoadmin ended with exit code {} ({}): {}</source>
      <translation>geoadmin ended with exit code {} ({}): {}</translation>
    </message>
  </context>
</TS>
