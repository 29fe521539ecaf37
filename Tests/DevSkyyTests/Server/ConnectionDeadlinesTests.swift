import NIOCore
import Testing

@testable import DevSkyyServer

/// When a connection waiting on its client is given up, without I/O.
@Suite struct ConnectionDeadlinesTests {
    let start = NIODeadline.uptimeNanoseconds(1_000_000_000)
    let read = TimeAmount.seconds(10)
    let idle = TimeAmount.seconds(60)

    private func fresh() -> ConnectionDeadlines { ConnectionDeadlines(readTimeout: read, idleTimeout: idle, now: start) }

    @Test func aSilentNewConnectionHasTheReadTimeoutAndClosesQuietly() {
        var state = fresh()
        #expect(state.deadline == start + read)
        #expect(state.expired(now: start + .seconds(9)) == .wait)
        #expect(state.expired(now: start + read) == .close(read: true))
    }

    @Test func aHalfSentHeadIsAnswered408() {
        var state = fresh()
        state.bytes(now: start + .seconds(1))
        #expect(state.deadline == start + .seconds(1) + read)
        // Trickling bytes do not move the deadline.
        state.bytes(now: start + .seconds(5))
        #expect(state.expired(now: start + .seconds(11)) == .answerTimeout)
    }

    @Test func answeringHasNoDeadlineAndIdlenessFollows() {
        var state = fresh()
        state.bytes(now: start)
        state.head()
        state.end(now: start + .seconds(1))
        #expect(state.deadline == nil)
        state.answered(now: start + .seconds(100))
        #expect(state.deadline == start + .seconds(100) + idle)
        #expect(state.expired(now: start + .seconds(160)) == .close(read: false))
    }

    @Test func aBodyThatStopsComingFailsTheRoutesRead() {
        var state = fresh()
        state.bytes(now: start)
        state.head()
        #expect(state.expired(now: start + read) == .failBody)
    }

    @Test func aBodyStillComingAfterItsAnswerEndsTheConnection() {
        var state = fresh()
        state.bytes(now: start)
        state.head()
        state.answered(now: start + .seconds(1))
        #expect(state.deadline == start + read)
        #expect(state.expired(now: start + read) == .close(read: true))
    }

    @Test func aRequestPipelinedBehindAnAnswerStartsItsClockWhenTheAnswerEnds() {
        var state = fresh()
        state.bytes(now: start)
        state.head()
        state.end(now: start)
        // The next request's first bytes come while the first is being answered.
        state.bytes(now: start + .seconds(1))
        #expect(state.deadline == nil)
        state.answered(now: start + .seconds(30))
        #expect(state.deadline == start + .seconds(30) + read)
    }
}
