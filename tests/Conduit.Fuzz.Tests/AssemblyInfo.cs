// One test at a time: the fuzz run and the size bounds measure time and allocation, which a neighbour would distort.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
