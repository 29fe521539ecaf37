import DevSkyyDaemon
import Foundation
import Testing

@Suite("Memory tuning")
struct MemoryTuningTests {
    /// Resident file-backed memory of this process, from the kernel's own count.
    private func residentFileKiB() throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("RssFile:") })
        return try #require(Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]))
    }

    @Test func startupPagesOfTheExecutableAreHandedBackAndTheProgramRunsOn() throws {
        let before = try residentFileKiB()
        let released = MemoryTuning.releaseStartupPages()
        let after = try residentFileKiB()
        #expect(released > 0, "the executable's read-only mappings were offered back")
        #expect(after < before, "resident file-backed memory fell: \(before) KiB before, \(after) KiB after")
        // Code paged out comes back on use: the program goes on working.
        #expect([3, 1, 2].sorted() == [1, 2, 3])
        #expect(try residentFileKiB() > 0)
    }
}
