#pragma once
// The JUnit XML report of a regression, in the shape CI systems read (Jenkins, GitLab,
// GitHub actions' reporters; the Ant JUnit schema): one <testsuites> holding one
// <testsuite name="irqlab"> with tests, failures, errors and time, and one <testcase> per
// case, classname the scenario's file stem and name the personality or variant. A case
// that ran and did not pass has a <failure message="reason">, its text the failed
// expectations (measured against expected) and the tail of its log; a case its launcher
// could not start or lost has an <error> instead. Times are host seconds.
//
// Pure functions; any context.
#include <string>
#include <string_view>
#include <vector>

#include "regress/engine.h"

namespace irqlab::cosim::regress {

// `text` for an XML 1.0 attribute value or character data: the five markup characters
// as entities, tab, newline and carriage return as character references (an attribute
// keeps them), other control characters (which XML 1.0 cannot carry) and bytes that are
// not valid UTF-8 as U+FFFD.
std::string xml_escape(std::string_view text);

// The whole document; `wall_seconds`: the regression's host time.
std::string junit_report(const std::vector<CaseResult>& results, double wall_seconds);

}  // namespace irqlab::cosim::regress
