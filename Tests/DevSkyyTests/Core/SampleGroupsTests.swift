import DevSkyyCore
import Testing

@Suite("Sample groups")
struct SampleGroupsTests {
    private func sample(_ metric: String, _ value: Double) -> Sample {
        Sample(partnership: "p", metric: metric, timestamp: 1, value: value)
    }

    @Test func readsGroupsInOrderAsOneSequenceAndCounts() {
        var groups = SampleGroups()
        #expect(groups.isEmpty)
        groups.append([sample("a", 1), sample("b", 2)])
        groups.append([])
        groups.append([sample("c", 3)])
        #expect(groups.count == 3)
        #expect(!groups.isEmpty)
        #expect(groups.map(\.metric) == ["a", "b", "c"])
        #expect(groups.groups.count == 2, "an empty run adds no group")
        #expect(SampleGroups([[sample("a", 1)], [sample("b", 2)]]).count == 2)
    }
}
