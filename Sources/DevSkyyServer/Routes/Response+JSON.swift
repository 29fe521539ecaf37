import Hummingbird

extension Response {
    /// The content type of the API's JSON bodies.
    static let jsonContentType = "application/json"

    /// A JSON answer: the one place that sets the content type of the API's JSON bodies.
    static func json(_ body: ByteBuffer, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = jsonContentType
        return Response(status: status, headers: fields, body: .init(byteBuffer: body))
    }

    static func json(_ bytes: [UInt8], status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        json(ByteBuffer(bytes: bytes), status: status, headers: headers)
    }
}
