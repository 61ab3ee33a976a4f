#!/usr/bin/python3
"""Builds the example county in this folder: 安吉县 (Anji county, Zhejiang, 330523).

Real inputs (../../../shared/data, see README.md for sources and licences):
  - the county outline (zhejiang-counties-gcj02, GCJ-02),
  - the 15 township-level units with their codes, names and seat points, and the
    villages with their points (nbs-codes-2016, GCJ-02).
Made here, and documented as such:
  - township polygons: unions of the Voronoi cells of each township's seat and villages,
    clipped to the county outline
    (the real township boundaries are not public), so neighbours share edges exactly;
  - boundary lines: the shared edges of neighbouring townships, with the unit on each side;
  - a marker register: a single marker (Q) at the middle of every line and a triple
    (C, D, E) at every point where three townships meet, in CGCS2000 3-degree
    Gauss-Kruger zone 40 with the zone prefix (X = northing, Y = easting), GBK encoded.
All output is CGCS2000: GCJ-02 input is converted with the inverse of the published
GCJ-02 formula. Run with Debian's python3 and python3-gdal: /usr/bin/python3 make_anji.py
"""
import csv
import io
import math
import os
import random

from osgeo import gdal, ogr, osr

gdal.UseExceptions()
HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.join(HERE, "..", "..", "..", "shared", "data")
COUNTY = "330523"
random.seed(330523)


def gcj_offset(lon, lat):
    a, ee = 6378245.0, 0.00669342162296594323
    x, y = lon - 105.0, lat - 35.0
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    dlat += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    dlat += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    dlat += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    dlon += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    dlon += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    dlon += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    rad = lat / 180.0 * math.pi
    magic = 1 - ee * math.sin(rad) ** 2
    dlat = (dlat * 180.0) / ((a * (1 - ee)) / (magic * math.sqrt(magic)) * math.pi)
    dlon = (dlon * 180.0) / (a / math.sqrt(magic) * math.cos(rad) * math.pi)
    return dlon, dlat


def gcj_to_cgcs(lon, lat):
    wlon, wlat = lon, lat
    for _ in range(30):
        dlon, dlat = gcj_offset(wlon, wlat)
        elon, elat = lon - (wlon + dlon), lat - (wlat + dlat)
        wlon, wlat = wlon + elon, wlat + elat
        if abs(elon) < 1e-10 and abs(elat) < 1e-10:
            break
    return wlon, wlat


def convert_geometry(g):
    """GCJ-02 -> CGCS2000, vertex by vertex."""
    g = g.Clone()
    def walk(geom):
        if geom.GetGeometryCount() > 0:
            for i in range(geom.GetGeometryCount()):
                walk(geom.GetGeometryRef(i))
            return
        for i in range(geom.GetPointCount()):
            x, y = geom.GetX(i), geom.GetY(i)
            geom.SetPoint_2D(i, *gcj_to_cgcs(x, y))
    walk(g)
    return g


def srs(epsg):
    s = osr.SpatialReference()
    s.ImportFromEPSG(epsg)
    s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return s


CGCS2000, GK40 = srs(4490), srs(4528)
to_gk = osr.CoordinateTransformation(CGCS2000, GK40)

# ---- inputs
ds = ogr.Open(os.path.join(SHARED, "zhejiang-counties-gcj02", "zhejiang_county_gcj02.geojson"))
layer = ds.GetLayer(0)
county = None
for f in layer:
    if f.GetField("adcode") == COUNTY:
        county = convert_geometry(f.GetGeometryRef())
county = county.SimplifyPreserveTopology(0.0005)
county.Transform(to_gk)

towns, villages = [], []
with open(os.path.join(SHARED, "nbs-codes-2016", "adcode_zhejiang_all_levels_2016.csv"), encoding="utf-8") as fh:
    for row in csv.DictReader(fh):
        if not row["code"].startswith(COUNTY):
            continue
        # Many village records of the census tables carry no point: keep them, blank.
        lon = lat = None
        if row["longitude"]:
            lon, lat = gcj_to_cgcs(float(row["longitude"]), float(row["latitude"]))
        if row["level"] == "town" and lon is not None:
            towns.append((row["code"][:9], row["name"], lon, lat))
        elif row["level"] == "village":
            villages.append((row["code"], row["name"], row["code"][:9], lon, lat))

# ---- township polygons: Voronoi cells of the seats, clipped to the county
seats = ogr.Geometry(ogr.wkbMultiPoint)
points = {}
for code, name, lon, lat in towns:
    p = ogr.Geometry(ogr.wkbPoint)
    p.AddPoint_2D(lon, lat)
    p.Transform(to_gk)
    points[code] = p
    seats.AddGeometry(p)
def half_plane(p, q, size=1.0e6):
    """The side of the perpendicular bisector of p-q that holds p, as a big polygon."""
    mx, my = (p.GetX() + q.GetX()) / 2, (p.GetY() + q.GetY()) / 2
    dx, dy = p.GetX() - q.GetX(), p.GetY() - q.GetY()
    n = math.hypot(dx, dy)
    dx, dy = dx / n, dy / n
    tx, ty = -dy, dx
    ring = ogr.Geometry(ogr.wkbLinearRing)
    for a, b in ((size, 0), (size, size), (-size, size), (-size, 0), (size, 0)):
        ring.AddPoint_2D(mx + tx * a + dx * b, my + ty * a + dy * b)
    poly = ogr.Geometry(ogr.wkbPolygon)
    poly.AddGeometry(ring)
    return poly


def snap(geom, grid=0.001):
    """Round every vertex to the millimetre so that neighbours share vertices exactly."""
    wkt = geom.ExportToWkt()
    import re
    wkt = re.sub(r"-?\d+\.\d+|-?\d+", lambda m: "%.3f" % (round(float(m.group()) / grid) * grid), wkt)
    return ogr.CreateGeometryFromWkt(wkt)


# Voronoi cells by intersecting half-planes (GDAL 3.6's Python has no VoronoiDiagram),
# one per point: every township seat and every village with a point. A township is the
# union of the cells of its seat and its own villages, clipped to the county: each village
# lies in its own township (township boundaries are not public; this keeps the example
# true to its own place names).
sites = [(code, points[code]) for code, _, _, _ in towns]
for vcode, _, town, lon, lat in villages:
    if lon is None or town not in points:
        continue
    p = ogr.Geometry(ogr.wkbPoint)
    p.AddPoint_2D(lon, lat)
    p.Transform(to_gk)
    sites.append((town, p))
frame = county.Buffer(5000).GetEnvelope()
frame = ogr.CreateGeometryFromWkt("POLYGON ((%f %f,%f %f,%f %f,%f %f,%f %f))" % (
    frame[0], frame[2], frame[1], frame[2], frame[1], frame[3], frame[0], frame[3], frame[0],
    frame[2]))
cells = {}
for i, (town, p) in enumerate(sites):
    # The 40 nearest sites bound a cell here many times over (a township is a few km).
    near = sorted(range(len(sites)), key=lambda j: p.Distance(sites[j][1]))[1:41]
    cell = frame.Clone()
    for j in near:
        q = sites[j][1]
        if q.Distance(p) > 0:
            cell = cell.Intersection(half_plane(p, q))
    cells.setdefault(town, []).append(snap(cell))
units = []
for code, name, lon, lat in towns:
    union = ogr.Geometry(ogr.wkbMultiPolygon)
    for c in cells[code]:
        union.AddGeometry(c)
    piece = snap(snap(union.UnionCascaded()).Intersection(county))
    if piece is not None and not piece.IsEmpty():
        units.append((code, name, piece))
units.sort()

def create(path, driver, layer_name, geom_type, fields, lco=None):
    if os.path.exists(path):
        ogr.GetDriverByName(driver).DeleteDataSource(path)
    out = ogr.GetDriverByName(driver).CreateDataSource(path)
    lyr = out.CreateLayer(layer_name, GK40, geom_type, options=lco or [])
    for name in fields:
        lyr.CreateField(ogr.FieldDefn(name, ogr.OFTString))
    return out, lyr

# Townships as many users have them: a GBK shapefile without .cpg.
out, lyr = create(os.path.join(HERE, "townships.shp"), "ESRI Shapefile", "townships",
                  ogr.wkbMultiPolygon, ["代码", "名称", "上级代码", "上级名称"], ["ENCODING=CP936"])
for code, name, geom in units:
    f = ogr.Feature(lyr.GetLayerDefn())
    f.SetField("代码", code)
    f.SetField("名称", name)
    f.SetField("上级代码", COUNTY)
    f.SetField("上级名称", "安吉县")
    f.SetGeometry(ogr.ForceToMultiPolygon(geom))
    lyr.CreateFeature(f)
out = None
os.remove(os.path.join(HERE, "townships.cpg"))
with open(os.path.join(HERE, "townships.dbf"), "r+b") as dbf:  # clear the language id
    dbf.seek(29)
    dbf.write(b"\x00")

# ---- boundary lines: shared edges, with the unit on each side
def merge_segments(geom):
    """Chains the pieces of a boundary intersection into as few lines as possible."""
    segs = []
    def collect(g):
        if g.GetGeometryCount() > 0:
            for k in range(g.GetGeometryCount()):
                collect(g.GetGeometryRef(k))
        elif g.GetPointCount() >= 2:
            segs.append([(g.GetX(k), g.GetY(k)) for k in range(g.GetPointCount())])
    collect(geom)
    chains = []
    while segs:
        chain = segs.pop(0)
        grown = True
        while grown:
            grown = False
            for k, seg in enumerate(segs):
                if seg[0] == chain[-1]:
                    chain += seg[1:]
                elif seg[-1] == chain[-1]:
                    chain += seg[::-1][1:]
                elif seg[-1] == chain[0]:
                    chain = seg[:-1] + chain
                elif seg[0] == chain[0]:
                    chain = seg[::-1][:-1] + chain
                else:
                    continue
                segs.pop(k)
                grown = True
                break
        chains.append(chain)
    out = ogr.Geometry(ogr.wkbMultiLineString)
    for chain in chains:
        line = ogr.Geometry(ogr.wkbLineString)
        for x, y in chain:
            line.AddPoint_2D(x, y)
        out.AddGeometry(line)
    return out


lines = []
for i in range(len(units)):
    for j in range(i + 1, len(units)):
        shared = units[i][2].Boundary().Intersection(units[j][2].Boundary())
        if shared is None or shared.IsEmpty() or shared.Length() < 1.0:
            continue
        merged = merge_segments(shared)
        lines.append((units[i], units[j], merged))

out, lyr = create(os.path.join(HERE, "boundary_lines.gpkg"), "GPKG", "boundary_lines",
                  ogr.wkbMultiLineString, ["界线编号", "界线名称", "左侧单位", "左侧单位名称", "右侧单位", "右侧单位名称"])
line_rows = []
for n, (a, b, geom) in enumerate(lines, start=1):
    geom = ogr.ForceToMultiLineString(geom)
    first = geom.GetGeometryRef(0)
    # Which unit lies to the left of the line's first segment?
    x0, y0 = first.GetX(0), first.GetY(0)
    x1, y1 = first.GetX(1), first.GetY(1)
    mx, my, dx, dy = (x0 + x1) / 2, (y0 + y1) / 2, x1 - x0, y1 - y0
    length = math.hypot(dx, dy) or 1.0
    probe = ogr.Geometry(ogr.wkbPoint)
    probe.AddPoint_2D(mx - dy / length * 2.0, my + dx / length * 2.0)
    left, right = (a, b) if a[2].Contains(probe) else (b, a)
    code = "%s-%s" % (left[0][6:], right[0][6:])
    f = ogr.Feature(lyr.GetLayerDefn())
    f.SetField("界线编号", code)
    f.SetField("界线名称", "%s—%s界线" % (left[1], right[1]))
    f.SetField("左侧单位", left[0])
    f.SetField("左侧单位名称", left[1])
    f.SetField("右侧单位", right[0])
    f.SetField("右侧单位名称", right[1])
    f.SetGeometry(geom)
    lyr.CreateFeature(f)
    line_rows.append((code, left, right, geom))
out = None

# ---- marker register (界桩登记表), GBK CSV with Chinese headers
to_lonlat = osr.CoordinateTransformation(GK40, CGCS2000)
REFS = ["电杆", "桥头", "水渠拐角", "独立树", "房角", "路口", "水塔", "坟包", "田埂交叉"]

def dms(value):
    d = int(value)
    m = int((value - d) * 60)
    s = (value - d - m / 60) * 3600
    return "%d°%02d′%05.2f″" % (d, m, s)

def marker_row(number, line_code, kind, x, y, left, right, faces):
    lon, lat, _ = to_lonlat.TransformPoint(x, y)
    refs = []
    for k in range(3):
        refs += [random.choice(REFS), "%.1f" % random.uniform(0, 359.9), "%.1f" % random.uniform(8, 120)]
    return [number, line_code, kind, "混凝土", str(faces), "%.3f" % y, "%.3f" % x, dms(lon), dms(lat),
            "%.2f" % random.uniform(15, 650), "%s与%s交界处" % (left, right)] + refs + \
           ["2009-%02d-%02d" % (random.randint(3, 11), random.randint(1, 28)), "完好"]

header = ["界桩编号", "界线编号", "类型", "材质", "面数", "X坐标", "Y坐标", "经度", "纬度", "高程", "位置说明",
          "方位物1", "方位物1方位角", "方位物1距离", "方位物2", "方位物2方位角", "方位物2距离",
          "方位物3", "方位物3方位角", "方位物3距离", "埋设日期", "状况"]
def terrain(x, y):
    """A smooth made-up elevation (metres) so neighbouring markers have similar heights."""
    return 120 + 180 * math.sin(x / 9000.0) * math.cos(y / 11000.0) + 0.002 * (y % 5000)


# Junctions: line ends where three or more townships meet (inside the county).
def units_at(x, y):
    p = ogr.Geometry(ogr.wkbPoint)
    p.AddPoint_2D(x, y)
    return [u for u in units if u[2].Boundary().Distance(p) < 0.01]

rows = []
junction_done = set()
junction_count = 0
for n, (code, left, right, geom) in enumerate(line_rows):
    # Walk the line from its west end (north end when it runs more north-south), as the
    # numbering does: 001 at that end, increasing along the line.
    parts = []
    for part in range(geom.GetGeometryCount()):
        g = geom.GetGeometryRef(part)
        parts.append([(g.GetX(k), g.GetY(k)) for k in range(g.GetPointCount())])
    (x0, y0), (x1, y1) = parts[0][0], parts[-1][-1]
    east_west = abs(x1 - x0) >= abs(y1 - y0)
    if (x0 > x1) if east_west else (y0 < y1):
        parts = [list(reversed(p)) for p in reversed(parts)]
    pieces = []
    for p in parts:
        piece = ogr.Geometry(ogr.wkbLineString)
        for x, y in p:
            piece.AddPoint_2D(x, y)
        pieces.append(piece)
    pts = [xy for p in parts for xy in p]

    class Walk:
        """Positions along the parts of a line, measured without the gaps between parts."""
        def Length(self):
            return sum(p.Length() for p in pieces)
        def Value(self, at):
            for p in pieces:
                if at <= p.Length():
                    return p.Value(at)
                at -= p.Length()
            return pieces[-1].Value(pieces[-1].Length())
    line = Walk()
    seq = 0
    def add(kind, letters, positions, faces):
        global seq
        seq += 1
        for letter, (x, y) in zip(letters, positions):
            row = marker_row("%s%03d%s" % (code, seq, letter), code, kind, x, y, left[1], right[1], faces)
            row[9] = "%.2f" % terrain(x, y)
            rows.append(row)
    def triple_at(x, y):
        global junction_count
        key = (round(x, 1), round(y, 1))
        if key in junction_done or county.Boundary().Distance(ogr.CreateGeometryFromWkt("POINT (%f %f)" % (x, y))) < 1.0:
            return
        if len(units_at(x, y)) < 3:
            return
        junction_done.add(key)
        junction_count += 1
        # The three stakes of a triple stand a few metres apart around the node.
        add("同号三立", "CDE", [(x + 3 * math.cos(a), y + 3 * math.sin(a)) for a in (1.57, 3.67, 5.76)], 3)
    triple_at(*pts[0])
    length = line.Length()
    stops = max(1, int(length // 2500))
    for k in range(stops):
        at = line.Value(length * (k + 0.5) / stops)
        if n % 4 == 3 and k == stops // 2:
            # A boundary river here: a same-number pair, one stake on each bank.
            before = line.Value(max(0.0, length * (k + 0.5) / stops - 5))
            dx, dy = at.GetX() - before.GetX(), at.GetY() - before.GetY()
            d = math.hypot(dx, dy) or 1.0
            nx, ny = -dy / d * 15, dx / d * 15
            add("同号双立", "AB", [(at.GetX() + nx, at.GetY() + ny), (at.GetX() - nx, at.GetY() - ny)], 2)
        else:
            add("单立", "Q", [(at.GetX(), at.GetY())], 2)
    triple_at(*pts[-1])
buffer = io.StringIO()
w = csv.writer(buffer, lineterminator="\r\n")
w.writerow(header)
w.writerows(rows)
with open(os.path.join(HERE, "markers.csv"), "wb") as fh:
    fh.write(buffer.getvalue().encode("gbk"))

# ---- place names (villages), a spreadsheet with the census form's headers
out = ogr.GetDriverByName("XLSX").CreateDataSource(os.path.join(HERE, "place_names.xlsx"))
lyr = out.CreateLayer("地名", None, ogr.wkbNone)
for name in ["地名代码", "标准名称", "地名类别", "行政区划代码", "罗马字母拼写", "经度", "纬度"]:
    lyr.CreateField(ogr.FieldDefn(name, ogr.OFTString))
for code, name, town, lon, lat in sorted(villages):
    f = ogr.Feature(lyr.GetLayerDefn())
    f.SetField("地名代码", code)
    f.SetField("标准名称", name)
    f.SetField("地名类别", "村级自治组织")
    f.SetField("行政区划代码", town)
    if lon is not None:
        f.SetField("经度", "%.6f" % lon)
        f.SetField("纬度", "%.6f" % lat)
    lyr.CreateFeature(f)
out = None
print("townships %d, lines %d, markers %d (junctions %d), place names %d"
      % (len(units), len(line_rows), len(rows), junction_count, len(villages)))
