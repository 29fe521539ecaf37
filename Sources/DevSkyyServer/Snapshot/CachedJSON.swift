import DevSkyyCore
import Foundation
import Hummingbird

/// How long clients may reuse an answer: the seeds' caching table (metrics 30 s, reports 5 min,
/// configuration 1 h, static data 24 h), plus `no-cache` for answers checked anew on every request.
public enum CachePolicy {
    /// Health, metrics and partnerships: live data from the snapshot.
    public static let metrics = "max-age=30"
    public static let reports = "max-age=300"
    public static let configuration = "max-age=3600"
    /// What changes only with a new release, such as the list of endpoints.
    public static let staticData = "max-age=86400"
    /// Status and readiness: a stored copy must be revalidated, as the checks run per request.
    public static let live = "no-cache"
}

/// JSON answers with a strong `ETag`: `If-None-Match` naming it gets 304 with no body.
enum CachedJSON {
    static func response(to request: Request, _ tagged: TaggedBody, cacheControl: String) -> Response {
        CachedAnswer.json(tagged.body, etag: tagged.etag, cacheControl: cacheControl).response(to: request)
    }

    /// RFC 9110 `If-None-Match`: `*`, or a list of tags compared weakly (a `W/` prefix is ignored).
    static func matches(_ value: String, etag: String) -> Bool {
        for candidate in value.split(separator: ",") {
            var tag = candidate.trimmingCharacters(in: .whitespaces)[...]
            if tag == "*" { return true }
            if tag.hasPrefix("W/") { tag = tag.dropFirst(2) }
            if tag == etag { return true }
        }
        return false
    }

    /// A strong tag from a body's bytes (FNV-1a, 64 bits), for answers not tied to one snapshot.
    static func etag(of bytes: [UInt8], kind: String) -> String {
        "\"\(kind)-\(String(FNV1a.hash(bytes), radix: 16))\""
    }
}

/// A body with a strong tag made from its bytes: what does not change for the server's life (the configuration, the
/// list of endpoints), or is encoded once per version of its sources (the partnership answers).
public struct TaggedBody: Sendable {
    public let body: ByteBuffer
    public let etag: String

    init(_ bytes: [UInt8], kind: String) {
        body = ByteBuffer(bytes: bytes)
        etag = CachedJSON.etag(of: bytes, kind: kind)
    }
}
