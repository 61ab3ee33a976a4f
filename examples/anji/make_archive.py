#!/usr/bin/python3
"""Builds archive/: the township boundary-survey archive (乡级勘界档案) of the example county,
as archive staff have it before it goes into geoadmin: one folder per boundary line.

Made from the example's own files (townships.shp, boundary_lines.gpkg, markers.csv), all
made up in a documented way (README.md):
  archive/00 乡镇政区/乡镇政区.gpkg        the 15 townships (units), CGCS2000 lon/lat
  archive/LLL-RRR 甲镇—乙镇界线/          one folder per line, named by its code and name:
      界线.shp (.dbf .shx .prj .cpg)  the line (界线编号, 界线名称, the units on each side,
                              签订日期), GBK, EPSG:4528, as surveyors keep it
      界桩成果表.csv          the line's rows of markers.csv, GBK, as the register has them
      界线协议书.pdf          a made-up "scan" of the agreement: page 1 the text with both
                              sides' signature lines, page 2 the attached map (协议书附图)
      界桩照片-NNN.jpg        a made-up photo for the line's first marker (every third line)
      卷内目录.xlsx           the folder's catalogue sheet (DA/T 18 fields): 档号, 题名,
                              责任者, 日期, 页数, 保管期限, 密级, 案卷号, 件号, 界线编号,
                              电子文件名, 文件类别
Everything is seeded: running it again gives the same content (PDF and XLSX time stamps
aside). Needs Debian's python3 with python3-gdal, python3-pil and fonts-wqy-microhei:

    /usr/bin/python3 examples/anji/make_archive.py
"""
import csv
import io
import os
import random
import shutil

from osgeo import gdal, ogr, osr
from PIL import Image, ImageDraw, ImageFont

gdal.UseExceptions()
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "archive")
FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
PAGE = (620, 877)  # A4 at 75 dpi: readable, small


def font(size):
    return ImageFont.truetype(FONT, size)


def read_lines():
    ds = ogr.Open(os.path.join(HERE, "boundary_lines.gpkg"))
    layer = ds.GetLayer(0)
    lines = []
    for f in layer:
        g = f.GetGeometryRef().Clone()
        lines.append({
            "code": f.GetField("界线编号"),
            "name": f.GetField("界线名称"),
            "left": f.GetField("左侧单位"),
            "left_name": f.GetField("左侧单位名称"),
            "right": f.GetField("右侧单位"),
            "right_name": f.GetField("右侧单位名称"),
            "geom": g,
        })
    return lines, layer.GetSpatialRef().Clone()


def read_markers():
    with open(os.path.join(HERE, "markers.csv"), encoding="gbk", newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def write_line_shapefile(path, line, srs, agreed):
    """A GBK shapefile with a .cpg, as surveyors' offices keep lines: headers of at most
    ten bytes (five Chinese characters in GBK)."""
    drv = ogr.GetDriverByName("ESRI Shapefile")
    ds = drv.CreateDataSource(path)
    layer = ds.CreateLayer("界线", srs, ogr.wkbMultiLineString, ["ENCODING=GBK"])
    values = [("界线编号", line["code"]), ("界线名称", line["name"]),
              ("左侧单位", line["left"]), ("左侧名称", line["left_name"]),
              ("右侧单位", line["right"]), ("右侧名称", line["right_name"]),
              ("签订日期", agreed)]
    for name, _ in values:
        fd = ogr.FieldDefn(name, ogr.OFTString)
        fd.SetWidth(40)
        layer.CreateField(fd)
    f = ogr.Feature(layer.GetLayerDefn())
    for k, v in values:
        f.SetField(k, v)
    f.SetGeometry(ogr.ForceToMultiLineString(line["geom"].Clone()))
    layer.CreateFeature(f)
    ds = None


def draw_map(line, markers, size):
    """The attached map: the line, its markers with their numbers, the units' names."""
    img = Image.new("L", size, 255)
    d = ImageDraw.Draw(img)
    env = line["geom"].GetEnvelope()  # minx, maxx, miny, maxy (easting, northing)
    pts = [(float(r[6]), float(r[5])) for r in markers]  # Y easting, X northing
    xs = [env[0], env[1]] + [p[0] for p in pts]
    ys = [env[2], env[3]] + [p[1] for p in pts]
    minx, maxx, miny, maxy = min(xs), max(xs), min(ys), max(ys)
    span = max(maxx - minx, maxy - miny, 1.0) * 1.15
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    w, h = size
    top = 90

    def px(x, y):
        s = min(w - 200, h - top - 80) / span
        return (w / 2 + (x - cx) * s, top + (h - top) / 2 - (y - cy) * s)

    d.text((w / 2, 30), line["name"] + "协议书附图", font=font(26), fill=0, anchor="mm")
    g = line["geom"]
    parts = [g.GetGeometryRef(i) for i in range(g.GetGeometryCount())] or [g]
    for part in parts:
        coords = [px(part.GetX(i), part.GetY(i)) for i in range(part.GetPointCount())]
        if len(coords) > 1:
            d.line(coords, fill=0, width=3)
    for r, (x, y) in zip(markers, pts):
        a, b = px(x, y)
        d.rectangle([a - 5, b - 5, a + 5, b + 5], outline=0, width=2)
        d.text((a + 8, b - 8), r[0], font=font(13), fill=60)
    # Unit names on their side: left of the line's direction, right of it.
    first, last = parts[0], parts[-1]
    x0, y0 = first.GetX(0), first.GetY(0)
    x1, y1 = last.GetX(last.GetPointCount() - 1), last.GetY(last.GetPointCount() - 1)
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2
    dx, dy = x1 - x0, y1 - y0
    n = max((dx * dx + dy * dy) ** 0.5, 1.0)
    off = span * 0.18
    lx, ly = px(mx - dy / n * off, my + dx / n * off)
    rx, ry = px(mx + dy / n * off, my - dx / n * off)
    d.text((lx, ly), line["left_name"], font=font(22), fill=90, anchor="mm")
    d.text((rx, ry), line["right_name"], font=font(22), fill=90, anchor="mm")
    # North arrow and a scale bar of a round length.
    d.polygon([(w - 50, 70), (w - 60, 100), (w - 40, 100)], fill=0)
    d.text((w - 50, 58), "北", font=font(16), fill=0, anchor="mm")
    s = min(w - 200, h - top - 80) / span
    metres = next(m for m in (500, 1000, 2000, 5000, 10000, 20000) if m * s > 80)
    d.line([(40, h - 40), (40 + metres * s, h - 40)], fill=0, width=4)
    d.text((40, h - 30), f"0      {metres // 1000 if metres >= 1000 else metres}"
           f"{' 千米' if metres >= 1000 else ' 米'}", font=font(14), fill=0)
    return img


def agreement_page(line, agreed, n_markers, rnd):
    img = Image.new("L", PAGE, 255)
    d = ImageDraw.Draw(img)
    w, _ = PAGE
    d.text((w / 2, 70), f"{line['left_name']}与{line['right_name']}", font=font(24), fill=0,
           anchor="mm")
    d.text((w / 2, 110), "行政区域界线协议书", font=font(30), fill=0, anchor="mm")
    body = [
        f"根据《行政区域界线管理条例》，{line['left_name']}人民政府与{line['right_name']}人民政府",
        "在安吉县人民政府主持下，经双方共同勘定，就两乡镇间行政区域界线达成如下协议：",
        f"一、本界线编号 {line['code']}，名称 {line['name']}。",
        "二、界线走向以本协议书附图及界线走向说明为准，附图与说明具有同等效力。",
        f"三、本界线共埋设界桩 {n_markers} 颗，其位置、编号与坐标以界桩成果表为准。",
        "四、界线两侧的群众生产、生活习惯用地，双方本着互谅互让的原则妥善处理。",
        "五、双方负责界桩的管护，任何单位和个人不得擅自移动或毁坏界桩。",
        "六、本协议书一式四份，双方各执一份，报县人民政府及县民政局各一份。",
    ]
    y = 160
    size = 15
    per_line = (w - 100) // size
    for t in body:
        chunks = [t[at:at + per_line] for at in range(0, len(t), per_line)]
        if len(chunks) > 1 and len(chunks[-1]) <= 2:  # no line of a lone full stop
            chunks[-2:] = [chunks[-2] + chunks[-1]]
        for k, chunk in enumerate(chunks):
            d.text((50 if k == 0 else 50 + 2 * size, y), chunk, font=font(size), fill=20)
            y += 26
        y += 12
    y += 40
    for x, side in ((50, line["left_name"]), (w / 2 + 10, line["right_name"])):
        d.text((x, y), f"{side}人民政府（盖章）", font=font(15), fill=0)
        d.text((x, y + 40), "代表签字：", font=font(15), fill=0)
        d.line([(x + 80, y + 58), (x + 230, y + 58)], fill=0, width=1)
    y0, m0, d0 = agreed.split("-")
    d.text((w - 60, y + 140), f"{y0}年{int(m0)}月{int(d0)}日", font=font(15), fill=0,
           anchor="rm")
    # A scan: a slight tilt and grain.
    img = img.rotate(rnd.uniform(-0.6, 0.6), fillcolor=250)
    px = img.load()
    for _ in range(6000):
        px[rnd.randrange(PAGE[0]), rnd.randrange(PAGE[1])] = rnd.randrange(170, 230)
    return img


def photo(marker, rnd):
    img = Image.new("L", (480, 360), 150)
    d = ImageDraw.Draw(img)
    for _ in range(400):  # grass
        x, y = rnd.randrange(480), rnd.randrange(180, 360)
        d.line([(x, y), (x + rnd.randrange(-4, 5), y - rnd.randrange(5, 15))],
               fill=rnd.randrange(60, 120))
    d.rectangle([200, 70, 280, 300], fill=215, outline=80, width=2)  # the marker post
    d.text((240, 120), "界", font=font(30), fill=40, anchor="mm")
    d.text((240, 170), "桩", font=font(30), fill=40, anchor="mm")
    d.text((240, 230), marker, font=font(12), fill=40, anchor="mm")
    return img


def write_catalogue(path, rows):
    drv = gdal.GetDriverByName("XLSX")
    ds = drv.Create(path, 0, 0, 0, gdal.GDT_Unknown)
    layer = ds.CreateLayer("卷内目录", None, ogr.wkbNone)
    headers = ["档号", "题名", "责任者", "日期", "页数", "保管期限", "密级", "案卷号", "件号",
               "界线编号", "电子文件名", "文件类别"]
    for h in headers:
        fd = ogr.FieldDefn(h, ogr.OFTInteger if h == "页数" else ogr.OFTString)
        layer.CreateField(fd)
    for r in rows:
        f = ogr.Feature(layer.GetLayerDefn())
        for h, v in zip(headers, r):
            f.SetField(h, v)
        layer.CreateFeature(f)
    ds = None


def main():
    rnd = random.Random(330523)
    lines, srs = read_lines()
    header, markers = read_markers()
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    units_dir = os.path.join(OUT, "00 乡镇政区")
    os.makedirs(units_dir)
    gdal.VectorTranslate(os.path.join(units_dir, "乡镇政区.gpkg"),
                         gdal.OpenEx(os.path.join(HERE, "townships.shp"),
                                     open_options=["ENCODING=GBK"]),
                         format="GPKG", dstSRS="EPSG:4490", layerName="乡镇政区",
                         geometryType="MULTIPOLYGON")
    for volume, line in enumerate(sorted(lines, key=lambda l: l["code"]), start=1):
        folder = os.path.join(OUT, f"{line['code']} {line['name']}")
        os.makedirs(folder)
        own = [r for r in markers if r[1] == line["code"]]
        buried = sorted(r[20] for r in own) or ["2009-06-01"]
        # Agreed a few weeks after the last marker went in.
        y, m, d = (int(v) for v in buried[-1].split("-"))
        m, d = (m + 1, min(d, 28)) if m < 12 else (m, 28)
        agreed = f"{y:04d}-{m:02d}-{d:02d}"
        write_line_shapefile(os.path.join(folder, "界线.shp"), line, srs, agreed)
        with open(os.path.join(folder, "界桩成果表.csv"), "w", encoding="gbk", newline="") as f:
            w = csv.writer(f, lineterminator="\r\n")
            w.writerow(header)
            w.writerows(own)
        pages = [agreement_page(line, agreed, len(own), rnd), draw_map(line, own, PAGE)]
        pdf = os.path.join(folder, "界线协议书.pdf")
        pages[0].save(pdf, "PDF", resolution=75, save_all=True, append_images=pages[1:],
                      quality=30, title=f"{line['name']}协议书", creationDate=None)
        items = [
            ("协议书（含附图）", f"{line['left_name']}人民政府、{line['right_name']}人民政府",
             agreed, 2, "无", "界线协议书.pdf", "协议书"),
            ("界桩成果表", "安吉县民政局", buried[-1], 1, "秘密", "界桩成果表.csv", "成果表"),
        ]
        if volume % 3 == 1 and own:
            name = f"界桩照片-{own[0][0]}.jpg"
            photo(own[0][0], rnd).save(os.path.join(folder, name), "JPEG", quality=40)
            items.append((f"界桩 {own[0][0]} 照片", "安吉县民政局", buried[0], 1, "无", name,
                          "照片"))
        rows = []
        for item, (title, who, date, n, secret, file_name, kind) in enumerate(items, start=1):
            rows.append([f"330523-KJ·{agreed[:4]}-Y-{volume:03d}-{item:03d}",
                         f"{line['name']}{title}", who, date, n, "永久", secret,
                         f"{volume:03d}", f"{item:03d}", line["code"], file_name, kind])
        write_catalogue(os.path.join(folder, "卷内目录.xlsx"), rows)
    print(f"archive/: {len(lines)} line folders")


if __name__ == "__main__":
    main()
