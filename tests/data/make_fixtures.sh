#!/usr/bin/env bash
# Regenerates the I/O test fixtures in tests/data/io/ from a few rows of real data:
# village names and points of 安吉县 (Anji county, Zhejiang) from the 2016 statistics
# division codes (../shared/data/nbs-codes-2016, CC BY 4.0). The outputs are committed;
# run this only to change them. Needs gdal-bin (ogr2ogr, gdaltransform), iconv and
# python3-xlwt.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out="$here/io"
src="$here/../../../shared/data/nbs-codes-2016/adcode_zhejiang_all_levels_2016.csv"
rm -rf "$out"
mkdir -p "$out"
cd "$out"

# 1. Place names, UTF-8 with Chinese headers (the census form's names).
{
  echo "地名代码,标准名称,地名类别,行政区划代码,经度,纬度"
  awk -F, '$1 ~ /^330523/ && $4=="village" && $13!="" {print $1","$3",village,"substr($1,1,9)","$13","$14}' "$src" | head -12
} > places_utf8.csv

# 2. The same in GBK (no BOM), as exported by older Chinese software.
iconv -f UTF-8 -t GBK places_utf8.csv > places_gbk.csv

# 3. A spreadsheet with the same columns, and an old Excel 97-2003 one (.xls, written by
#    python3-xlwt: GDAL reads XLS but does not write it).
ogr2ogr -f XLSX places.xlsx places_utf8.csv -nln 地名 -oo AUTODETECT_TYPE=NO
python3 - <<'PY'
import csv, xlwt
book = xlwt.Workbook(encoding="utf-8")
sheet = book.add_sheet("地名")
with open("places_utf8.csv", encoding="utf-8") as f:
    for i, row in enumerate(csv.reader(f)):
        for j, value in enumerate(row):
            sheet.write(i, j, value)
book.save("places.xls")
PY

# 4. GBK shapefile with .cpg, and a copy without .cpg and with the DBF language id
#    cleared (byte 29), the way many shapefiles from Chinese desktop GIS arrive.
#    DBF field names hold at most 10 bytes: 行政区划代码 becomes 区划代码.
ogr2ogr -f "ESRI Shapefile" places_gbk_cpg.shp places_utf8.csv -a_srs EPSG:4490 \
  -oo X_POSSIBLE_NAMES=经度 -oo Y_POSSIBLE_NAMES=纬度 -oo AUTODETECT_TYPE=NO -lco ENCODING=CP936 \
  -sql 'SELECT "地名代码", "标准名称", "地名类别", "行政区划代码" AS "区划代码" FROM places_utf8' 
for ext in shp shx dbf prj; do cp "places_gbk_cpg.$ext" "places_gbk_nocpg.$ext"; done
printf '\x00' | dd of=places_gbk_nocpg.dbf bs=1 seek=29 conv=notrunc status=none

# 5. A truncated shapefile: the .shp cut in the middle of its 8th record.
for ext in shx dbf prj cpg; do cp "places_gbk_cpg.$ext" "truncated.$ext"; done
head -c $((100 + 7 * 28 + 10)) places_gbk_cpg.shp > truncated.shp

# 6. A marker register with zone-prefixed Gauss-Kruger coordinates (CGCS2000 3-degree
#    zone 40, EPSG:4528), surveying convention X = northing, Y = easting, no CRS file.
{
  echo "界桩编号,界线编号,类型,X坐标,Y坐标,高程"
  awk -F, 'NR>1 {print $5, $6}' places_utf8.csv | head -6 |
    gdaltransform -s_srs EPSG:4490 -t_srs EPSG:4528 -output_xy |
    awk '{n++; printf "3305%03dQ,3305,单立,%.3f,%.3f,%d\n", n, $2, $1, 40+n*3}'
} > markers_gk_utf8.csv
iconv -f UTF-8 -t GBK markers_gk_utf8.csv > markers_gk_gbk.csv

# 7. The same register with X and Y exchanged in every row.
awk -F, 'NR==1 {print; next} {print $1","$2","$3","$5","$4","$6}' markers_gk_utf8.csv > markers_swapped.csv

# 8. A register with one row swapped, one non-numeric X and one easting without zone
#    prefix among good rows.
awk -F, 'NR==1 {print; next}
         NR==3 {print $1","$2","$3","$5","$4","$6; next}
         NR==4 {print $1","$2","$3",33O5123.5,"$5","$6; next}
         NR==5 {print $1","$2","$3","$4","($5 - 40000000)","$6; next}
         {print}' markers_gk_utf8.csv > markers_mixed.csv

# 9. The register as a GeoPackage of points in EPSG:4528.
ogr2ogr -f GPKG markers_gk_zone40.gpkg markers_gk_utf8.csv -nln markers -a_srs EPSG:4528 \
  -oo X_POSSIBLE_NAMES=Y坐标 -oo Y_POSSIBLE_NAMES=X坐标 -oo AUTODETECT_TYPE=YES

# 10. GeoJSON with latitude and longitude exchanged.
ogr2ogr -f GeoJSON lonlat_swapped.geojson places_utf8.csv -oo X_POSSIBLE_NAMES=纬度 \
  -oo Y_POSSIBLE_NAMES=经度 -oo AUTODETECT_TYPE=NO -lco RFC7946=NO -lco WRITE_NAME=NO

# 11. Gauss-Kruger coordinates in a GeoJSON that names no CRS (GDAL then says WGS 84).
ogr2ogr -f GeoJSON gk_no_crs.geojson markers_gk_zone40.gpkg -lco WRITE_NAME=NO -lco RFC7946=NO
sed -i '/"crs"/d' gk_no_crs.geojson

# 12. A CSV that is neither UTF-8 nor GBK (Latin-1 bytes with no CJK).
printf 'name,lon,lat\nCaf\xe9 M\xfcller,120.1,30.2\n' > latin1.csv

# 13. The same places as SpatiaLite, KML and DXF (formats GDAL reads; KML is WGS 84).
ogr2ogr -f SQLite -dsco SPATIALITE=YES -dsco INIT_WITH_EPSG=NO places.sqlite places_gbk_cpg.shp -nln places
ogr2ogr -f KML places.kml places_gbk_cpg.shp -nln places
ogr2ogr -f DXF markers_gk_zone40.dxf markers_gk_zone40.gpkg -nlt POINT -skipfailures 2>/dev/null

ls -l
