#pragma once
// A word given where a subcommand's name belongs that names none (`irqlab lsit`,
// `irqlab version`): the message that names the valid ones and the likeliest meant.
#include <CLI/CLI.hpp>
#include <optional>
#include <string>

namespace irqlab::cosim {

// The error message when the first word of `argv` that is neither one of `app`'s global
// options nor such an option's value is not a subcommand of `app`; nothing otherwise.
// Call after every subcommand was added, before parsing.
std::optional<std::string> unknown_subcommand_message(const CLI::App& app, int argc,
                                                      const char* const* argv);

}  // namespace irqlab::cosim
