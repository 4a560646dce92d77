// The rulebook as plain-text tables, for `cloison rules show`: techniques
// (article, validity, durations, purposes), collection and retention, the
// procedural switches of each technique (urgency, subsidiarity, quota, ...),
// services, purposes, ministers, procedure and R&D rules, and the notes that
// mark secondary sources "(sec.)" and unsettled points "(?)".
// Pure; thread-safe.
#pragma once

#include <string>

#include "rules/rulebook.h"

namespace cloison::rules {

std::string FormatRulebook(const Rulebook& book);

}  // namespace cloison::rules
