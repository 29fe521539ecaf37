import Testing

@testable import DevSkyyCollect

@Suite("Scheduler gathering window")
struct GatheringWindowTests {
    @Test(arguments: [
        (200, 25), (1_000, 25), (2_000, 50), (4_000, 100), (10_000, 250), (60_000, 250), (1, 25),
    ])
    func isAFortiethOfTheShortestIntervalBetween25And250Milliseconds(interval: Int64, window: Int64) {
        #expect(Scheduler.gatheringWindow(shortestInterval: interval) == .milliseconds(window))
    }
}
