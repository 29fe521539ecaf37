import Foundation

/// An HTTPS source on loopback with a self-signed certificate (openssl + python3's ssl module).
public final class TLSSource: Sendable {
    public let port: Int
    public let folder: TemporaryFolder
    private let process = Process()

    /// The certificate, usable as a collector's `ca_file`.
    public var certificate: String { folder.file("cert.pem") }

    public init(document: String) async throws {
        folder = TemporaryFolder("tls")
        port = FreePort.allocate()
        folder.write("doc.json", document)
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", folder.file("key.pem"), "-out", folder.file("cert.pem"),
        ]
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        guard openssl.terminationStatus == 0 else { throw TestSupportError("openssl could not make a certificate") }
        let script = """
            import http.server, ssl, functools
            handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory="\(folder.path)")
            server = http.server.HTTPServer(("127.0.0.1", \(port)), handler)
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain("\(folder.file("cert.pem"))", "\(folder.file("key.pem"))")
            server.socket = context.wrap_socket(server.socket, server_side=True)
            server.serve_forever()
            """
        // Debian's python3 itself, not a version-manager shim that would fork it out of reach of terminate().
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        guard await eventually({ FreePort.isListening(port) }) else { throw TestSupportError("HTTPS source did not start") }
    }

    public var url: String { "https://127.0.0.1:\(port)/doc.json" }

    public func stop() {
        process.killAndReap()
        folder.remove()
    }
}
