-- geoadmin archive schema, version 2: joint inspections (geoadmin inspect --record). An
-- inspection is kept once per content (the SHA-256 of its observations and the lines it
-- covers): recording it again adds nothing. Nothing here is ever updated or deleted.

CREATE TABLE inspections (
  id ${ID},
  content_sha256 TEXT NOT NULL UNIQUE,
  lines TEXT NOT NULL,
  first_date TEXT,
  last_date TEXT,
  inspectors TEXT,
  observations TEXT NOT NULL,
  tolerance ${REAL} NOT NULL,
  recorded_at TEXT NOT NULL,
  operator TEXT,
  program_version TEXT NOT NULL
);

-- Each inspected line: the figures and the verdict.
CREATE TABLE inspection_lines (
  id ${ID},
  inspection_id ${INT} NOT NULL REFERENCES inspections (id),
  line_code TEXT NOT NULL,
  inspected_on TEXT,
  verdict TEXT NOT NULL CHECK (verdict IN ('in_order', 'work_needed', 'resurvey_needed')),
  registered ${INT} NOT NULL,
  observed ${INT} NOT NULL,
  intact ${INT} NOT NULL,
  damaged ${INT} NOT NULL,
  lost ${INT} NOT NULL,
  displaced ${INT} NOT NULL,
  not_observed ${INT} NOT NULL,
  unknown ${INT} NOT NULL,
  open_work ${INT} NOT NULL,
  UNIQUE (inspection_id, line_code)
);
CREATE INDEX inspection_lines_line ON inspection_lines (line_code, inspected_on);

-- Every marker of an inspected line: found or not, its condition, the re-measured
-- position (geom) and its offset from the registered one, the work it needs.
CREATE TABLE inspection_markers (
  id ${ID},
  inspection_id ${INT} NOT NULL REFERENCES inspections (id),
  line_code TEXT NOT NULL,
  marker_no TEXT NOT NULL,
  registered INTEGER NOT NULL,
  observed INTEGER NOT NULL,
  condition TEXT,
  observed_on TEXT,
  inspectors TEXT,
  dx ${REAL},
  dy ${REAL},
  displacement ${REAL},
  work TEXT NOT NULL,
  photos TEXT,
  notes TEXT
);
CREATE INDEX inspection_markers_marker ON inspection_markers (line_code, marker_no);
-- @geometry inspection_markers geom POINT 4490

-- What changed along the lines.
CREATE TABLE inspection_changes (
  id ${ID},
  inspection_id ${INT} NOT NULL REFERENCES inspections (id),
  line_code TEXT NOT NULL,
  kind TEXT NOT NULL,
  distance ${REAL} NOT NULL,
  crosses INTEGER NOT NULL,
  observed_on TEXT,
  notes TEXT
);
-- @geometry inspection_changes geom GEOMETRY 4490
