#include "store/testing/conformance.h"

#include "store/testing/conformance_internal.h"

namespace cloison::store::testing {
namespace {

using namespace internal;  // NOLINT(google-build-using-namespace): the case list

constexpr ConformanceCase kCases[] = {
    {"EmptyStore", EmptyStore},
    {"PutThenGetRoundTrips", PutThenGetRoundTrips},
    {"PutReplacesSameKindAndId", PutReplacesSameKindAndId},
    {"PutRejectsEmptyKindOrId", PutRejectsEmptyKindOrId},
    {"WriteTxReadsItsOwnWrites", WriteTxReadsItsOwnWrites},
    {"UncommittedWritesAreInvisible", UncommittedWritesAreInvisible},
    {"ReadTxSeesOneSnapshot", ReadTxSeesOneSnapshot},
    {"DestroyedWriteTxRollsBack", DestroyedWriteTxRollsBack},
    {"DeferredWriteTxIsAWriteTx", DeferredWriteTxIsAWriteTx},
    {"CommitWithoutEventFailsAndRollsBack", CommitWithoutEventFailsAndRollsBack},
    {"CommitsWithoutRecordChangeNeedNoEvent", CommitsWithoutRecordChangeNeedNoEvent},
    {"FinishedTxRefusesEveryCall", FinishedTxRefusesEveryCall},
    {"EventsAreGaplessInCommitOrder", EventsAreGaplessInCommitOrder},
    {"AppendRejectsEmptyBodyOrType", AppendRejectsEmptyBodyOrType},
    {"RangesAndFiltersAreValidated", RangesAndFiltersAreValidated},
    {"FiltersCombineWithAnd", FiltersCombineWithAnd},
    {"ListIsOrderedAndPaginates", ListIsOrderedAndPaginates},
    {"MetaIsTransactional", MetaIsTransactional},
    {"ManyReadTxAtOnce", ManyReadTxAtOnce},
    {"WriteTxExcludesOtherWriters", WriteTxExcludesOtherWriters},
    {"ConcurrentWritersAreSerialisable", ConcurrentWritersAreSerialisable},
    {"ReopenPersists", ReopenPersists},
    {"DeleteRemovesAndIsAChange", DeleteRemovesAndIsAChange},
    {"RetireReplacesARangeOfAGroup", RetireReplacesARangeOfAGroup},
    {"ScrubKeepsEverythingCommitted", ScrubKeepsEverythingCommitted},
};

}  // namespace

std::span<const ConformanceCase> ConformanceCases() {
  return kCases;
}

}  // namespace cloison::store::testing
