-- geoadmin archive schema, version 1: divisions, units, lines, markers, place names,
-- documents and their catalogue (DA/T 18), imports with their files and findings, and the
-- quarantine. One schema for SpatiaLite and PostGIS (docs/archive.md):
--
--   ${ID}     an integer key the database numbers    ${INT}   a 64-bit integer
--   ${REAL}   a double                               ${BLOB}  bytes (BLOB / BYTEA)
--   -- @geometry TABLE COLUMN TYPE SRID   adds a registered geometry column with a
--                                         spatial index (QGIS opens the table directly)
--   -- @only spatialite|postgis           the next statement is for that database only
--
-- Statements end with ';' at the end of a line. Times are ISO 8601 text in UTC
-- ('2026-11-30T18:55:26.042Z'), dates 'YYYY-MM-DD': the same comparisons on both databases.
--
-- History: a versioned table never overwrites or deletes. A changed record closes its
-- current version (valid_to = the import's time) and adds a new one (valid_from = the
-- same time); the current version has valid_to NULL, and at most one exists per key
-- (the partial unique indexes below). record_hash is the SHA-256 of the record's
-- canonical content: an import that brings the same content adds nothing.

CREATE TABLE geoadmin_schema (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL,
  program_version TEXT NOT NULL
);

-- One row per import batch (geoadmin import): who, when, from where, with what program,
-- how it went. A batch is one transaction: a row here means its records are in.
CREATE TABLE imports (
  id ${ID},
  batch_id TEXT NOT NULL UNIQUE,
  operator TEXT,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  sources TEXT NOT NULL,
  on_error TEXT NOT NULL CHECK (on_error IN ('reject', 'quarantine', 'accept')),
  program_version TEXT NOT NULL,
  files ${INT} NOT NULL DEFAULT 0,
  records_new ${INT} NOT NULL DEFAULT 0,
  records_changed ${INT} NOT NULL DEFAULT 0,
  records_unchanged ${INT} NOT NULL DEFAULT 0,
  records_rejected ${INT} NOT NULL DEFAULT 0,
  records_quarantined ${INT} NOT NULL DEFAULT 0,
  findings_error ${INT} NOT NULL DEFAULT 0,
  findings_warning ${INT} NOT NULL DEFAULT 0,
  findings_info ${INT} NOT NULL DEFAULT 0,
  summary TEXT
);

-- Every file of a batch, with its content hash: the same file imported again is known.
CREATE TABLE import_files (
  id ${ID},
  import_id ${INT} NOT NULL REFERENCES imports (id),
  path TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  size ${INT} NOT NULL,
  kind TEXT NOT NULL,
  layer TEXT,
  records ${INT} NOT NULL DEFAULT 0,
  status TEXT NOT NULL CHECK (status IN ('loaded', 'unchanged', 'rejected', 'quarantined',
                                         'unreadable', 'skipped')),
  UNIQUE (import_id, path, layer)
);
CREATE INDEX import_files_sha256 ON import_files (sha256);

-- The findings of each import, as the check commands write them.
CREATE TABLE import_findings (
  id ${ID},
  import_id ${INT} NOT NULL REFERENCES imports (id),
  file_id ${INT} REFERENCES import_files (id),
  rule TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('error', 'warning', 'info')),
  dataset TEXT,
  feature TEXT,
  record_key TEXT,
  field TEXT,
  message_zh TEXT NOT NULL,
  message_en TEXT NOT NULL,
  finding TEXT NOT NULL
);
CREATE INDEX import_findings_import ON import_findings (import_id);
-- @geometry import_findings geom GEOMETRY 4490

-- Records with error-level findings under --on-error quarantine: the record as read
-- (JSON of its fields) and its findings, kept until someone decides.
CREATE TABLE quarantine (
  id ${ID},
  import_id ${INT} NOT NULL REFERENCES imports (id),
  file_id ${INT} REFERENCES import_files (id),
  kind TEXT NOT NULL,
  feature TEXT,
  record_key TEXT,
  record TEXT NOT NULL,
  findings TEXT NOT NULL,
  released_at TEXT
);

-- Administrative divisions (区划): code, name, level, parent, and when each version held.
CREATE TABLE divisions (
  id ${ID},
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  level TEXT NOT NULL CHECK (level IN ('province', 'prefecture', 'county', 'township',
                                       'village')),
  parent_code TEXT,
  valid_from TEXT NOT NULL,
  valid_to TEXT,
  record_hash TEXT NOT NULL,
  import_id ${INT} NOT NULL REFERENCES imports (id)
);
CREATE UNIQUE INDEX divisions_current ON divisions (code) WHERE valid_to IS NULL;
CREATE INDEX divisions_code ON divisions (code, valid_from);

-- Unit polygons (the area of a division), one row per version.
CREATE TABLE units (
  id ${ID},
  code TEXT NOT NULL,
  name TEXT,
  level TEXT,
  valid_from TEXT NOT NULL,
  valid_to TEXT,
  record_hash TEXT NOT NULL,
  import_id ${INT} NOT NULL REFERENCES imports (id),
  attributes TEXT
);
CREATE UNIQUE INDEX units_current ON units (code) WHERE valid_to IS NULL;
CREATE INDEX units_code ON units (code, valid_from);
-- @geometry units geom MULTIPOLYGON 4490

-- Boundary lines (界线): the units on each side, the agreement (界线协议书) date.
CREATE TABLE lines (
  id ${ID},
  code TEXT NOT NULL,
  name TEXT,
  level TEXT,
  left_code TEXT,
  right_code TEXT,
  agreement_date TEXT,
  valid_from TEXT NOT NULL,
  valid_to TEXT,
  record_hash TEXT NOT NULL,
  import_id ${INT} NOT NULL REFERENCES imports (id),
  attributes TEXT
);
CREATE UNIQUE INDEX lines_current ON lines (code) WHERE valid_to IS NULL;
CREATE INDEX lines_code ON lines (code, valid_from);
-- @geometry lines geom MULTILINESTRING 4490

-- Boundary markers (界桩): every register column kept (attributes, JSON, with the
-- register's own headers), the position in CGCS2000 (geom, lon/lat) and in the GK zone.
CREATE TABLE markers (
  id ${ID},
  line_code TEXT NOT NULL,
  marker_no TEXT NOT NULL,
  kind TEXT,
  material TEXT,
  built_on TEXT,
  lon ${REAL},
  lat ${REAL},
  gk_x ${REAL},
  gk_y ${REAL},
  gk_epsg INTEGER,
  elevation ${REAL},
  valid_from TEXT NOT NULL,
  valid_to TEXT,
  record_hash TEXT NOT NULL,
  import_id ${INT} NOT NULL REFERENCES imports (id),
  attributes TEXT
);
CREATE UNIQUE INDEX markers_current ON markers (line_code, marker_no) WHERE valid_to IS NULL;
CREATE INDEX markers_key ON markers (line_code, marker_no, valid_from);
-- @geometry markers geom POINT 4490

-- Place names (地名): the census fields as the names check reads them.
CREATE TABLE place_names (
  id ${ID},
  code TEXT NOT NULL,
  name TEXT,
  category TEXT,
  admin_code TEXT,
  romanization TEXT,
  valid_from TEXT NOT NULL,
  valid_to TEXT,
  record_hash TEXT NOT NULL,
  import_id ${INT} NOT NULL REFERENCES imports (id),
  attributes TEXT
);
CREATE UNIQUE INDEX place_names_current ON place_names (code) WHERE valid_to IS NULL;
CREATE INDEX place_names_code ON place_names (code, valid_from);
-- @geometry place_names geom POINT 4490

-- Documents (agreements, attached maps, line descriptions, registers, photos, inspection
-- records): the file's bytes in the database, once per content (sha256). The archive is
-- one self-contained database that a backup or a hand-over copies whole; a store beside
-- it could drift from the rows that describe it.
CREATE TABLE documents (
  id ${ID},
  sha256 TEXT NOT NULL UNIQUE,
  size ${INT} NOT NULL,
  media_type TEXT NOT NULL,
  pages INTEGER,
  content ${BLOB} NOT NULL,
  import_id ${INT} NOT NULL REFERENCES imports (id)
);

-- What a document is and where it belongs: its kind, title, original file name, and the
-- line or unit it documents. One document may be filed under several lines.
CREATE TABLE document_links (
  id ${ID},
  document_id ${INT} NOT NULL REFERENCES documents (id),
  kind TEXT NOT NULL CHECK (kind IN ('agreement', 'agreement_map', 'line_description',
                                     'marker_register', 'marker_results', 'photo',
                                     'inspection', 'catalogue', 'other')),
  title TEXT,
  original_name TEXT NOT NULL,
  line_code TEXT,
  unit_code TEXT,
  import_id ${INT} NOT NULL REFERENCES imports (id),
  UNIQUE (document_id, original_name, line_code, unit_code)
);
CREATE INDEX document_links_line ON document_links (line_code);

-- The catalogue of archival description (DA/T 18): 档号 archive number, 题名 title,
-- 责任者 responsible party, date, pages, 保管期限 retention, 密级 classification; tied to
-- its line or unit and, when scanned, to its document.
CREATE TABLE catalogue (
  id ${ID},
  archive_no TEXT NOT NULL,
  title TEXT NOT NULL,
  responsible TEXT,
  doc_date TEXT,
  pages INTEGER,
  retention TEXT,
  classification TEXT,
  volume_no TEXT,
  item_no TEXT,
  line_code TEXT,
  unit_code TEXT,
  document_id ${INT} REFERENCES documents (id),
  valid_from TEXT NOT NULL,
  valid_to TEXT,
  record_hash TEXT NOT NULL,
  import_id ${INT} NOT NULL REFERENCES imports (id),
  attributes TEXT
);
CREATE UNIQUE INDEX catalogue_current ON catalogue (archive_no) WHERE valid_to IS NULL;
CREATE INDEX catalogue_no ON catalogue (archive_no, valid_from);

-- Today's state: the current version of every record.
CREATE VIEW current_divisions AS SELECT * FROM divisions WHERE valid_to IS NULL;
CREATE VIEW current_units AS SELECT * FROM units WHERE valid_to IS NULL;
CREATE VIEW current_lines AS SELECT * FROM lines WHERE valid_to IS NULL;
CREATE VIEW current_markers AS SELECT * FROM markers WHERE valid_to IS NULL;
CREATE VIEW current_place_names AS SELECT * FROM place_names WHERE valid_to IS NULL;
CREATE VIEW current_catalogue AS SELECT * FROM catalogue WHERE valid_to IS NULL;
-- SpatiaLite registers a view's geometry for QGIS; PostGIS finds it by itself.
-- @view-geometry current_units geom units
-- @view-geometry current_lines geom lines
-- @view-geometry current_markers geom markers
-- @view-geometry current_place_names geom place_names
