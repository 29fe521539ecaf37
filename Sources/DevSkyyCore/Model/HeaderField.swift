/// What may be sent as an HTTP header field. A value holding CR or LF would end the header early and
/// start another one (header injection: a `${VAR}` with a newline adds headers to a collector's request),
/// so configuration refuses such fields at load and the fetcher refuses them again before sending.
public enum HeaderField {
    /// Why this field cannot be sent, or nil when it can. Never quotes the value: it may be a secret.
    public static func problem(name: String, value: String) -> String? {
        guard !name.isEmpty, name.utf8.allSatisfy(isTokenByte) else {
            return "is not a valid header name (letters, digits and !#$%&'*+-.^_`|~ only)"
        }
        if value.utf8.contains(where: { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7F }) {
            return "the value holds a control character (CR, LF, NUL…), which would end the header early"
        }
        return nil
    }

    /// RFC 9110's `tchar`.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}
