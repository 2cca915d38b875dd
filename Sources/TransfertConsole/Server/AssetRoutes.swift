import HTTPTypes
import Hummingbird

/// The console's only style sheet and script, compiled into the binary: no external asset, nothing for
/// the content security policy to allow but the console itself.
struct AssetRoutes: Sendable {
    func register(on router: Router<ConsoleRequestContext>) {
        router.get("/assets/console.css") { _, _ in
            Self.asset(PackageResources.console_css, type: "text/css; charset=utf-8")
        }
        router.get("/assets/console.js") { _, _ in
            Self.asset(PackageResources.console_js, type: "text/javascript; charset=utf-8")
        }
    }

    static func asset(_ bytes: [UInt8], type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
