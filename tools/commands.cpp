// The one place subcommands are registered.
#include "command.hpp"
#include "command_boundaries.hpp"
#include "command_db.hpp"
#include "command_import.hpp"
#include "command_info.hpp"
#include "command_inspect.hpp"
#include "command_markers.hpp"
#include "command_names.hpp"

namespace geoadmin::cli {

std::vector<std::unique_ptr<Command>> make_commands() {
    std::vector<std::unique_ptr<Command>> commands;
    commands.push_back(std::make_unique<CommandInfo>());
    commands.push_back(std::make_unique<CommandMarkersCheck>());
    commands.push_back(std::make_unique<CommandBoundariesCheck>());
    commands.push_back(std::make_unique<CommandNamesCheck>());
    commands.push_back(std::make_unique<CommandNamesRomanize>());
    commands.push_back(std::make_unique<CommandInspect>());
    commands.push_back(std::make_unique<CommandInspectStatus>());
    commands.push_back(std::make_unique<CommandImport>());
    for (auto action : {CommandDb::Action::init, CommandDb::Action::info, CommandDb::Action::check,
                        CommandDb::Action::migrate, CommandDb::Action::export_records})
        commands.push_back(std::make_unique<CommandDb>(action));
    return commands;
}

}  // namespace geoadmin::cli
