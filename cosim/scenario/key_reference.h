#pragma once
// What a configuration may say, rendered for people: the registered personalities and
// their options, every scenario key (scenario_keys.h), the tunable parameters
// (tune/tunable_keys.h) and every cost-profile key. Used by
// `irqlab list`; the markdown form is the generated key reference of
// docs/scenario-format.md, which the scenario_doc_current test compares with it.
// Call after static initialization (reads the personality registry).
#include <filesystem>
#include <string>

namespace irqlab::cosim {

// Plain text for a terminal, with the scenarios found under `scenarios_dir` and the first
// sentence of each one's leading comment.
std::string key_reference_text(const std::filesystem::path& scenarios_dir);
// Markdown tables: personalities, scenario keys, cost-profile keys (no file listing, so
// the text depends only on the code).
std::string key_reference_markdown();

}  // namespace irqlab::cosim
