#pragma once
// Reading a scenario's `expect:` list into Expectations (expect/expectation.h), with the
// file and line of every entry. Called by the scenario loader before a run; every
// problem is a ConfigError naming the file and line (or the -c) and the key.
#include <vector>

#include "config/config_node.h"
#include "expect/expectation.h"

namespace irqlab::cosim::expect {

// `list`: the node of the `expect` key. Each entry is "PATH OP VALUE" or a map
// {metric, op, value}; `value` may be a map from registered personality names to values.
std::vector<Expectation> read_expectations(const ConfigNode& list);

// A YAML scalar as a value: a quoted string, true or false, an integer or a finite
// number. Anything else (a plain word, a list, a map) fails naming the node.
ExpectedValue read_expected_value(const ConfigNode& node);

}  // namespace irqlab::cosim::expect
