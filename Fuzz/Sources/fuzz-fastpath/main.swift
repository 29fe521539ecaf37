import FuzzSupport
import HTTPTypes

@testable import DevSkyyServer

/// The fast path's request gate. The input's lines up to the first empty one are a request head (`METHOD /path`, then
/// `Name: value` fields), which `SnapshotFastPath.route` either serves or sends on to the router; each byte after it is
/// one event of a connection for `FastPathGate` (a head, servable or not, a body part, an end, or an answer the
/// router wrote), checked against a model of the rule it keeps: the fast path answers only while no earlier
/// request of the connection is still with the router.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = FuzzDriver.bytes(data, size)
    let blank = bytes.indices.first { bytes[$0...].starts(with: "\n\n".utf8) }
    let head = String(decoding: bytes[..<(blank ?? bytes.count)], as: UTF8.self)
    let servable = request(head).map { SnapshotFastPath.route($0) != nil } ?? false
    checkGate(events: blank.map { bytes[($0 + 2)...] } ?? [], firstServable: servable)
    return 0
}

/// A request from text; nil where the text is no valid method, path or field.
func request(_ text: String) -> HTTPRequest? {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    let start = lines.removeFirst().split(separator: " ", maxSplits: 1)
    guard start.count == 2, let method = HTTPRequest.Method(String(start[0])) else { return nil }
    var fields = HTTPFields()
    for line in lines {
        let parts = line.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, let name = HTTPField.Name(String(parts[0])) else { continue }
        fields.append(HTTPField(name: name, value: String(parts[1].drop { $0 == " " })))
    }
    return HTTPRequest(method: method, scheme: nil, authority: "fuzz", path: String(start[1]), headerFields: fields)
}

func checkGate(events: ArraySlice<UInt8>, firstServable: Bool) {
    var gate = FastPathGate()
    var withRouter = 0
    var reading: FastPathGate.Decision?
    var servable = firstServable
    for event in events {
        switch event % 4 {
        case 0:
            let decision = gate.head(servable: servable)
            if decision == .answer { precondition(withRouter == 0, "the fast path answered ahead of the router") }
            if decision == .forward { withRouter += 1 }
            reading = decision
        case 1:
            precondition(gate.body() == (reading ?? .forward), "a body part went elsewhere than its head")
        case 2:
            precondition(gate.end() == (reading ?? .forward), "an end went elsewhere than its head")
            reading = nil
        default:
            // The router writes answers only to requests it was given.
            guard withRouter > 0 else { continue }
            gate.routerAnswered()
            withRouter -= 1
        }
        precondition(gate.withRouter == withRouter, "the gate lost count of the router's requests")
        servable = event & 0x80 != 0
    }
}

FuzzDriver.run(testOneInput)
