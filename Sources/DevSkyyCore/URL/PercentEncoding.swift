/// Text put into a URL the daemon is asked for, so that what was typed arrives as one part of it.
public enum PercentEncoding {
    /// One path segment: a `/`, `?`, `#` or `%` in a name must not reach another route or cut the path short.
    public static func pathSegment(_ text: String) -> String {
        // curl folds `.` and `..` segments away before sending, so they are encoded whole.
        if text == "." || text == ".." { return String(repeating: "%2E", count: text.count) }
        return unreservedKept(text)
    }

    /// A query value: `&`, `=`, `+` and `#` would end or change it.
    public static func queryValue(_ text: String) -> String { unreservedKept(text) }

    /// Every byte but RFC 3986's unreserved ones (letters, digits, `-`, `.`, `_`, `~`) as `%XX` of its UTF-8.
    private static func unreservedKept(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            let character = Character(Unicode.Scalar(byte))
            if byte < 0x80, character.isLetter || character.isNumber || "-._~".contains(character) {
                result.append(character)
            } else {
                result += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0xF, radix: 16, uppercase: true)
            }
        }
        return result
    }
}
