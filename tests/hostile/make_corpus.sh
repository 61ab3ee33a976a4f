#!/usr/bin/env bash
# Makes the bad-input corpus of tests/hostile/cases.json in OUTDIR: damaged and hostile
# files of every kind the readers take, made from scratch or from the example county.
# Usage: make_corpus.sh OUTDIR EXAMPLES_DIR
set -euo pipefail
out=$1
ex=$2
rm -rf "$out"
mkdir -p "$out"
cd "$out"

# ---- a clean register and name table to damage
reg_header='marker_no,line_code,type,x,y'
reg_row() { printf '3305%03dQ,3305,Q,%d,%d\n' "$1" $((3400000 + $1 * 10)) $((40500000 + $1 * 10)); }
{ echo "$reg_header"; for i in $(seq 1 20); do reg_row "$i"; done; } >register.csv
names_header='name,code,category,admin_code'
names_row() { printf '%s村,330523101%03d,村,330523101\n' "$1" "$2"; }
{ echo "$names_header"; for i in $(seq 1 20); do names_row 横溪 "$i"; done; } >names.csv

# ---- impossible and absurd coordinates
{ echo 'marker_no,line_code,type,lon,lat'
  echo '3305001Q,3305,Q,119.5,30.5'; echo '3305002Q,3305,Q,119.6,91'
  echo '3305003Q,3305,Q,181,30.6'; echo '3305004Q,3305,Q,-181,-91'
  echo '3305005Q,3305,Q,119.7,30.7'; } >lonlat_impossible.csv
{ echo 'marker_no,line_code,type,lon,lat'; echo '3305001Q,3305,Q,119.6,91'; } >lonlat_only_bad.csv
{ echo "$reg_header"; reg_row 1; echo '3305002Q,3305,Q,1e308,1e308'; reg_row 3; } >xy_1e308.csv
{ echo "$reg_header"; reg_row 1; echo '3305002Q,3305,Q,nan,inf'; reg_row 3; } >xy_nan.csv
{ echo "$reg_header"; reg_row 1; echo '3305002Q,3305,Q,-1e308,1e308'; } >xy_negative_huge.csv
{ echo 'marker_no,line_code,type,lon,lat'; echo '3305001Q,3305,Q,"119°30′99″",30.5'
  echo '3305002Q,3305,Q,119.6,"30°70′00″"'; } >dms_garbage.csv
{ echo "$reg_header"; echo '3305001Q,3305,Q,12,34'; } >xy_tiny.csv
cat >polygon_1e308.geojson <<'J'
{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"330523101","name":"A"},"geometry":{"type":"Polygon","coordinates":[[[-1e308,-1e308],[1e308,-1e308],[1e308,1e308],[-1e308,-1e308]]]}}]}
J

# ---- names with invisible characters and letters of other scripts (one per row)
{ echo "$names_header"
  printf '天荒\u200b坪村,330523101001,村,330523101\n'
  printf '\ufeff递铺村,330523101002,村,330523101\n'
  printf '孝丰\u202e村,330523101003,村,330523101\n'
  printf '梅溪\u0301村,330523101004,村,330523101\n'
  printf '报福\x01村,330523101005,村,330523101\n'
  printf '杭垓\u0627\u0644村,330523101006,村,330523101\n'
  printf '溪龙\u05d0村,330523101007,村,330523101\n'
  printf '灵峰\u0416村,330523101008,村,330523101\n'
  printf '上墅\u2066村,330523101009,村,330523101\n'
  printf '山川\U000e0100村,330523101010,村,330523101\n'
  printf '章村\x7f村,330523101011,村,330523101\n'
  printf '天子\u00ad湖村,330523101012,村,330523101\n'
} >names_invisible.csv
for c in 200b 200c 200d 2060 feff 202a 202b 202c 202d 2067 2068 2069 0300 0e31 180e; do
  { echo "$names_header"; printf "横\\u${c}溪村,330523101001,村,330523101\n"; } >"names_u$c.csv"
done

# ---- damaged delimited text
{ echo "$names_header"; names_row 甲 1; printf 'ab\x00cd村,330523101002,村,330523101\n'; names_row 乙 3; } >nul_value.csv
{ printf 'na\x00me,code,category,admin_code\n'; names_row 甲 1; names_row 乙 2; } >nul_header.csv
{ echo "$names_header"; names_row 甲 1; head -c 12000000 /dev/zero | tr '\0' x; echo ',330523101002,村,330523101'; names_row 乙 3; } >field_12mb.csv
{ echo "$names_header"; names_row 甲 1; head -c 10000000 /dev/zero | tr '\0' ','; echo; names_row 乙 3; } >line_many_fields.csv
{ echo "$names_header"; names_row 甲 1; printf '"丙村,330523101002,村,330523101\n'; for i in $(seq 3 15000); do names_row 丁 "$i"; done; } >quote_unterminated.csv
{ echo "$names_header"; names_row 甲 1; printf '丙"村,330523101002,村,330523101\n'; names_row 丁 3; printf '"戊村",330523101004,村,330523101\n'; names_row 己 5; } >quote_mid_field.csv
{ echo "$names_header"; names_row 甲 1; printf '\xef\xbb\xbf'; names_row 乙 2; names_row 丙 3; } >bom_inside.csv
{ echo "$names_header"; names_row 甲 1; echo '乙村,330523101002,村,330523101,多,余'; } >extra_fields.csv
: >empty.csv
echo "$names_header" >header_only.csv
head -c 4096 /dev/urandom >garbage.csv
{ echo "$names_header"; names_row 甲 1; names_row 乙 2; } | tr '\n' '\r' >cr_only.csv
{ echo "$names_header"; names_row 甲 1; } | iconv -f UTF-8 -t GB18030 >gbk_names.csv
printf '\xff\xfe\xfd,\xfa\n\xf0\x28\x8c\x28,1\n' >invalid_utf8.csv

# ---- geometries
cat >collection.geojson <<'J'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"code":"330523101"},"geometry":{"type":"GeometryCollection","geometries":[{"type":"Polygon","coordinates":[[[119.5,30.5],[119.6,30.5],[119.6,30.6],[119.5,30.6],[119.5,30.5]]]},{"type":"Point","coordinates":[124.5,30.5]},{"type":"LineString","coordinates":[[119.5,30.5],[119.7,30.7]]}]}},
{"type":"Feature","properties":{"code":"330523102"},"geometry":{"type":"Polygon","coordinates":[[[119.6,30.5],[119.7,30.5],[119.7,30.6],[119.6,30.6],[119.6,30.5]]]}}]}
J
cat >self_overlap.geojson <<'J'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"code":"330523101"},"geometry":{"type":"MultiPolygon","coordinates":[[[[119.5,30.5],[119.6,30.5],[119.6,30.6],[119.5,30.6],[119.5,30.5]]],[[[119.55,30.55],[119.65,30.55],[119.65,30.65],[119.55,30.65],[119.55,30.55]]]]}},
{"type":"Feature","properties":{"code":"330523102"},"geometry":{"type":"Polygon","coordinates":[[[119.6,30.5],[119.7,30.5],[119.7,30.55],[119.6,30.55],[119.6,30.5]]]}}]}
J
cat >bowtie.geojson <<'J'
{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"330523101"},"geometry":{"type":"Polygon","coordinates":[[[119.5,30.5],[119.6,30.6],[119.6,30.5],[119.5,30.6],[119.5,30.5]]]}}]}
J
cat >empty_geometry.geojson <<'J'
{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"330523101"},"geometry":null},{"type":"Feature","properties":{"code":"330523102"},"geometry":{"type":"Polygon","coordinates":[]}}]}
J
cat >points_as_units.geojson <<'J'
{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"330523101","name":"A"},"geometry":{"type":"Point","coordinates":[119.5,30.5]}}]}
J
cat >unknown_crs.geojson <<'J'
{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::99999"}},"features":[{"type":"Feature","properties":{"code":"330523101","name":"A"},"geometry":{"type":"Polygon","coordinates":[[[119.5,30.5],[119.6,30.5],[119.6,30.6],[119.5,30.6],[119.5,30.5]]]}}]}
J
printf '{"type":"FeatureCollection","features":[' >truncated.geojson

# ---- shapefiles: sidecars wrong or missing
shp() { mkdir -p "$1"; for e in shp shx dbf prj; do cp "$ex/townships.$e" "$1/townships.$e"; done; }
shp prj_garbage; echo 'garbage' >prj_garbage/townships.prj
shp prj_empty; : >prj_empty/townships.prj
shp cpg_unknown; echo 'FOOBAR-9' >cpg_unknown/townships.cpg
shp cpg_wrong; echo 'UTF-8' >cpg_wrong/townships.cpg
shp dbf_garbage; head -c 100 /dev/urandom >dbf_garbage/townships.dbf
shp dbf_truncated; head -c 200 "$ex/townships.dbf" >dbf_truncated/townships.dbf
shp shx_missing; rm shx_missing/townships.shx
shp shp_truncated; head -c 3000 "$ex/townships.shp" >shp_truncated/townships.shp
shp folder_of_shapefiles; cp "$ex/townships.shp" folder_of_shapefiles/second.shp
cp "$ex/townships.shx" folder_of_shapefiles/second.shx; cp "$ex/townships.dbf" folder_of_shapefiles/second.dbf

# ---- a GeoPackage of two layers
cp "$ex/county.gpkg" two_layers.gpkg
ogr2ogr -q -update two_layers.gpkg "$ex/county.gpkg" -nln second 2>/dev/null

# ---- rules files
echo '{"rules":{"NAME-TOO-LONG":{"parameters":{"max_chars":1e400}}}}' >rules_1e400.json
echo '{"rules":{"NAME-TOO-LONG":{"parameters":{"max_chars":-1}}}}' >rules_negative_chars.json
echo '{"rules":{"MARKER-OFF-LINE":{"parameters":{"tolerance":-5}}}}' >rules_negative_tolerance.json
echo '{"rules":{"BOUNDARY-GAP-NARROW":{"parameters":{"width":1e300}}}}' >rules_huge_width.json
echo '{"rules":{"MARKER-NUMBER-SYNTAX":{"parameters":{"schemes":{"mine":"^(\\d+$"}}}}}' >rules_bad_regex.json
echo '{"rules":{"MARKER-NUMBER-SYNTAX":{"parameters":{"schemes":{"mine":"^(?=1)(\\d)(\\d)(\\d)$"}}}}}' >rules_lookahead.json
echo '{"rules":{"NAME-LEADER":{"parameters":{"words":["a",1]}}}}' >rules_wrong_element.json
echo '{"rules":{"NAME-TOO-LONG":{"parameters":{"max_chars":2.5}}}}' >rules_fraction.json
echo '{"rules":{' >rules_truncated.json
echo '{"rules":{"NO-SUCH-RULE":{"enabled":false}}}' >rules_unknown_id.json

# ---- hostile marker numbers
{ echo "$reg_header"; printf '%s001Q,3305,Q,3400000,40500000\n' "$(head -c 50000 /dev/zero | tr '\0' 1)"; } >number_50k_digits.csv
{ echo "$reg_header"; printf '%s001Q,3305,Q,3400000,40500000\n' "$(head -c 41 /dev/zero | tr '\0' 1)"; } >number_41_digits.csv

# ---- special files
mkfifo fifo.csv
ln -s loop_b.csv loop_a.csv
ln -s loop_a.csv loop_b.csv
ln -s nowhere.csv dangling.csv
mkdir -p folder.csv out_dir
mkdir -p nonempty.geojson; touch nonempty.geojson/keep
cp register.csv input_copy.csv

# ---- names romanize: stdin
printf '北京\n\xff\xfe abc\n上\x00海\n西安\x1b[31m\n' >stdin_binary.txt
{ printf '北京\n'; head -c 3000000 /dev/zero | tr '\0' a; printf '\n天津\n'; } >stdin_long_line.txt
head -c 20000000 /dev/zero | tr '\0' b >stdin_no_newline.txt
touch .complete  # the corpus is whole: tests may use it
echo "corpus: $(ls | wc -l) entries in $out"
