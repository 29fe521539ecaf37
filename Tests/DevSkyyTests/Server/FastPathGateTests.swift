import Testing

@testable import DevSkyyServer

@Suite struct FastPathGateTests {
    @Test func servableRequestsAreAnsweredWhileTheRouterHasNothing() {
        var gate = FastPathGate()
        #expect(gate.head(servable: true) == .answer)
        #expect(gate.body() == .answer)
        #expect(gate.end() == .answer)
        #expect(gate.head(servable: true) == .answer)
        #expect(gate.end() == .answer)
        #expect(gate.withRouter == 0)
    }

    @Test func otherRequestsGoToTheRouterWithAllTheirParts() {
        var gate = FastPathGate()
        #expect(gate.head(servable: false) == .forward)
        #expect(gate.body() == .forward)
        #expect(gate.end() == .forward)
        #expect(gate.withRouter == 1)
    }

    @Test func servableRequestsWaitUntilTheRouterHasAnsweredEveryEarlierOne() {
        var gate = FastPathGate()
        #expect(gate.head(servable: false) == .forward)
        #expect(gate.end() == .forward)
        // Pipelined behind it: answering now would overtake the router's answer.
        #expect(gate.head(servable: true) == .forward)
        #expect(gate.end() == .forward)
        gate.routerAnswered()
        #expect(gate.head(servable: true) == .forward, "one answer still with the router")
        #expect(gate.end() == .forward)
        gate.routerAnswered()
        gate.routerAnswered()
        #expect(gate.withRouter == 0)
        #expect(gate.head(servable: true) == .answer)
        #expect(gate.end() == .answer)
    }

    @Test func anAnswerBeforeTheRequestEndsStillCounts() {
        // The router may answer before reading the whole request (413 on a declared length).
        var gate = FastPathGate()
        #expect(gate.head(servable: false) == .forward)
        gate.routerAnswered()
        #expect(gate.body() == .forward)
        #expect(gate.end() == .forward)
        #expect(gate.head(servable: true) == .answer)
    }

    @Test func partsWithoutAHeadGoOn() {
        var gate = FastPathGate()
        #expect(gate.body() == .forward)
        #expect(gate.end() == .forward)
        #expect(gate.withRouter == 0)
    }

    @Test(arguments: [
        (0, "Thu, 01 Jan 1970 00:00:00 GMT"),
        (784_111_777, "Sun, 06 Nov 1994 08:49:37 GMT"),
        (951_782_400, "Tue, 29 Feb 2000 00:00:00 GMT"),
        (1_795_305_599, "Sat, 21 Nov 2026 23:59:59 GMT"),
    ])
    func datesAreIMFFixdate(seconds: Int, text: String) {
        #expect(HTTPDate.format(seconds) == text)
    }
}
