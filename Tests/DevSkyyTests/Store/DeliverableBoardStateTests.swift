import DevSkyyCore
import DevSkyyStore
import DevSkyyTestSupport
import Testing

@Suite("Deliverable board ordering")
struct DeliverableBoardStateTests {
    static let technical = Partnership(
        id: "technical", name: "Technical", kind: .technical,
        deliverables: [.init(id: "microservices", name: "Microservices"), .init(id: "personalization", name: "Personalization")]
    )

    static func progress(_ id: String, _ completion: Double, at time: Int64? = nil) -> DeliverableProgress {
        DeliverableProgress(partnership: "technical", id: id, completion: completion, status: "s", updated: time)
    }

    static func change(_ id: String, _ old: DeliverableProgress?, _ completion: Double, at time: Int64) -> DeliverableStore.Change {
        .init(old: old ?? DeliverableProgress(partnership: "technical", id: id), new: progress(id, completion, at: time))
    }

    /// The completions the board shows, or nil when it must load first.
    static func completions(_ state: DeliverableBoardState) -> [Double]? {
        guard case .ready(let contents) = state.lookup([technical]) else { return nil }
        return contents.progress(of: technical).map(\.completion)
    }

    static func began(_ state: DeliverableBoardState) throws -> Int {
        guard case .load(let began) = state.lookup([technical]) else { throw TestSupportError("no load needed") }
        return began
    }

    @Test func loadsOnceThenEveryUpdateIsANewVersion() throws {
        var state = DeliverableBoardState(board: 7)
        let began = try Self.began(state)
        state.loaded([Self.progress("microservices", 10), Self.progress("personalization", 0)], began: began)
        #expect(Self.completions(state) == [10, 0])
        let loaded = try #require(state.contents.stamp)
        state.apply(Self.change("microservices", Self.progress("microservices", 10), 30, at: 1))
        #expect(Self.completions(state) == [30, 0])
        let updated = try #require(state.contents.stamp)
        #expect(updated.version > loaded.version)
        #expect(updated.supersedes(loaded) && !loaded.supersedes(updated))
        let other = try #require(DeliverableBoardState(board: 8).contents.stamp)
        #expect(!updated.supersedes(other) && !other.supersedes(updated), "versions of different boards do not compare")
    }

    @Test func aLoadThatBeganBeforeAnUpdateDoesNotUndoIt() throws {
        var state = DeliverableBoardState(board: 1)
        let began = try Self.began(state)
        // The update is stored and applied while the load is on its way back with what it read before.
        state.apply(Self.change("microservices", nil, 50, at: 1))
        state.loaded(
            [DeliverableProgress(partnership: "technical", id: "microservices"), Self.progress("personalization", 5)], began: began)
        #expect(Self.completions(state) == [50, 5])
    }

    @Test func updatesArrivingOutOfOrderAreReadAgain() throws {
        var state = DeliverableBoardState(board: 1)
        state.loaded([Self.progress("microservices", 10), Self.progress("personalization", 0)], began: try Self.began(state))
        // Redis stored 10 → 20, then 20 → 30; the second answer came back first.
        let first = Self.change("microservices", Self.progress("microservices", 10), 20, at: 1)
        let second = Self.change("microservices", first.new, 30, at: 2)
        state.apply(second)
        state.apply(first)
        let began = try Self.began(state)
        state.loaded([second.new, Self.progress("personalization", 0)], began: began)
        #expect(Self.completions(state) == [30, 0])
    }

    @Test func anUpdateBeforeTheFirstLoadIsKeptAndTheRestIsLoaded() throws {
        var state = DeliverableBoardState(board: 1)
        state.apply(Self.change("microservices", nil, 70, at: 1))
        let began = try Self.began(state)
        state.loaded([Self.progress("microservices", 70, at: 1), Self.progress("personalization", 15)], began: began)
        #expect(Self.completions(state) == [70, 15])
    }
}
