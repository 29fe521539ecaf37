import Testing

@testable import DevSkyyCollect

@Suite("Scheduler gathering window")
struct GatheringWindowTests {
    /// With many collectors: a fortieth of the shortest interval, between 25 and 250 ms.
    @Test(arguments: [
        (200, 25), (1_000, 25), (2_000, 50), (4_000, 100), (10_000, 250), (60_000, 250), (1, 25),
    ])
    func isAFortiethOfTheShortestIntervalBetween25And250Milliseconds(interval: Int64, window: Int64) {
        #expect(Scheduler.gatheringWindow(intervals: Array(repeating: interval, count: 1_000)) == .milliseconds(window))
    }

    /// With few: long enough for about eight ticks, up to a tenth of the shortest interval.
    @Test(arguments: [
        (50, 1_000, 100), (200, 1_000, 40), (400, 1_000, 25), (1, 1_000, 100), (50, 10_000, 250), (50, 200, 25),
    ])
    func sparseTicksAreGatheredUpToATenthOfTheShortestInterval(collectors: Int, interval: Int64, window: Int64) {
        #expect(Scheduler.gatheringWindow(intervals: Array(repeating: interval, count: collectors)) == .milliseconds(window))
    }

    @Test func mixedIntervalsCountEveryCollectorsTicks() {
        // 10 ticks a second from the 1 s collectors and 20 from the 100 at 5 s: 8 ticks take about 267 ms, capped at
        // a tenth of the shortest interval.
        let intervals = Array(repeating: Int64(1_000), count: 10) + Array(repeating: 5_000, count: 100)
        #expect(Scheduler.gatheringWindow(intervals: intervals) == .milliseconds(100))
        // 40 ticks a second: 8 take 200 ms, just the tenth of 2 s.
        #expect(Scheduler.gatheringWindow(intervals: Array(repeating: 2_000, count: 80)) == .milliseconds(200))
        #expect(Scheduler.gatheringWindow(intervals: []) == .milliseconds(100))
    }
}
