// placeholder until the ledger sources land
namespace cloison {}
