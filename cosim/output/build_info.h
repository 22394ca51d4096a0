#pragma once
// What build of irqlab is running: the project's version (CMake's project()) and the
// source tree's commit (`git describe --always --dirty`, "unknown" outside a checkout),
// both taken at build time by cmake/build_info.cmake. Results and `--version` print them.
#include <string_view>

namespace irqlab::cosim {

std::string_view irqlab_version();
std::string_view irqlab_commit();

}  // namespace irqlab::cosim
