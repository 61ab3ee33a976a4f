// Uses the installed public API: the zone of a prefixed easting and a rule's message.
#include <geoadmin/core/rules.hpp>
#include <geoadmin/geo/crs.hpp>

#include <iostream>

int main() {
    auto zone = geoadmin::gk_zone_from_prefixed_easting(38504797.49);
    geoadmin::RuleSet rules = geoadmin::RuleSet::builtin();
    const geoadmin::RuleInfo* rule = rules.find("CRS-AXIS-SWAPPED");
    if (!zone || zone->zone != 38 || rule == nullptr)
        return 1;
    std::cout << "zone " << zone->zone << ", " << rule->title_en << "\n";
    return 0;
}
