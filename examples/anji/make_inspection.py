#!/usr/bin/python3
"""Builds inspection/: made-up field observations of a joint inspection (联检) of three of
the example county's township lines, as a field app (QField) writes them: one GeoPackage,
observations.gpkg, in CGCS2000 longitude/latitude (EPSG:4490), with two layers:

  界桩检查   a point per marker found, at its re-measured position: 界桩编号, 界线编号,
             检查日期, 检查人, 状况, 照片, 备注 (a lost marker has no point)
  界线变化   what changed along the lines: 变化类别, 界线编号 (empty: the nearest line),
             检查日期, 备注, as a line or a point

and the photos the form names (JPEG). Planted, for the report to find:
  - 105-104: marker 105-104003A displaced 1.8 m (状况 移位); 105-104005Q not found (no row);
    105-104099Q noted but not in the register; a new village road across the line
  - 201-110: 201-110002Q lost; 201-110005Q damaged (with a photo); a new farm building
    25 m from the line
  - 002-001: 002-001004Q tilted; 002-001006Q found "完好" but re-measured 0.9 m away
  - 201-110: 201-110007Q destroyed by road works and re-erected (处理情况 已重埋) 2.5 m
    down the line: its new position, which --record keeps as the marker's new version

and resurvey.gpkg (layer 界线重测): line 002-001 as the team re-surveyed it, within 5 cm of
the archived line except a stretch in its middle fifth that lies up to 3 m to one side
(the stream it follows has moved).
Every other marker of the three lines is intact, re-measured within 3 cm (seeded noise).
Needs Debian's python3 with python3-gdal and python3-pil:

    /usr/bin/python3 examples/anji/make_inspection.py
"""
import csv
import math
import os
import random
import shutil

from osgeo import gdal, ogr, osr
from PIL import Image, ImageDraw

gdal.UseExceptions()
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "inspection")
LINES = ["002-001", "105-104", "201-110"]
TEAMS = {
    "002-001": ("2026-10-12", "王芳、陈刚（昌硕街道）、刘洋（递铺街道）"),
    "105-104": ("2026-10-14", "王芳、李强（孝丰镇）、赵敏（杭垓镇）"),
    "201-110": ("2026-10-16", "王芳、孙磊（上墅乡）、周婷（天子湖镇）"),
}
# marker -> (condition, east offset m, north offset m, notes, photo, work done)
PLANTED = {
    "105-104003A": ("移位", 1.8, 0.3, "界桩被推土机推移", True, ""),
    "201-110002Q": ("丢失", None, None, "原位置仅见桩坑", False, ""),
    "201-110005Q": ("损坏", 0.01, -0.02, "桩顶断裂，字迹尚可辨认", True, ""),
    "002-001004Q": ("倾斜", 0.04, 0.02, "向北倾斜约15度", False, ""),
    "002-001006Q": ("完好", -0.6, 0.67, "", False, ""),
    "201-110007Q": ("损坏", 2.0, -1.5, "原桩被修路挖毁，已在路边沿界线重新埋设并实测", False,
                    "已重埋"),
}
MISSING = {"105-104005Q"}
EXTRA = ("105-104099Q", "105-104", "完好", "村民指认的旧界桩，登记表中无此编号")


def photo(path, number, broken, rnd):
    img = Image.new("L", (400, 300), 140)
    d = ImageDraw.Draw(img)
    for _ in range(300):
        x, y = rnd.randrange(400), rnd.randrange(150, 300)
        d.line([(x, y), (x + rnd.randrange(-3, 4), y - rnd.randrange(4, 12))],
               fill=rnd.randrange(60, 120))
    top = 100 if broken else 60
    d.polygon([(170, top), (230, top - (15 if broken else 0)), (230, 260), (170, 260)],
              fill=215, outline=70)
    d.text((178, 150), number[-5:], fill=30)
    img.save(path, "JPEG", quality=45)


def main():
    rnd = random.Random(20261012)
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    gk = osr.SpatialReference()
    gk.ImportFromEPSG(4528)
    geo = osr.SpatialReference()
    geo.ImportFromEPSG(4490)
    for s in (gk, geo):
        s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    to_geo = osr.CoordinateTransformation(gk, geo)
    with open(os.path.join(HERE, "markers.csv"), encoding="gbk", newline="") as f:
        rows = list(csv.reader(f))[1:]
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(os.path.join(OUT, "observations.gpkg"))
    markers = ds.CreateLayer("界桩检查", geo, ogr.wkbPoint)
    for name in ["界桩编号", "界线编号", "检查日期", "检查人", "状况", "处理情况", "照片", "备注"]:
        markers.CreateField(ogr.FieldDefn(name, ogr.OFTString))

    def add_marker(number, line, condition, point, notes, photo_name, done=""):
        f = ogr.Feature(markers.GetLayerDefn())
        date, team = TEAMS[line]
        for k, v in [("界桩编号", number), ("界线编号", line), ("检查日期", date),
                     ("检查人", team), ("状况", condition), ("处理情况", done),
                     ("照片", photo_name), ("备注", notes)]:
            f.SetField(k, v)
        if point is not None:
            g = ogr.Geometry(ogr.wkbPoint)
            g.AddPoint_2D(*point)
            f.SetGeometry(g)
        markers.CreateFeature(f)

    for r in rows:
        number, line = r[0], r[1]
        if line not in LINES or number in MISSING:
            continue
        x, y = float(r[6]), float(r[5])  # easting, northing
        condition, de, dn, notes, with_photo, done = PLANTED.get(
            number, ("完好", rnd.gauss(0, 0.012), rnd.gauss(0, 0.012), "", False, ""))
        point = None
        if de is not None:
            lon, lat, _ = to_geo.TransformPoint(x + de, y + dn)
            point = (lon, lat)
        photo_name = ""
        if with_photo:
            photo_name = f"界桩照片-{number}.jpg"
            photo(os.path.join(OUT, photo_name), number, condition == "损坏", rnd)
        add_marker(number, line, condition, point, notes, photo_name, done)
    # A marker the villagers showed that the register does not have: beside 105-104001.
    first = next(r for r in rows if r[1] == "105-104")
    lon, lat, _ = to_geo.TransformPoint(float(first[6]) + 35, float(first[5]) - 12)
    add_marker(EXTRA[0], EXTRA[1], EXTRA[2], (lon, lat), EXTRA[3], "")

    changes = ds.CreateLayer("界线变化", geo, ogr.wkbUnknown)
    for name in ["变化类别", "界线编号", "检查日期", "备注"]:
        changes.CreateField(ogr.FieldDefn(name, ogr.OFTString))
    lines_ds = ogr.Open(os.path.join(HERE, "boundary_lines.gpkg"))
    geoms = {f.GetField("界线编号"): f.GetGeometryRef().Clone() for f in lines_ds.GetLayer(0)}

    def middle(code):
        g = geoms[code]
        part = g.GetGeometryRef(0) if g.GetGeometryCount() else g
        n = part.GetPointCount()
        a, b = part.GetPoint_2D(n // 2 - 1), part.GetPoint_2D(n // 2)
        return a, b

    # A new road across 105-104: 300 m each side of the line's middle, square to it.
    (ax, ay), (bx, by) = middle("105-104")
    mx, my = (ax + bx) / 2, (ay + by) / 2
    dx, dy = bx - ax, by - ay
    n = math.hypot(dx, dy)
    nx, ny = -dy / n, dx / n
    road = ogr.Geometry(ogr.wkbLineString)
    for k in (-300, -100, 100, 300):
        lon, lat, _ = to_geo.TransformPoint(mx + nx * k + dx / n * k * 0.1,
                                            my + ny * k + dy / n * k * 0.1)
        road.AddPoint_2D(lon, lat)
    f = ogr.Feature(changes.GetLayerDefn())
    for k, v in [("变化类别", "道路"), ("检查日期", TEAMS["105-104"][0]),
                 ("备注", "新建村道穿越界线，界线走向未变")]:
        f.SetField(k, v)
    f.SetGeometry(road)
    changes.CreateFeature(f)
    # A farm building 25 m from 201-110.
    (ax, ay), (bx, by) = middle("201-110")
    mx, my = (ax + bx) / 2, (ay + by) / 2
    dx, dy = bx - ax, by - ay
    n = math.hypot(dx, dy)
    lon, lat, _ = to_geo.TransformPoint(mx - dy / n * 25, my + dx / n * 25)
    pt = ogr.Geometry(ogr.wkbPoint)
    pt.AddPoint_2D(lon, lat)
    f = ogr.Feature(changes.GetLayerDefn())
    for k, v in [("变化类别", "建筑物"), ("界线编号", "201-110"),
                 ("检查日期", TEAMS["201-110"][0]), ("备注", "新建养殖场，距界线约25米")]:
        f.SetField(k, v)
    f.SetGeometry(pt)
    changes.CreateFeature(f)
    ds = None
    resurvey(geoms["002-001"], to_geo, geo, rnd)
    print("inspection/observations.gpkg: 3 lines; inspection/resurvey.gpkg: 002-001")


def resurvey(line, to_geo, geo, rnd):
    """Line 002-001 re-surveyed: every vertex within 5 cm, the middle fifth bent up to 3 m
    to the left of the line (a smooth bump), with a vertex every 10 m there."""
    part = line.GetGeometryRef(0) if line.GetGeometryCount() else line
    pts = [part.GetPoint_2D(i) for i in range(part.GetPointCount())]
    chain = [0.0]
    for a, b in zip(pts, pts[1:]):
        chain.append(chain[-1] + math.hypot(b[0] - a[0], b[1] - a[1]))
    total = chain[-1]
    lo, hi = total * 0.4, total * 0.6
    out = []
    for i, (a, b) in enumerate(zip(pts, pts[1:])):
        seg = chain[i + 1] - chain[i]
        steps = max(1, int(seg / 10)) if chain[i + 1] > lo and chain[i] < hi else 1
        for k in range(steps):
            t = k / steps
            x, y = a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t
            c = chain[i] + seg * t
            bump = 0.0
            if lo < c < hi:
                bump = 3.0 * math.sin(math.pi * (c - lo) / (hi - lo)) ** 2
            nx, ny = -(b[1] - a[1]) / seg, (b[0] - a[0]) / seg
            out.append((x + nx * bump + rnd.gauss(0, 0.015), y + ny * bump + rnd.gauss(0, 0.015)))
    out.append(pts[-1])
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(os.path.join(OUT, "resurvey.gpkg"))
    layer = ds.CreateLayer("界线重测", geo, ogr.wkbLineString)
    for name in ["界线编号", "测量日期", "测量单位"]:
        layer.CreateField(ogr.FieldDefn(name, ogr.OFTString))
    g = ogr.Geometry(ogr.wkbLineString)
    for x, y in out:
        lon, lat, _ = to_geo.TransformPoint(x, y)
        g.AddPoint_2D(lon, lat)
    f = ogr.Feature(layer.GetLayerDefn())
    for k, v in [("界线编号", "002-001"), ("测量日期", TEAMS["002-001"][0]),
                 ("测量单位", "县测绘队")]:
        f.SetField(k, v)
    f.SetGeometry(g)
    layer.CreateFeature(f)
    ds = None


if __name__ == "__main__":
    main()
