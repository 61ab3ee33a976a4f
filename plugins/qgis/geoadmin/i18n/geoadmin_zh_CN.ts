<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>geoadmin</name>
    <message>
      <source>Check place names</source>
      <translation>地名检查</translation>
    </message>
    <message>
      <source>Checks place-name records: characters, generic parts, restricted words, codes, duplicates and homophones in scope, romanization.</source>
      <translation>检查地名记录：用字、通名、限制用词、代码、范围内重名同音、罗马字母拼写。</translation>
    </message>
    <message>
      <source>Romanize place names</source>
      <translation>地名罗马字母拼写</translation>
    </message>
    <message>
      <source>Adds the standard romanization (Hanyu Pinyin by the rules for Chinese place names) of a name field to a copy of the layer; the code field, when given, tells where each name is, for readings that hold in some regions only.</source>
      <translation>按汉语地名拼写规则为名称字段生成标准罗马字母拼写，写入图层副本的新字段；给出区划代码字段时，按地名所在地区采用地方读音。</translation>
    </message>
    <message>
      <source>Check a boundary-marker register</source>
      <translation>界桩登记表检查</translation>
    </message>
    <message>
      <source>Checks a boundary-marker register (界桩登记表): numbers, pairs and triples, position on the line, coordinates, reference objects.</source>
      <translation>检查界桩登记表：编号、双立三立、是否在界线上、坐标、方位物。</translation>
    </message>
    <message>
      <source>Check unit boundaries</source>
      <translation>行政区域面检查</translation>
    </message>
    <message>
      <source>Checks unit polygons as a coverage: validity, gaps, overlaps, shared edges, parents, boundary lines, junctions.</source>
      <translation>检查行政区域面：几何有效性、缝隙、重叠、公共边、与上级一致、界线、三交点。</translation>
    </message>
    <message>
      <source>Describe a source</source>
      <translation>查看数据</translation>
    </message>
    <message>
      <source>What a layer's source holds: layers, fields, encoding, CRS, extent, and coordinate problems (swapped axes, Gauss–Krüger zone, GCJ-02).</source>
      <translation>查看图层数据源：图层、字段、编码、坐标系、范围与坐标问题（坐标轴颠倒、高斯-克吕格分带、GCJ-02）。</translation>
    </message>
    <message>
      <source>Joint inspection</source>
      <translation>界线联合检查</translation>
    </message>
    <message>
      <source>The joint inspection (联检) of boundary lines: field observations against the archived lines and marker register (or the files), the report both sides sign, and optionally the record in the archive.</source>
      <translation>行政区域界线联合检查：实地检查记录与档案（或文件）中的界线、界桩登记表比对，生成双方签字的联检报告，并可入库。</translation>
    </message>
    <message>
      <source>Joint inspection status</source>
      <translation>界线联检状况</translation>
    </message>
    <message>
      <source>Every line of the archive with its last joint inspection, the next due date (the cycle of its level) and whether it is overdue, as a layer coloured by status; optionally the HTML overview.</source>
      <translation>档案库中每条界线的上次联检、下次应检日期（按界线级别的周期）与是否逾期，按状况着色的图层；可另出 HTML 总览。</translation>
    </message>
    <message>
      <source>Import into the archive</source>
      <translation>档案入库</translation>
    </message>
    <message>
      <source>Imports files, a folder tree or zips into the archive database, each file checked by the matching check, the batch in one transaction, with history: the same files again add nothing.</source>
      <translation>将文件、文件夹与压缩包导入档案库：每个文件经相应检查，整批一个事务，保留历史版本；同样的文件再次导入不重复。</translation>
    </message>
    <message>
      <source>Checks</source>
      <translation>检查</translation>
    </message>
    <message>
      <source>Place names</source>
      <translation>地名</translation>
    </message>
    <message>
      <source>Archive</source>
      <translation>档案</translation>
    </message>
    <message>
      <source>Findings</source>
      <translation>检查结果</translation>
    </message>
    <message>
      <source>GeoPackage (*.gpkg)</source>
      <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
      <source>Load the findings into the project (styled, in a group)</source>
      <translation>将检查结果加载到工程（带样式，放入图层组）</translation>
    </message>
    <message>
      <source>Errors</source>
      <translation>错误</translation>
    </message>
    <message>
      <source>Warnings</source>
      <translation>警告</translation>
    </message>
    <message>
      <source>Info</source>
      <translation>提示</translation>
    </message>
    <message>
      <source>Text encoding of the inputs (GBK, GB18030, UTF-8 ...; empty: declared or detected)</source>
      <translation>输入数据的字符编码（GBK、GB18030、UTF-8 等；空：按声明或自动判断）</translation>
    </message>
    <message>
      <source>CRS of inputs that declare none (EPSG:4528, GCJ02 ...)</source>
      <translation>未声明坐标系的输入所用坐标系（EPSG:4528、GCJ02 等）</translation>
    </message>
    <message>
      <source>Marker numbering</source>
      <translation>界桩编号规则</translation>
    </message>
    <message>
      <source>…or a numbering pattern (RE2, three groups: line, sequence, letter)</source>
      <translation>……或编号正则表达式（RE2，三组：界线、序号、字母）</translation>
    </message>
    <message>
      <source>Give the archive once: a file or a PostGIS connection</source>
      <translation>档案库只需给出一次：文件或 PostGIS 连接</translation>
    </message>
    <message>
      <source>Archive (SpatiaLite file)</source>
      <translation>档案库（SpatiaLite 文件）</translation>
    </message>
    <message>
      <source>…or a PostGIS archive (PG:dbname=… host=… or postgresql://…)</source>
      <translation>……或 PostGIS 档案库（PG:dbname=… host=… 或 postgresql://…）</translation>
    </message>
    <message>
      <source>Place-name records</source>
      <translation>地名记录</translation>
    </message>
    <message>
      <source>Unit polygons (a record must lie in the unit its code names)</source>
      <translation>行政区域面（地名点须位于其代码所指区域内）</translation>
    </message>
    <message>
      <source>Division code table (default: the built-in 2023 table)</source>
      <translation>区划代码表（默认：内置 2023 年代码表）</translation>
    </message>
    <message>
      <source>Category of every record (for inputs without a category column)</source>
      <translation>全部记录的地名类别（用于没有类别列的数据）</translation>
    </message>
    <message>
      <source>Required fields</source>
      <translation>必填字段</translation>
    </message>
    <message>
      <source>Layer</source>
      <translation>图层</translation>
    </message>
    <message>
      <source>Name field</source>
      <translation>名称字段</translation>
    </message>
    <message>
      <source>Division code field (context for regional readings)</source>
      <translation>区划代码字段（用于地方读音）</translation>
    </message>
    <message>
      <source>Category (default: guessed from each name's generic part)</source>
      <translation>地名类别（默认：按通名判断）</translation>
    </message>
    <message>
      <source>Tone marks</source>
      <translation>标注声调</translation>
    </message>
    <message>
      <source>Style</source>
      <translation>样式</translation>
    </message>
    <message>
      <source>New field</source>
      <translation>新字段</translation>
    </message>
    <message>
      <source>Romanized</source>
      <translation>罗马字母拼写结果</translation>
    </message>
    <message>
      <source>Marker register</source>
      <translation>界桩登记表</translation>
    </message>
    <message>
      <source>Boundary lines (界线编号, 左侧单位, 右侧单位)</source>
      <translation>行政区域界线（界线编号、左侧单位、右侧单位）</translation>
    </message>
    <message>
      <source>Unit polygons</source>
      <translation>行政区域面</translation>
    </message>
    <message>
      <source>How far a single marker may stand from its line (m; 0: the rule's 1.0 m)</source>
      <translation>单立界桩偏离界线的限差（米；0：规则默认 1.0 米）</translation>
    </message>
    <message>
      <source>Unit polygons (代码, 名称, 上级代码)</source>
      <translation>行政区域面（代码、名称、上级代码）</translation>
    </message>
    <message>
      <source>Parent polygons (the units must tile them)</source>
      <translation>上级区域面（下级区域须无缝覆盖）</translation>
    </message>
    <message>
      <source>Boundary lines (every shared edge on a line naming its units)</source>
      <translation>行政区域界线（每条公共边须在注明两侧单位的界线上）</translation>
    </message>
    <message>
      <source>Report gaps narrower than (m; 0: off)</source>
      <translation>报告宽度小于此值的缝隙（米；0：不检查）</translation>
    </message>
    <message>
      <source>Report gaps smaller than (m²; 0: off)</source>
      <translation>报告面积小于此值的缝隙（平方米；0：不检查）</translation>
    </message>
    <message>
      <source>Vertices closer than this count as the same (m)</source>
      <translation>距离小于此值的节点视为同一点（米）</translation>
    </message>
    <message>
      <source>Junctions (points where three or more units meet)</source>
      <translation>三交点（三个及以上单位相交处）</translation>
    </message>
    <message>
      <source>Report</source>
      <translation>报告</translation>
    </message>
    <message>
      <source>Field observations (a field app's GeoPackage, a spreadsheet or CSV)</source>
      <translation>实地检查记录（外业软件的 GeoPackage、电子表格或 CSV）</translation>
    </message>
    <message>
      <source>Lines to inspect, by code (empty: every line the observations name)</source>
      <translation>要检查的界线编号（空：检查记录涉及的全部界线）</translation>
    </message>
    <message>
      <source>…or the marker register (without an archive)</source>
      <translation>……或界桩登记表（不用档案库时）</translation>
    </message>
    <message>
      <source>…and the boundary lines (without an archive)</source>
      <translation>……及行政区域界线（不用档案库时）</translation>
    </message>
    <message>
      <source>…and the units, for the names of each side</source>
      <translation>……及行政区域面，用于两侧单位名称</translation>
    </message>
    <message>
      <source>Re-surveyed lines (compared with the archived ones)</source>
      <translation>重测界线（与档案界线比对）</translation>
    </message>
    <message>
      <source>Displacement tolerance (m; 0: the rule's 0.5 m)</source>
      <translation>界桩位移限差（米；0：规则默认 0.5 米）</translation>
    </message>
    <message>
      <source>Report date (YYYY-MM-DD; empty: today)</source>
      <translation>报告日期（YYYY-MM-DD；空：今天）</translation>
    </message>
    <message>
      <source>Record the inspection in the archive</source>
      <translation>联检结果入库</translation>
    </message>
    <message>
      <source>Who records</source>
      <translation>入库人</translation>
    </message>
    <message>
      <source>HTML (*.html)</source>
      <translation>HTML (*.html)</translation>
    </message>
    <message>
      <source>Open the report in the browser</source>
      <translation>在浏览器中打开报告</translation>
    </message>
    <message>
      <source>Give the archive, or the marker register and the boundary lines</source>
      <translation>请给出档案库，或界桩登记表与行政区域界线</translation>
    </message>
    <message>
      <source>The day to judge by (YYYY-MM-DD; empty: today)</source>
      <translation>判断日期（YYYY-MM-DD；空：今天）</translation>
    </message>
    <message>
      <source>Status of every line</source>
      <translation>各界线联检状况</translation>
    </message>
    <message>
      <source>Overview (a map and the table)</source>
      <translation>总览（地图与表格）</translation>
    </message>
    <message>
      <source>Load the status into the project (styled, in a group)</source>
      <translation>将联检状况加载到工程（带样式，放入图层组）</translation>
    </message>
    <message>
      <source>Lines overdue</source>
      <translation>逾期界线</translation>
    </message>
    <message>
      <source>Lines never inspected</source>
      <translation>从未联检的界线</translation>
    </message>
    <message>
      <source>A folder (every file under it)</source>
      <translation>文件夹（其下全部文件）</translation>
    </message>
    <message>
      <source>…and/or files (registers, lines, units, catalogues, scans, zips)</source>
      <translation>……及/或文件（登记表、界线、区域面、目录、扫描件、压缩包）</translation>
    </message>
    <message>
      <source>Create the SpatiaLite archive when it does not exist</source>
      <translation>SpatiaLite 档案库不存在时新建</translation>
    </message>
    <message>
      <source>What the files hold</source>
      <translation>文件内容类型</translation>
    </message>
    <message>
      <source>When a finding is an error</source>
      <translation>发现错误时</translation>
    </message>
    <message>
      <source>Who imports</source>
      <translation>入库人</translation>
    </message>
    <message>
      <source>Check and count only, load nothing</source>
      <translation>只检查和计数，不入库</translation>
    </message>
    <message>
      <source>Records new</source>
      <translation>新增记录</translation>
    </message>
    <message>
      <source>Records changed (new version)</source>
      <translation>变更记录（新版本）</translation>
    </message>
    <message>
      <source>Records unchanged</source>
      <translation>未变记录</translation>
    </message>
    <message>
      <source>Records rejected</source>
      <translation>拒收记录</translation>
    </message>
    <message>
      <source>Records quarantined</source>
      <translation>隔离记录</translation>
    </message>
    <message>
      <source>Batch</source>
      <translation>批次</translation>
    </message>
    <message>
      <source>Give a folder or files to import</source>
      <translation>请给出要导入的文件夹或文件</translation>
    </message>
    <message>
      <source>Findings: {} errors, {} warnings, {} info</source>
      <translation>检查结果：错误 {}，警告 {}，提示 {}</translation>
    </message>
    <message>
      <source>provincial (4-digit line code + 001 + Q/A/B/C)</source>
      <translation>省级（4 位界线代码 + 001 + Q/A/B/C）</translation>
    </message>
    <message>
      <source>county</source>
      <translation>县级</translation>
    </message>
    <message>
      <source>township (105-104 + 001 + Q/A/B/C)</source>
      <translation>乡级（105-104 + 001 + Q/A/B/C）</translation>
    </message>
    <message>
      <source>Give the archive: a SpatiaLite file or a PostGIS connection</source>
      <translation>请给出档案库：SpatiaLite 文件或 PostGIS 连接</translation>
    </message>
    <message>
      <source>SpatiaLite (*.sqlite *.db)</source>
      <translation>SpatiaLite (*.sqlite *.db)</translation>
    </message>
    <message>
      <source>basic</source>
      <translation>基本</translation>
    </message>
    <message>
      <source>census</source>
      <translation>地名普查</translation>
    </message>
    <message>
      <source>standard</source>
      <translation>标准</translation>
    </message>
    <message>
      <source>sign (capitals)</source>
      <translation>标志（大写）</translation>
    </message>
    <message>
      <source>Recording needs the archive</source>
      <translation>入库需要给出档案库</translation>
    </message>
    <message>
      <source>Line status</source>
      <translation>界线联检状况</translation>
    </message>
    <message>
      <source>reject the batch</source>
      <translation>整批不入库</translation>
    </message>
    <message>
      <source>quarantine those records</source>
      <translation>有错记录隔离，其余入库</translation>
    </message>
    <message>
      <source>accept, findings kept</source>
      <translation>全部入库，保留检查结果</translation>
    </message>
    <message>
      <source>Batch {}: {} new, {} changed, {} unchanged, {} rejected, {} quarantined; committed: {}</source>
      <translation>批次 {}：新增 {}，变更 {}，未变 {}，拒收 {}，隔离 {}；已提交：{}</translation>
    </message>
    <message>
      <source>The layer has a field {} already</source>
      <translation>图层已有字段 {}</translation>
    </message>
    <message>
      <source>geoadmin returned {} romanizations for {} names</source>
      <translation>geoadmin 为 {1} 个地名返回了 {0} 个拼写</translation>
    </message>
    <message>
      <source>geoadmin: administrative divisions and place names</source>
      <translation>geoadmin：区划地名</translation>
    </message>
    <message>
      <source>geoadmin program (empty: found on PATH)</source>
      <translation>geoadmin 程序（空：在 PATH 中查找）</translation>
    </message>
    <message>
      <source>Findings (points)</source>
      <translation>检查结果（点）</translation>
    </message>
    <message>
      <source>Findings (lines)</source>
      <translation>检查结果（线）</translation>
    </message>
    <message>
      <source>Findings (areas)</source>
      <translation>检查结果（面）</translation>
    </message>
    <message>
      <source>Findings (no geometry)</source>
      <translation>检查结果（无几何）</translation>
    </message>
    <message>
      <source>The geoadmin program was not found on PATH. Install it (cmake --install), or set its path in Processing › Options › Providers › geoadmin.</source>
      <translation>在 PATH 中未找到 geoadmin 程序。请安装（cmake --install），或在“处理工具 › 选项 › 提供者 › geoadmin”中设置其路径。</translation>
    </message>
    <message>
      <source>Canceled: geoadmin was stopped.</source>
      <translation>已取消：geoadmin 已停止。</translation>
    </message>
    <message>
      <source>The geoadmin program set in Processing › Options › Providers › geoadmin is not an executable file: {}</source>
      <translation>“处理工具 › 选项 › 提供者 › geoadmin”中设置的 geoadmin 程序不是可执行文件：{}</translation>
    </message>
    <message>
      <source>geoadmin ended with exit code {} ({}): {}</source>
      <translation>geoadmin 以退出码 {}（{}）结束：{}</translation>
    </message>
  </context>
</TS>
