#include "cli/cli.h"
namespace cloison::cli { int Main(const std::vector<std::string>&, std::ostream&, std::ostream& err) { err << "not built yet\n"; return 1; } }
