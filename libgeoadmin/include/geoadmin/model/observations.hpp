// Field observations of a joint inspection (联检) or a marker caretaker's report: what was
// found at each marker, and what changed along the line.
#pragma once

#include "geoadmin/core/export.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "geoadmin/model/geometry.hpp"

namespace geoadmin {

/// A marker's condition as the inspection form has it.
enum class MarkerCondition {
    intact,     ///< 完好
    damaged,    ///< 损坏
    tilted,     ///< 倾斜
    illegible,  ///< 字迹不清
    displaced,  ///< 移位
    lost,       ///< 丢失
    buried,     ///< 掩埋
};

/// 完好 / 损坏 / 倾斜 / 字迹不清 / 移位 / 丢失 / 掩埋, their common variants (破损, 移动,
/// 缺失 ...) and the English words; nullopt otherwise.
GEOADMIN_API std::optional<MarkerCondition> parse_marker_condition(std::string_view text);
/// "intact", "damaged" ... (the rule messages' term keys are "condition.<this>").
GEOADMIN_API std::string_view to_string(MarkerCondition condition);

/// What the team did at a marker, as the form's 处理情况 says.
enum class MarkerAction {
    repaired,      ///< 已修复
    straightened,  ///< 已扶正
    repainted,     ///< 已描字
    restored,      ///< 已复位: put back at its registered position
    uncovered,     ///< 已清理: dug out
    reset,         ///< 已重埋 / 已更换: re-erected or replaced at the measured position
};

/// 已修复, 扶正, 描字, 复位, 清理, 重埋, 更换 ... (with or without 已) and the English
/// words; nullopt otherwise.
GEOADMIN_API std::optional<MarkerAction> parse_marker_action(std::string_view text);
/// "repaired", "reset" ... (the terms' keys are "action.<this>").
GEOADMIN_API std::string_view to_string(MarkerAction action);

/// What was found at one marker.
struct GEOADMIN_API ObservedMarker {
    std::int64_t row = 0;
    std::int64_t fid = -1;
    std::string dataset;
    std::string layer;
    std::string marker_no;
    std::string line_code;  ///< as given, or "" (the number names the line)
    std::string observed_on;
    std::string inspectors;
    std::string condition_text;
    std::optional<MarkerCondition> condition;
    std::string action_text;  ///< 处理情况, as given
    std::optional<MarkerAction> action;
    bool has_position = false;
    LonLat position;  ///< CGCS2000, re-measured
    std::vector<std::string> photos;
    std::string notes;
};

/// What a line observation is.
enum class LineChangeKind { road, building, river, dispute, other };
GEOADMIN_API std::optional<LineChangeKind> parse_line_change_kind(std::string_view text);
GEOADMIN_API std::string_view to_string(LineChangeKind kind);

/// Something noted along a line: a point or a line with its kind.
struct GEOADMIN_API LineObservation {
    std::int64_t row = 0;
    std::int64_t fid = -1;
    std::string dataset;
    std::string layer;
    std::string line_code;  ///< as given, or "" (the nearest line)
    LineChangeKind kind = LineChangeKind::other;
    std::string kind_text;
    std::string observed_on;
    std::string notes;
    std::vector<std::vector<LonLat>> parts;  ///< CGCS2000; one part of one vertex: a point
};

struct GEOADMIN_API ObservationSet {
    std::vector<ObservedMarker> markers;
    std::vector<LineObservation> changes;
};

}  // namespace geoadmin
