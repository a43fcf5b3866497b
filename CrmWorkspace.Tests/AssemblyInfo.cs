// Collections run one after another: the browser suite's "within a few seconds" waits must not compete with the
// 20-writer load test for the two cores this runs on.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
