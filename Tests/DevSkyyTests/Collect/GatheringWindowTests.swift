import Testing

@testable import DevSkyyCollect

@Suite("Scheduler gathering window")
struct GatheringWindowTests {
    @Test(arguments: [
        (200, 25), (1_000, 25), (2_500, 25), (5_000, 50), (10_000, 100), (60_000, 100), (1, 25),
    ])
    func isAHundredthOfTheShortestIntervalBetween25And100Milliseconds(interval: Int64, window: Int64) {
        #expect(Scheduler.gatheringWindow(shortestInterval: interval) == .milliseconds(window))
    }
}
