# Writes a C++ source holding the data-schemas tables as string constants.
# Usage: cmake -DSCHEMA_DIR=... -DOUT=... -P EmbedData.cmake
set(content "// Generated from data-schemas/ by cmake/EmbedData.cmake. Do not edit.\n")
string(APPEND content "#include <string_view>\nnamespace geoadmin::detail {\n")
foreach(pair "rules.json;kRulesJson" "aliases.json;kAliasesJson" "categories.json;kCategoriesJson"
             "readings.json;kReadingsJson" "place-readings.tsv;kPlaceReadingsTsv"
             "divisions-2023.csv;kDivisionsCsv")
  list(GET pair 0 file)
  list(GET pair 1 symbol)
  file(READ "${SCHEMA_DIR}/${file}" text)
  string(FIND "${text}" ")geoadmin\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${file} contains the raw-string delimiter )geoadmin\"")
  endif()
  string(APPEND content "extern const std::string_view ${symbol};\n")
  string(APPEND content "const std::string_view ${symbol} = R\"geoadmin(${text})geoadmin\";\n")
endforeach()
string(APPEND content "}  // namespace geoadmin::detail\n")
file(WRITE "${OUT}.tmp" "${content}")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
