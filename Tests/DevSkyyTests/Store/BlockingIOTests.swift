import DevSkyyStore
import Testing

@Suite struct BlockingIOTests {
    @Test func runsTheWorkOnItsOwnThreadAndReturnsItsResult() async {
        #expect(!BlockingIO.isCurrent, "a test task runs on the task pool")
        let (onItsThread, value) = await BlockingIO.run { (BlockingIO.isCurrent, 41 + 1) }
        #expect(onItsThread)
        #expect(value == 42)
    }

    @Test func passesItsErrorOn() async {
        struct Refused: Error {}
        await #expect(throws: Refused.self) {
            try await BlockingIO.run { () throws(Refused) in throw Refused() }
        }
    }
}
